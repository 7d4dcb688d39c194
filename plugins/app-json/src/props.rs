//! app-json properties and where the kept app.json lives.

use std::path::PathBuf;

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{fsutil, Paths, Result};

/// The plugin's property namespace.
pub const PLUGIN: &str = "app-json";

/// The raw value (empty when unset).
pub fn raw(paths: &Paths, app: &str, key: &str) -> String {
    Properties::new(paths, PLUGIN).get_str(app, key)
}

/// Where app.json is read from, relative to the source: app value, else
/// global, else `app.json`.
pub fn appjson_path(paths: &Paths, app: &str) -> String {
    [
        raw(paths, app, "appjson-path"),
        raw(paths, GLOBAL, "appjson-path"),
    ]
    .into_iter()
    .find(|v| !v.is_empty())
    .unwrap_or_else(|| "app.json".to_string())
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
