//! `nginx:validate-config [<app>] [--clean]`: check each app config on its
//! own (removing the invalid ones with `--clean`), then exit with the
//! status of `nginx -t` on the whole server config.

use dokku_core::args::{self, Spec};
use dokku_core::{apps, fsutil, Error, Result};
use dokku_trigger::Ctx;

use crate::build;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let parsed = args::parse(argv, Spec::new(&["--clean"], &[]))?;
    let clean = parsed.has("--clean");
    let targets = match parsed.arg(0) {
        Some(app) => vec![apps::require(&ctx.paths, Some(app))?],
        None => apps::list(&ctx.paths),
    };
    let srv = build::server(ctx);
    srv.require_bin()?;
    let mut removed = false;
    for app in &targets {
        let path = build::conf_path(ctx, app);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let check = build::validate_standalone(ctx, &srv, app, &text)?;
        if check.ok {
            continue;
        }
        ctx.out.warn(&format!(
            "Failed to validate nginx config for {app}. Contents below..."
        ));
        ctx.out.write_out(&text);
        for line in check.stderr.lines().filter(|l| !l.trim().is_empty()) {
            ctx.out.write_err(&format!("{line}\n"));
        }
        if clean {
            ctx.out.warn("Removing invalid nginx file");
            fsutil::remove_file(&path)?;
            removed = true;
        }
    }
    if !srv.serves(&ctx.paths) {
        return Ok(());
    }
    let outcome = srv.test()?;
    if !outcome.ok {
        for line in outcome.stderr.lines().filter(|l| !l.trim().is_empty()) {
            ctx.out.write_err(&format!("{line}\n"));
        }
        return Err(Error::exit(1));
    }
    if removed {
        build::reload_if_serving(ctx)?;
    }
    Ok(())
}
