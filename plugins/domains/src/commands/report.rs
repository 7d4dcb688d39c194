//! `domains:report [<app>|--global] [--format stdout|json] [--<flag>]`.

use dokku_core::report::Rows;
use dokku_core::schema::Schema;
use dokku_core::Result;
use dokku_trigger::{Ctx, ReportDef};

use crate::store;

/// The report's names; it has no settable properties.
pub static SCHEMA: Schema = Schema::named("domains", &[]);

fn global_rows(ctx: &Ctx) -> Result<Rows> {
    let global = store::global(&ctx.paths);
    Ok(vec![
        (
            "--domains-global-enabled".into(),
            (!global.is_empty()).to_string(),
        ),
        ("--domains-global-vhosts".into(), global.join(" ")),
    ])
}

/// One app's rows.
fn rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    let mut rows: Rows = vec![
        (
            "--domains-app-enabled".into(),
            store::vhost_enabled(ctx, app).to_string(),
        ),
        (
            "--domains-app-vhosts".into(),
            store::app_domains(ctx, app).join(" "),
        ),
    ];
    rows.extend(global_rows(ctx)?);
    Ok(rows)
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA)
    .extra(rows)
    .global_extra(global_rows);

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}
