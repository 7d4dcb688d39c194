//! `ports:remove <app> <host-port>|<scheme>:<host-port>[:<container-port>]...`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::portmap::Removal;
use crate::store;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let (app, items) = super::app_and_maps(ctx, argv)?;
    let removals = items
        .iter()
        .flat_map(|i| i.split_whitespace())
        .map(Removal::parse)
        .collect::<Result<Vec<_>>>()?;
    let mut all = store::configured(&ctx.paths, &app);
    if all.is_empty() {
        all = store::detected(ctx, &app);
    }
    all.retain(|m| !removals.iter().any(|r| r.matches(m)));
    store::set_configured(&ctx.paths, &app, &all)?;
    super::changed(ctx, &app, "remove")
}
