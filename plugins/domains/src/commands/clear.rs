//! `domains:clear <app>` and `domains:clear-global`.

use dokku_core::{apps, Result};
use dokku_trigger::Ctx;

use crate::store;

/// Run `domains:clear`.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    store::set_app(&ctx.paths, &app, &[])?;
    ctx.out.info1(&format!("Cleared domains in {app}"));
    crate::ops::changed(ctx, &app, "clear", &[])
}

/// Run `domains:clear-global`.
pub fn run_global(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    store::set_global(&ctx.paths, &[])?;
    ctx.out.info1("Cleared global domains");
    crate::ops::changed_global(ctx, "clear", &[])
}
