//! `certs:remove <app>`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::proxy::PostCertsRemove;
use dokku_trigger::Ctx;

use crate::store;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    if !store::crt(&ctx.paths, &app).is_file() {
        return Err(Error::fail("An app-specific SSL endpoint is not defined"));
    }
    store::remove(&ctx.paths, &app)?;
    ctx.bus.notify(ctx, &PostCertsRemove { app })
}
