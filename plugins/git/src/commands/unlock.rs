//! `git:unlock <app> [--force]`: remove a clone folder left by an
//! interrupted `git:sync` (`$DOKKU_LIB_ROOT/data/git/<app>`).

use std::io::BufRead;

use dokku_core::{apps, args, fsutil, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--force"], &[]))?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    let dir = ctx.paths.plugin_data_dir("git").join(&app);
    if !dir.is_dir() {
        ctx.out.info1("No clone folder exists app already unlocked");
        return Ok(());
    }
    if !p.has("--force") {
        ctx.out
            .write_out("Are you sure that want to delete clone folder (y/n)?");
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        match answer.trim() {
            "y" | "Y" => {}
            "n" | "N" => {
                ctx.out.line("no");
                return Ok(());
            }
            _ => {
                ctx.out.line("please answer with yes or no");
                return Ok(());
            }
        }
    }
    ctx.out.info1(&format!("About to delete {}", dir.display()));
    fsutil::remove_dir_all(&dir)?;
    ctx.out
        .info1(&format!("Successfully deleted {}", dir.display()));
    Ok(())
}
