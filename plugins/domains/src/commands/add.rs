//! `domains:add <app> <domain>...` and `domains:add-global <domain>...`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops::add;
use crate::store;

/// Run `domains:add`.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let (app, domains) = super::app_and_domains(ctx, "domains:add", argv)?;
    add(ctx, &app, &domains)
}

/// Run `domains:add-global`.
pub fn run_global(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let domains = crate::ops::domains("domains:add-global", None, argv)?;
    let mut all = store::global(&ctx.paths);
    for d in &domains {
        if !all.contains(d) {
            all.push(d.clone());
        }
    }
    store::set_global(&ctx.paths, &all)?;
    ctx.out
        .info1(&format!("Added {} to global domains", domains.join(" ")));
    crate::ops::changed_global(ctx, "add", &domains)
}
