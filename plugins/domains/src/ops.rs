//! The operations behind the domains commands and triggers: validating
//! names, changing an app's list, telling the proxy.

use dokku_core::{apps, Error, Result};
use dokku_trigger::proxy::{PostDomainsUpdate, PreDisableVhost, PreEnableVhost, ProxyBuildConfig};
use dokku_trigger::Ctx;

use crate::{store, validate};

/// Add domains to an app (also the `domains-add` trigger).
pub fn add(ctx: &Ctx, app: &str, names: &[String]) -> Result<()> {
    let domains = domains("domains:add", Some(app), names)?;
    warn_ips(ctx, &domains);
    let mut all = store::app_domains(ctx, app);
    for d in &domains {
        if !all.contains(d) {
            all.push(d.clone());
        }
    }
    store::set_app(&ctx.paths, app, &all)?;
    ctx.out
        .info1(&format!("Added {} to {app}", domains.join(" ")));
    changed(ctx, app, "add", &domains)
}

/// At least one domain, each valid, duplicates dropped.
pub fn domains(cmd: &str, app: Option<&str>, args: &[String]) -> Result<Vec<String>> {
    if args.is_empty() {
        let head = match app {
            Some(app) => format!("{cmd} {app}"),
            None => cmd.to_string(),
        };
        return Err(Error::fail(format!(
            "Please specify a domain name. Usage: dokku {head} <domain> [<domain> ...]"
        )));
    }
    let mut out: Vec<String> = Vec::new();
    for d in args {
        if validate::kind(d).is_none() {
            return Err(Error::fail(format!("{d} is invalid. exiting...")));
        }
        if !out.contains(d) {
            out.push(d.clone());
        }
    }
    Ok(out)
}

/// Warn about address domains, as Dokku does when nginx is the proxy.
pub fn warn_ips(ctx: &Ctx, domains: &[String]) {
    for d in domains {
        match validate::kind(d) {
            Some(validate::Kind::Ipv4) => ctx
                .out
                .warn("Detected IPv4 domain name with nginx proxy enabled."),
            Some(validate::Kind::Ipv6) => ctx
                .out
                .warn("Detected IPv6 domain name with nginx proxy enabled."),
            _ => continue,
        }
        ctx.out
            .warn("Ensure the default nginx site is removed before continuing.");
    }
}

/// Tell the proxy an app's domains changed.
pub fn changed(ctx: &Ctx, app: &str, action: &str, domains: &[String]) -> Result<()> {
    ctx.bus.notify(
        ctx,
        &PostDomainsUpdate {
            app: app.to_string(),
            action: action.to_string(),
            domains: domains.to_vec(),
        },
    )
}

/// Tell the proxy of every app that the global domains changed: apps
/// following the defaults get new names.
pub fn changed_global(ctx: &Ctx, action: &str, domains: &[String]) -> Result<()> {
    for app in apps::list(&ctx.paths) {
        if store::stored(&ctx.paths, &app).is_none() {
            changed(ctx, &app, action, domains)?;
        }
    }
    Ok(())
}

/// Let the proxy use the app's domains again; rebuild its config when
/// `rebuild` (`domains:enable`, and the `domains-enable` trigger when
/// asked to restart).
pub fn enable_app(ctx: &Ctx, app: &str, rebuild: bool) -> Result<()> {
    switch_app(ctx, app, true, rebuild)
}

/// Make the proxy listen without the app's domains; rebuild its config
/// when `rebuild`.
pub fn disable_app(ctx: &Ctx, app: &str, rebuild: bool) -> Result<()> {
    switch_app(ctx, app, false, rebuild)
}

/// Enable or disable the app's domains (see [`enable_app`] and
/// [`disable_app`]); nothing but a note when they already are.
fn switch_app(ctx: &Ctx, app: &str, enable: bool, rebuild: bool) -> Result<()> {
    let (state, doing) = if enable {
        ("enabled", "Enabling")
    } else {
        ("disabled", "Disabling")
    };
    if store::vhost_enabled(ctx, app) == enable {
        ctx.out
            .info1(&format!("Domains (VHOST) already {state} for app ({app})"));
        return Ok(());
    }
    let app = app.to_string();
    if enable {
        ctx.bus.notify(ctx, &PreEnableVhost { app: app.clone() })?;
    } else {
        ctx.bus.notify(ctx, &PreDisableVhost { app: app.clone() })?;
    }
    ctx.out.info1(&format!("{doing} domains for {app}"));
    store::set_vhost_enabled(&ctx.paths, &app, enable)?;
    if enable && store::stored(&ctx.paths, &app).is_some_and(|l| l.is_empty()) {
        store::remove_app_file(&ctx.paths, &app)?;
    }
    if rebuild {
        ctx.bus.notify(ctx, &ProxyBuildConfig { app })?;
    }
    Ok(())
}
