//! The builder-pack properties, declared once: `:set`, `:report` and the
//! `report` trigger come from this table.

use dokku_core::schema::{Prop, Schema};
use dokku_core::Paths;
use dokku_trigger::{release, ReportDef};

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder-pack";

/// The properties.
pub static SCHEMA: Schema =
    release::builder_schema(PLUGIN, &[Prop::both("projecttoml-path", "project.toml")]);

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA);

/// The project.toml path inside the source: app value, else global, else
/// `project.toml`.
pub fn projecttoml_path(paths: &Paths, app: &str) -> String {
    SCHEMA.computed(paths, app, "projecttoml-path")
}
