//! The builder-herokuish properties, declared once: `:set`, `:report` and
//! the `report` trigger come from this table.

use dokku_core::schema::{Prop, Schema};
use dokku_core::Paths;
use dokku_trigger::{release, ReportDef};

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder-herokuish";

/// herokuish runs on amd64 hosts only, unless allowed explicitly.
const HOST_DEFAULT: &str = if cfg!(target_arch = "x86_64") {
    "true"
} else {
    "false"
};

/// The properties.
pub static SCHEMA: Schema = release::builder_schema(PLUGIN, &[Prop::both("allowed", HOST_DEFAULT)]);

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA);

/// Whether herokuish may build the app: app value, else global, else
/// whether the host is amd64.
pub fn allowed(paths: &Paths, app: &str) -> bool {
    SCHEMA.enabled(paths, app, "allowed")
}
