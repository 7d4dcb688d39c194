//! `proxy:build-config [--parallel count] [--all|<app>]`: ask the app's
//! proxy implementation to (re)build its config. With many apps the
//! rebuild is one batch: each config is rendered and written, then the
//! proxy checks and reloads the whole set once. `--parallel` is accepted
//! for compatibility.

use dokku_core::Result;
use dokku_trigger::proxy::ProxyBuildConfig;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    super::batched(ctx, super::targets(ctx, argv)?, |ctx, app| {
        ctx.bus.notify(ctx, &ProxyBuildConfig { app })
    })
}
