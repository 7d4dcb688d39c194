//! `proxy:enable [--parallel count] [--all|<app>]`.

use dokku_core::Result;
use dokku_trigger::proxy::ProxyEnable;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    for app in super::targets(ctx, argv)? {
        super::switch(ctx, &app, true)?;
        ctx.bus.notify(ctx, &ProxyEnable { app })?;
    }
    Ok(())
}
