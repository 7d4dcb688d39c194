//! Proxy properties: `disabled` (per app), `type`, `proxy-port` and
//! `proxy-ssl-port` (per app or global).

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{apps, Error, Paths, Result};

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "proxy";

/// The proxy used when none is set.
pub const DEFAULT_TYPE: &str = "nginx";

/// An app value, else the global one, else the default (`nginx` for
/// `type`, empty otherwise).
pub fn computed(paths: &Paths, app: &str, key: &str) -> String {
    let app = if app.is_empty() { GLOBAL } else { app };
    crate::commands::report::SCHEMA
        .computed(paths, app, key)
        .trim()
        .to_string()
}

/// Whether the proxy of an app is enabled (its `disabled` property is not
/// `true`).
pub fn is_enabled(paths: &Paths, app: &str) -> bool {
    Properties::new(paths, PLUGIN)
        .get_str(app, "disabled")
        .trim()
        != "true"
}

/// Record whether the proxy of an app is enabled.
pub fn set_enabled(paths: &Paths, app: &str, enabled: bool) -> Result<()> {
    Properties::new(paths, PLUGIN).set_enabled(app, enabled)
}

/// The apps a command acts on: every app with `--all`, else the named one.
pub fn target_apps(paths: &Paths, all: bool, app: Option<&str>) -> Result<Vec<String>> {
    if all {
        let list = apps::list(paths);
        if list.is_empty() {
            return Err(Error::fail(apps::NO_APPS));
        }
        return Ok(list);
    }
    Ok(vec![apps::require(paths, app)?])
}
