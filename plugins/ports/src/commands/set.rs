//! `ports:set <app> <scheme>:<host-port>:<container-port>...`: replace the
//! configured mappings.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::{portmap, store};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let (app, items) = super::app_and_maps(ctx, argv)?;
    let all = portmap::unique(portmap::parse_all(&items)?)?;
    store::set_configured(&ctx.paths, &app, &all)?;
    super::changed(ctx, &app, "set")
}
