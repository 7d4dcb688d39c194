//! `domains:enable <app>|--all` and `domains:disable <app>|--all`: whether
//! the proxy uses the app's domains (when disabled, it listens without a
//! server name).

use dokku_core::args::{self, Spec};
use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

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
        crate::ops::enable_app(ctx, &app, true)?;
    }
    Ok(())
}

/// Run `domains:disable`.
pub fn disable(ctx: &Ctx, argv: &[String]) -> Result<()> {
    for app in targets(ctx, argv)? {
        crate::ops::disable_app(ctx, &app, true)?;
    }
    Ok(())
}
