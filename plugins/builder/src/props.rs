//! The builder plugin's properties, declared once: `:set`, `:report` and
//! the `report` trigger come from this table.

use dokku_core::report::Rows;
use dokku_core::schema::{check, Keys, Prop, Schema};
use dokku_core::{Paths, Result};
use dokku_trigger::{Ctx, ReportDef};

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder";

/// `skip-cleanup` defaults to `DOKKU_SKIP_CLEANUP`, then `false`.
fn skip_cleanup_default() -> String {
    match std::env::var("DOKKU_SKIP_CLEANUP").as_deref() {
        Ok("true") => "true".into(),
        _ => "false".into(),
    }
}

/// The properties. `selected` and `build-dir` have no computed key in the
/// global report.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN,
    &[
        Prop::both("build-dir", "").keys(Keys::ALL.without(Keys::COMPUTED_REPORT)),
        Prop::both("selected", "").keys(Keys::ALL.without(Keys::COMPUTED_REPORT)),
        Prop::both("skip-cleanup", "")
            .default_with(skip_cleanup_default)
            .check(check::true_or_false),
    ],
)
.legacy_json();

fn detected(ctx: &Ctx, app: &str) -> Result<Rows> {
    Ok(vec![(
        "--builder-detected".into(),
        raw(&ctx.paths, app, "detected"),
    )])
}

/// The report: the properties plus the detected builder.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(detected);

/// The raw value (empty when unset).
pub fn raw(paths: &Paths, app: &str, key: &str) -> String {
    SCHEMA.raw(paths, app, key)
}

/// The app's value, else the global one, else the default.
pub fn computed(paths: &Paths, app: &str, key: &str) -> String {
    SCHEMA.computed(paths, app, key)
}

/// Write a property.
pub fn write(paths: &Paths, app: &str, key: &str, value: &str) -> Result<()> {
    SCHEMA.store(paths).write(app, key, value)
}
