//! `apps:locked <app>`: exit 0 when the app holds a deploy lock.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    if crate::ops::is_locked(&ctx.paths, &app) {
        ctx.out.line("Deploy lock exists");
        Ok(())
    } else {
        Err(Error::fail("Deploy lock does not exist"))
    }
}
