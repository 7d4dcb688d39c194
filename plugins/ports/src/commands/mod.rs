//! One module per `ports:*` command.

pub mod add;
pub mod clear;
pub mod list;
pub mod remove;
pub mod report;
pub mod set;

use dokku_core::{apps, Error, Result};
use dokku_trigger::proxy::PostProxyPortsUpdate;
use dokku_trigger::Ctx;

/// The app and the mapping arguments; at least one is required.
pub fn app_and_maps(ctx: &Ctx, argv: &[String]) -> Result<(String, Vec<String>)> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    let rest: Vec<String> = argv[1..].to_vec();
    if rest.is_empty() {
        return Err(Error::fail("No port mapping specified"));
    }
    Ok((app, rest))
}

/// Tell the proxy the mappings changed.
pub fn changed(ctx: &Ctx, app: &str, action: &str) -> Result<()> {
    ctx.bus.notify(
        ctx,
        &PostProxyPortsUpdate {
            app: app.to_string(),
            action: action.to_string(),
        },
    )
}
