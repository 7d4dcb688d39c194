//! `proxy:enable [--parallel count] [--all|<app>]`.

use dokku_core::Result;
use dokku_trigger::proxy::ProxyEnable;
use dokku_trigger::Ctx;

use crate::store;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let parsed = super::parse_targets(argv)?;
    for app in store::target_apps(&ctx.paths, parsed.has("--all"), parsed.arg(0))? {
        ctx.out.info1("Enabling proxy for app");
        store::set_enabled(&ctx.paths, &app, true)?;
        ctx.bus.notify(ctx, &ProxyEnable { app })?;
    }
    Ok(())
}
