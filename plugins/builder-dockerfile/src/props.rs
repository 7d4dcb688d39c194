//! The builder-dockerfile properties, declared once: `:set`, `:report` and
//! the `report` trigger come from this table.

use dokku_core::schema::{Prop, Schema};
use dokku_core::Paths;
use dokku_trigger::{release, ReportDef};

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder-dockerfile";

/// The properties.
pub static SCHEMA: Schema =
    release::builder_schema(PLUGIN, &[Prop::both("dockerfile-path", "Dockerfile")]);

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA);

/// The Dockerfile's path inside the source: app value, else global, else
/// `Dockerfile`.
pub fn dockerfile_path(paths: &Paths, app: &str) -> String {
    SCHEMA.computed(paths, app, "dockerfile-path")
}
