//! One module per group of `domains:*` commands.

pub mod add;
pub mod clear;
pub mod remove;
pub mod report;
pub mod set;
pub mod toggle;

use dokku_core::{apps, Result};
use dokku_trigger::Ctx;

use crate::ops::domains;

/// The app and at least one domain, each valid.
pub fn app_and_domains(ctx: &Ctx, cmd: &str, argv: &[String]) -> Result<(String, Vec<String>)> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    let domains = domains(cmd, Some(&app), &argv[1..])?;
    Ok((app, domains))
}
