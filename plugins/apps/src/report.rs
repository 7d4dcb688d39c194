//! The apps plugin's properties, declared once, and the rows of
//! `apps:report` that are not properties.

use dokku_core::report::Rows;
use dokku_core::schema::{check, Prop, Schema};
use dokku_core::Result;
use dokku_trigger::{Ctx, ReportDef};

/// The properties: only `disable-autocreation` is settable.
pub static SCHEMA: Schema = Schema::named(
    "app",
    &[Prop::global("disable-autocreation", "false").check(check::true_or_false)],
)
.stored_as(crate::ops::PLUGIN)
.command("apps")
.legacy_json();

/// Where the app lives, how it was deployed and whether it is locked.
fn app_rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    let paths = &ctx.paths;
    let props = SCHEMA.store(paths);
    Ok(vec![
        ("--app-created-at".into(), props.get_str(app, "created-at")),
        (
            "--app-deploy-source".into(),
            props.get_str(app, "deploy-source"),
        ),
        (
            "--app-deploy-source-metadata".into(),
            props.get_str(app, "deploy-source-metadata"),
        ),
        ("--app-dir".into(), paths.app_dir(app).display().to_string()),
        (
            "--app-locked".into(),
            crate::ops::is_locked(paths, app).to_string(),
        ),
    ])
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(app_rows);
