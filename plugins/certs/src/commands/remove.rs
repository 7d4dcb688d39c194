//! `certs:remove <app>`.

use dokku_core::{apps, Result};
use dokku_trigger::Ctx;

use crate::ops;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    ops::remove(ctx, &app)
}
