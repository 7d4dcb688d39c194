//! `domains:add <app> <domain>...` and `domains:add-global <domain>...`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::store;

/// Add domains to an app (also the `domains-add` trigger).
pub fn add(ctx: &Ctx, app: &str, domains: &[String]) -> Result<()> {
    let domains = super::domains("domains:add", Some(app), domains)?;
    super::warn_ips(ctx, &domains);
    let mut all = store::app_domains(ctx, app);
    for d in &domains {
        if !all.contains(d) {
            all.push(d.clone());
        }
    }
    store::set_app(&ctx.paths, app, &all)?;
    ctx.out
        .info1(&format!("Added {} to {app}", domains.join(" ")));
    super::changed(ctx, app, "add", &domains)
}

/// Run `domains:add`.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let (app, domains) = super::app_and_domains(ctx, "domains:add", argv)?;
    add(ctx, &app, &domains)
}

/// Run `domains:add-global`.
pub fn run_global(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let domains = super::domains("domains:add-global", None, argv)?;
    let mut all = store::global(&ctx.paths);
    for d in &domains {
        if !all.contains(d) {
            all.push(d.clone());
        }
    }
    store::set_global(&ctx.paths, &all)?;
    ctx.out
        .info1(&format!("Added {} to global domains", domains.join(" ")));
    super::changed_global(ctx, "add", &domains)
}
