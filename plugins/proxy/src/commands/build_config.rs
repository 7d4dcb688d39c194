//! `proxy:build-config [--parallel count] [--all|<app>]`: ask the app's
//! proxy implementation to (re)build its config. Apps are handled one
//! after the other; `--parallel` is accepted for compatibility.

use dokku_core::Result;
use dokku_trigger::proxy::ProxyBuildConfig;
use dokku_trigger::Ctx;

use crate::store;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let parsed = super::parse_targets(argv)?;
    for app in store::target_apps(&ctx.paths, parsed.has("--all"), parsed.arg(0))? {
        ctx.bus.notify(ctx, &ProxyBuildConfig { app })?;
    }
    Ok(())
}
