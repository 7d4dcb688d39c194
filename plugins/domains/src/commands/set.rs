//! `domains:set <app> <domain>...`, `domains:set-global <domain>...` and
//! `domains:reset <app>`.

use dokku_core::{apps, Result};
use dokku_trigger::Ctx;

use crate::store;

/// Run `domains:set`.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let (app, domains) = super::app_and_domains(ctx, "domains:set", argv)?;
    crate::ops::warn_ips(ctx, &domains);
    store::set_app(&ctx.paths, &app, &domains)?;
    ctx.out
        .info1(&format!("Set {} for {app}", domains.join(" ")));
    crate::ops::changed(ctx, &app, "set", &domains)
}

/// Run `domains:set-global`.
pub fn run_global(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let domains = crate::ops::domains("domains:set-global", None, argv)?;
    store::set_global(&ctx.paths, &domains)?;
    ctx.out
        .info1(&format!("Set {} as global domains", domains.join(" ")));
    crate::ops::changed_global(ctx, "set", &domains)
}

/// Run `domains:reset`: the app's domains become the defaults again.
pub fn reset(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    let defaults = store::defaults(ctx, &app);
    store::set_app(&ctx.paths, &app, &defaults)?;
    ctx.out.info1(&format!("Reset domains for {app}"));
    crate::ops::changed(ctx, &app, "reset", &defaults)
}
