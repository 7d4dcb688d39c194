//! `proxy:clear-config [--all|<app>]`: ask the app's proxy implementation
//! to remove its generated config.

use dokku_core::Result;
use dokku_trigger::proxy::ProxyClearConfig;
use dokku_trigger::Ctx;

use crate::store;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let parsed = super::parse_targets(argv)?;
    for app in store::target_apps(&ctx.paths, parsed.has("--all"), parsed.arg(0))? {
        ctx.bus.notify(ctx, &ProxyClearConfig { app })?;
    }
    Ok(())
}
