//! `ports:clear <app>`: drop the configured mappings (the detected ones
//! apply again).

use dokku_core::{apps, Result};
use dokku_trigger::Ctx;

use crate::store;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    store::set_configured(&ctx.paths, &app, &[])?;
    super::changed(ctx, &app, "clear")
}
