//! The builder plugin's properties and their computed values.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{Paths, Result};

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder";

/// The raw value (empty when unset).
pub fn raw(paths: &Paths, app: &str, key: &str) -> String {
    Properties::new(paths, PLUGIN).get_str(app, key)
}

/// The app's value, else the global one, else the default (`skip-cleanup`
/// falls back to `DOKKU_SKIP_CLEANUP`, then `false`).
pub fn computed(paths: &Paths, app: &str, key: &str) -> String {
    let own = raw(paths, app, key);
    if !own.is_empty() {
        return own;
    }
    let global = raw(paths, GLOBAL, key);
    if !global.is_empty() {
        return global;
    }
    match key {
        "skip-cleanup" => match std::env::var("DOKKU_SKIP_CLEANUP").as_deref() {
            Ok("true") => "true".into(),
            _ => "false".into(),
        },
        _ => String::new(),
    }
}

/// Write a property.
pub fn write(paths: &Paths, app: &str, key: &str, value: &str) -> Result<()> {
    Properties::new(paths, PLUGIN).write(app, key, value)
}
