//! Where ps keeps things: its properties (`$DOKKU_LIB_ROOT/config/ps/`),
//! the app's extracted Procfile (`$DOKKU_LIB_ROOT/data/ps/<app>/Procfile`)
//! and the computed values other plugins ask for.

use std::path::PathBuf;

use dokku_core::lock::StateLock;
use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{fsutil, Paths, Result};

use crate::procfile::{self, Process};
use crate::scale::{self, Scale};

/// The plugin's property namespace.
pub const PLUGIN: &str = "ps";

/// The restart policy when none is set.
pub const DEFAULT_RESTART_POLICY: &str = "on-failure:10";

/// Seconds `docker stop` waits when none is set.
pub const DEFAULT_STOP_TIMEOUT: &str = "30";

/// The Procfile path when none is set.
pub const DEFAULT_PROCFILE_PATH: &str = "Procfile";

/// The ps properties of the app.
pub fn props(paths: &Paths) -> Properties<'_> {
    Properties::new(paths, PLUGIN)
}

/// An app value, else the global value, else `default`.
pub fn computed(paths: &Paths, app: &str, key: &str, default: &str) -> String {
    let p = props(paths);
    if let Some(v) = p.app_value(app, key) {
        return v;
    }
    let g = p.get_str(GLOBAL, key);
    if !g.trim().is_empty() {
        return g;
    }
    default.to_string()
}

/// A computed property by name, as `ps-get-property` answers it.
pub fn property(paths: &Paths, app: &str, key: &str) -> String {
    match key {
        "restart-policy" => computed(paths, app, key, DEFAULT_RESTART_POLICY),
        "stop-timeout-seconds" => computed(paths, app, key, DEFAULT_STOP_TIMEOUT),
        "procfile-path" => computed(paths, app, key, DEFAULT_PROCFILE_PATH),
        "skip-deploy" => computed(paths, app, key, "false"),
        "restore" => props(paths)
            .get_or(app, key, "true")
            .unwrap_or_else(|_| "true".into()),
        "can-scale" => props(paths)
            .get_or(app, key, "true")
            .unwrap_or_else(|_| "true".into()),
        other => props(paths).get_str(app, other),
    }
}

/// The app's data directory.
pub fn data_dir(paths: &Paths, app: &str) -> PathBuf {
    paths.plugin_data_dir(PLUGIN).join(app)
}

/// The app's extracted Procfile.
pub fn procfile_path(paths: &Paths, app: &str) -> PathBuf {
    data_dir(paths, app).join("Procfile")
}

/// The app's Procfile content, if one was extracted.
pub fn procfile_content(paths: &Paths, app: &str) -> Result<Option<String>> {
    fsutil::read_optional(&procfile_path(paths, app))
}

/// The processes of the app's Procfile; `None` without a Procfile. A
/// Procfile that does not parse fails with `Invalid Procfile: ...`.
pub fn processes(paths: &Paths, app: &str) -> Result<Option<Vec<Process>>> {
    match procfile_content(paths, app)? {
        None => Ok(None),
        Some(c) => procfile::parse(&c)
            .map(Some)
            .map_err(|e| dokku_core::Error::fail(format!("Invalid Procfile: {e}"))),
    }
}

/// Store (or, with `None`, forget) the app's Procfile.
pub fn write_procfile(paths: &Paths, app: &str, content: Option<&str>) -> Result<()> {
    match content {
        Some(c) => fsutil::write_atomic(&procfile_path(paths, app), c.as_bytes(), 0o644),
        None => fsutil::remove_file(&procfile_path(paths, app)),
    }
}

/// The app's stored scale.
pub fn scale(paths: &Paths, app: &str) -> Result<Scale> {
    scale::parse_stored(&props(paths).get_str(app, "scale"))
}

/// Replace the app's scale.
pub fn write_scale(paths: &Paths, app: &str, s: &Scale) -> Result<()> {
    let _lock = StateLock::acquire(paths, app)?;
    props(paths).write(app, "scale", &scale::render(s))
}

/// The process types the app defines: its Procfile's, or just `web` (the
/// image's command) without one. The `release` type is never scaled.
pub fn defined_types(paths: &Paths, app: &str) -> Result<Vec<String>> {
    Ok(match processes(paths, app)? {
        Some(p) => p
            .into_iter()
            .map(|p| p.name)
            .filter(|n| n != "release")
            .collect(),
        None => vec!["web".to_string()],
    })
}
