//! `logs:failed --all|<app>`: the output of the containers a failed deploy
//! left behind.

use dokku_core::{apps, args, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerLogsFailed};
use dokku_trigger::Ctx;

fn failed(ctx: &Ctx, app: &str) -> Result<()> {
    let t = SchedulerLogsFailed {
        scheduler: scheduler_of(ctx, app)?,
        app: app.to_string(),
    };
    ctx.bus.select(ctx, &t)?;
    Ok(())
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--all"], &[]))?;
    if p.has("--all") {
        for app in apps::list(&ctx.paths) {
            ctx.out.info2_quiet(&format!("{app} failed deploy logs"));
            failed(ctx, &app)?;
        }
        return Ok(());
    }
    let app = apps::require(&ctx.paths, p.arg(0))?;
    failed(ctx, &app)
}
