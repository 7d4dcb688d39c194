//! `domains:remove <app> <domain>...` and `domains:remove-global
//! <domain>...`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::store;

fn listed(cmd: &str, app: Option<&str>, args: &[String]) -> Result<Vec<String>> {
    if args.is_empty() {
        return crate::ops::domains(cmd, app, args);
    }
    Ok(args.to_vec())
}

/// Run `domains:remove`.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    let domains = listed("domains:remove", Some(&app), &argv[1..])?;
    let mut all = store::app_domains(ctx, &app);
    all.retain(|d| !domains.contains(d));
    store::set_app(&ctx.paths, &app, &all)?;
    ctx.out
        .info1(&format!("Removed {} from {app}", domains.join(" ")));
    crate::ops::changed(ctx, &app, "remove", &domains)
}

/// Run `domains:remove-global`.
pub fn run_global(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let domains = listed("domains:remove-global", None, argv)?;
    if domains.iter().any(|d| d.is_empty()) {
        return Err(Error::fail("Please specify a domain name. Usage: dokku domains:remove-global <domain> [<domain> ...]"));
    }
    let mut all = store::global(&ctx.paths);
    all.retain(|d| !domains.contains(d));
    store::set_global(&ctx.paths, &all)?;
    ctx.out.info1(&format!(
        "Removed {} from global domains",
        domains.join(" ")
    ));
    crate::ops::changed_global(ctx, "remove", &domains)
}
