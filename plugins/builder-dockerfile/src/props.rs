//! The builder-dockerfile properties, declared once: `:set`, `:report` and
//! the `report` trigger come from this table.

use dokku_core::report::ReportSpec;
use dokku_core::schema::{Prop, Schema};
use dokku_core::set::Wording;
use dokku_core::Paths;
use dokku_trigger::ReportDef;

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder-dockerfile";

/// The properties.
pub static SCHEMA: Schema = Schema {
    store: PLUGIN,
    command: PLUGIN,
    report: ReportSpec {
        title: PLUGIN,
        prefix: PLUGIN,
        legacy_json_keys: false,
    },
    wording: Wording::SHELL,
    props: &[Prop::both("dockerfile-path", "Dockerfile")],
};

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA);

/// The Dockerfile's path inside the source: app value, else global, else
/// `Dockerfile`.
pub fn dockerfile_path(paths: &Paths, app: &str) -> String {
    SCHEMA.computed(paths, app, "dockerfile-path")
}
