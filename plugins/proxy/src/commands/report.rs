//! `proxy:report [<app>|--global] [--format stdout|json] [--<flag>]`, and
//! the proxy properties, declared once.

use dokku_core::report::Rows;
use dokku_core::schema::{check, Prop, Schema};
use dokku_core::Result;
use dokku_trigger::{Ctx, ReportDef};

use crate::store::{self, DEFAULT_TYPE, PLUGIN};

/// The properties. `disabled` is written by `proxy:disable|enable`.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN,
    &[
        Prop::both("proxy-port", "").check(check::port),
        Prop::both("proxy-ssl-port", "").check(check::port),
        Prop::both("type", DEFAULT_TYPE),
    ],
)
.legacy_json();

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
