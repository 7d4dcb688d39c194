//! app-json properties, declared once, and where the kept app.json lives.

use std::path::PathBuf;

use dokku_core::schema::{Prop, Schema};
use dokku_core::{fsutil, Paths, Result};
use dokku_trigger::ReportDef;

/// The plugin's property namespace.
pub const PLUGIN: &str = "app-json";

/// The properties.
pub static SCHEMA: Schema =
    Schema::named(PLUGIN, &[Prop::both("appjson-path", "app.json")]).legacy_json();

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA);

/// Where app.json is read from, relative to the source: app value, else
/// global, else `app.json`.
pub fn appjson_path(paths: &Paths, app: &str) -> String {
    SCHEMA.computed(paths, app, "appjson-path")
}

/// `$DOKKU_LIB_ROOT/data/app-json/<app>`.
pub fn data_dir(paths: &Paths, app: &str) -> PathBuf {
    paths.plugin_data_dir(PLUGIN).join(app)
}

/// The app.json kept from the last build.
pub fn kept_file(paths: &Paths, app: &str) -> PathBuf {
    data_dir(paths, app).join("app.json")
}

/// Copy (or move) the kept data of an app to another.
pub fn copy_data(paths: &Paths, from: &str, to: &str, remove: bool) -> Result<()> {
    let src = data_dir(paths, from);
    if src.is_dir() {
        fsutil::copy_dir_all(&src, &data_dir(paths, to))?;
        if remove {
            fsutil::remove_dir_all(&src)?;
        }
    }
    Ok(())
}
