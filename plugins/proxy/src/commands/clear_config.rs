//! `proxy:clear-config [--all|<app>]`: ask the app's proxy implementation
//! to remove its generated config.

use dokku_core::Result;
use dokku_trigger::proxy::ProxyClearConfig;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    for app in super::targets(ctx, argv)? {
        ctx.bus.notify(ctx, &ProxyClearConfig { app })?;
    }
    Ok(())
}
