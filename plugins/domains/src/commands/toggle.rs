//! `domains:enable <app>|--all` and `domains:disable <app>|--all`: whether
//! the proxy uses the app's domains (when disabled, it listens without a
//! server name).

use dokku_core::args::{self, Spec};
use dokku_core::{apps, Error, Result};
use dokku_trigger::proxy::{PreDisableVhost, PreEnableVhost, ProxyBuildConfig};
use dokku_trigger::Ctx;

use crate::store;

fn targets(ctx: &Ctx, argv: &[String]) -> Result<Vec<String>> {
    let parsed = args::parse(argv, Spec::new(&["--all"], &[]))?;
    if parsed.has("--all") {
        let list = apps::list(&ctx.paths);
        if list.is_empty() {
            return Err(Error::fail(apps::NO_APPS));
        }
        return Ok(list);
    }
    Ok(vec![apps::require(&ctx.paths, parsed.arg(0))?])
}

/// Run `domains:enable`.
pub fn enable(ctx: &Ctx, argv: &[String]) -> Result<()> {
    for app in targets(ctx, argv)? {
        if store::vhost_enabled(ctx, &app) {
            ctx.out
                .info1(&format!("Domains (VHOST) already enabled for app ({app})"));
            continue;
        }
        ctx.bus.notify(ctx, &PreEnableVhost { app: app.clone() })?;
        ctx.out.info1(&format!("Enabling domains for {app}"));
        store::set_vhost_enabled(&ctx.paths, &app, true)?;
        if store::stored(&ctx.paths, &app).is_some_and(|l| l.is_empty()) {
            store::remove_app_file(&ctx.paths, &app)?;
        }
        ctx.bus.notify(ctx, &ProxyBuildConfig { app })?;
    }
    Ok(())
}

/// Run `domains:disable`.
pub fn disable(ctx: &Ctx, argv: &[String]) -> Result<()> {
    for app in targets(ctx, argv)? {
        if !store::vhost_enabled(ctx, &app) {
            ctx.out
                .info1(&format!("Domains (VHOST) already disabled for app ({app})"));
            continue;
        }
        ctx.bus.notify(ctx, &PreDisableVhost { app: app.clone() })?;
        ctx.out.info1(&format!("Disabling domains for {app}"));
        store::set_vhost_enabled(&ctx.paths, &app, false)?;
        ctx.bus.notify(ctx, &ProxyBuildConfig { app })?;
    }
    Ok(())
}
