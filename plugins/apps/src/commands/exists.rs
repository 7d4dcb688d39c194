//! `apps:exists <app>`: exit 0 when the app exists.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let app = p
        .arg(0)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    if apps::exists(&ctx.paths, app) {
        Ok(())
    } else {
        Err(Error::fail("App does not exist"))
    }
}
