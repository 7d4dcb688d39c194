//! `storage:migrate [<app>|--all]`: drain legacy `-v` docker options into
//! storage entries now.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--all"], &[]))?;
    let targets = match (p.arg(0), p.has("--all")) {
        (Some(_), true) => {
            return Err(Error::fail(
                "storage:migrate accepts either an app name or --all, not both",
            ))
        }
        (None, false) => {
            return Err(Error::fail(
                "storage:migrate requires an app name (or --all)",
            ))
        }
        (Some(app), false) => vec![apps::require(&ctx.paths, Some(app))?],
        (None, true) => apps::list(&ctx.paths),
    };
    crate::migrate::run(ctx, &targets)
}
