//! `ports:add <app> <scheme>:<host-port>:<container-port>...`: add to the
//! configured mappings (starting from the ones in effect).

use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::{portmap, store};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let (app, items) = super::app_and_maps(ctx, argv)?;
    let new = portmap::parse_all(&items)?;
    let mut all = store::configured(&ctx.paths, &app);
    if all.is_empty() {
        all = store::detected(ctx, &app);
    }
    // A scheme:host-port already mapped is refused, even to the same
    // container port: `ports:add` adds, it does not re-state.
    if let Some(m) = new
        .iter()
        .find(|m| all.iter().any(|o| o.listen_key() == m.listen_key()))
    {
        return Err(Error::fail(format!(
            "The same scheme:host-port is being reused: {}",
            m.listen_key()
        )));
    }
    all.extend(new);
    let all = portmap::unique(all)?;
    store::set_configured(&ctx.paths, &app, &all)?;
    super::changed(ctx, &app, "add")
}
