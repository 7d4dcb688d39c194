//! One module per `proxy:*` command.

pub mod build_config;
pub mod clear_config;
pub mod disable;
pub mod enable;
pub mod report;
pub mod set;

use dokku_core::args::{self, Spec};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::store;

/// `[--parallel count] [--all|<app>]`: the apps named, every app with
/// `--all`.
pub fn targets(ctx: &Ctx, argv: &[String]) -> Result<Vec<String>> {
    let parsed = args::parse(argv, Spec::new(&["--all"], &["--parallel"]))?;
    if let Some(n) = parsed.value("--parallel") {
        match n.parse::<i64>() {
            Ok(v) if v == -1 || v >= 1 => {}
            _ => {
                return Err(Error::fail(format!(
                    "Invalid value {n} for --parallel flag"
                )))
            }
        }
    }
    store::target_apps(&ctx.paths, parsed.has("--all"), parsed.arg(0))
}

/// Run `each` for every app; with more than one app, as one batch (the
/// proxy validates and reloads once, at the end). Every app is tried; the
/// first failure is returned at the end.
pub fn batched(
    ctx: &Ctx,
    apps: Vec<String>,
    each: impl Fn(&Ctx, String) -> Result<()>,
) -> Result<()> {
    if apps.len() < 2 {
        for app in apps {
            each(ctx, app)?;
        }
        return Ok(());
    }
    ctx.begin_batch();
    let mut first_err = None;
    for app in apps {
        if let Err(e) = each(ctx, app) {
            let msg = e.to_string();
            if !msg.is_empty() {
                ctx.out.warn(&msg);
            }
            first_err.get_or_insert(Error::exit(e.exit_code()));
        }
    }
    let end = ctx.end_batch();
    match (first_err, end) {
        (_, Err(e)) => Err(e),
        (Some(e), Ok(())) => Err(e),
        (None, Ok(())) => Ok(()),
    }
}

/// Records whether the app's proxy is on, saying so first.
fn switch(ctx: &Ctx, app: &str, enabled: bool) -> Result<()> {
    ctx.out.info1(if enabled {
        "Enabling proxy for app"
    } else {
        "Disabling proxy for app"
    });
    store::set_enabled(&ctx.paths, app, enabled)
}
