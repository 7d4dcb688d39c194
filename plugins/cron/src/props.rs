//! cron properties, declared once, and the report built on them.

use dokku_core::report::Rows;
use dokku_core::schema::{check, Keys, Prop, Schema};
use dokku_core::{Error, Result};
use dokku_trigger::{Ctx, ReportDef};

use crate::tasks;

/// The plugin's property namespace.
pub const PLUGIN: &str = "cron";

/// Keys of a global-only property: its global value and the value in
/// effect, in app reports and in the `--global` report.
const GLOBAL_KEYS: Keys = Keys::GLOBAL
    .with(Keys::COMPUTED)
    .with(Keys::GLOBAL_REPORT)
    .with(Keys::COMPUTED_REPORT);

/// The properties.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN,
    &[
        Prop::global("mailfrom", "")
            .keys(GLOBAL_KEYS)
            .check(one_line),
        Prop::global("mailto", "").keys(GLOBAL_KEYS).check(one_line),
        Prop::both("maintenance", "false").check(check::true_or_false),
    ],
)
.legacy_json();

/// The report: the properties, the task count and one maintenance row per
/// task.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(task_rows);

/// The property holding the suspension of one task.
pub fn task_key(id: &str) -> String {
    format!("maintenance.{id}")
}

/// Values end up as crontab variables: one line only.
fn one_line(key: &str, value: &str) -> Result<()> {
    if value.contains(['\n', '\r']) {
        return Err(Error::fail(format!(
            "Invalid value for {key}: must be one line"
        )));
    }
    Ok(())
}

fn task_rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    let list = tasks::for_app(ctx, app).unwrap_or_default();
    let store = SCHEMA.store(&ctx.paths);
    let mut rows = Rows::new();
    rows.push(("--cron-task-count".to_string(), list.len().to_string()));
    for t in &list {
        let v = store.get_str(app, &task_key(&t.id));
        rows.push((
            format!("--cron-maintenance-{}", t.id),
            if v.is_empty() { "false".to_string() } else { v },
        ));
    }
    Ok(rows)
}
