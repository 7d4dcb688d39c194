//! `proxy:report [<app>|--global] [--format stdout|json] [--<flag>]`, and
//! the proxy properties, declared once.

use dokku_core::report::{ReportSpec, Rows};
use dokku_core::schema::{Prop, Schema};
use dokku_core::set::Wording;
use dokku_core::{Error, Result};
use dokku_trigger::{Ctx, ReportDef};

use crate::store::{self, DEFAULT_TYPE, PLUGIN};

fn port(key: &str, value: &str) -> Result<()> {
    match value.parse::<u16>() {
        Ok(p) if p > 0 => Ok(()),
        _ => Err(Error::fail(format!(
            "Invalid value for {key}, must be a port number"
        ))),
    }
}

/// The properties. `disabled` is written by `proxy:disable|enable`.
pub static SCHEMA: Schema = Schema {
    store: PLUGIN,
    command: PLUGIN,
    report: ReportSpec {
        title: PLUGIN,
        prefix: PLUGIN,
        legacy_json_keys: true,
    },
    wording: Wording::GO,
    props: &[
        Prop::both("proxy-port", "").check(port),
        Prop::both("proxy-ssl-port", "").check(port),
        Prop::both("type", DEFAULT_TYPE),
    ],
};

/// Whether the proxy is enabled, and the `disabled` property.
fn state(ctx: &Ctx, app: &str) -> Result<Rows> {
    let paths = &ctx.paths;
    let disabled = SCHEMA.raw(paths, app, "disabled").trim().to_string();
    let computed_disabled = if disabled.is_empty() {
        "false".to_string()
    } else {
        disabled.clone()
    };
    Ok(vec![
        (
            "--proxy-enabled".into(),
            store::is_enabled(paths, app).to_string(),
        ),
        ("--proxy-disabled".into(), disabled),
        ("--proxy-computed-disabled".into(), computed_disabled),
    ])
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(state);

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}
