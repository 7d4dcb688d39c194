//! `ports:add <app> <scheme>:<host-port>:<container-port>...`: add to the
//! configured mappings (starting from the ones in effect).

use dokku_core::Result;
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
    all.extend(new);
    let all = portmap::unique(all)?;
    store::set_configured(&ctx.paths, &app, &all)?;
    super::changed(ctx, &app, "add")
}
