//! `proxy:build-config [--parallel count] [--all|<app>]`: ask the app's
//! proxy implementation to (re)build its config. Apps are handled one
//! after the other; `--parallel` is accepted for compatibility.

use dokku_core::Result;
use dokku_trigger::proxy::ProxyBuildConfig;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    for app in super::targets(ctx, argv)? {
        ctx.bus.notify(ctx, &ProxyBuildConfig { app })?;
    }
    Ok(())
}
