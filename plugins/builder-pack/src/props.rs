//! builder-pack properties, and `builder-pack:set` with the
//! messages of Dokku's shell plugins.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{apps, Error, Paths, Result};
use dokku_trigger::Ctx;

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder-pack";
const KEYS: &[&str] = &["projecttoml-path"];

/// The raw value (empty when unset).
pub fn raw(paths: &Paths, app: &str, key: &str) -> String {
    Properties::new(paths, PLUGIN).get_str(app, key)
}

/// The project.toml path inside the source: app value, else global, else
/// `project.toml`.
pub fn projecttoml_path(paths: &Paths, app: &str) -> String {
    [
        raw(paths, app, "projecttoml-path"),
        raw(paths, GLOBAL, "projecttoml-path"),
    ]
    .into_iter()
    .find(|v| !v.is_empty())
    .unwrap_or_else(|| "project.toml".to_string())
}

/// `builder-pack:set [--global|<app>] <key> [<value>]`.
pub fn set(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = argv.first().map(String::as_str).unwrap_or("");
    if app != GLOBAL {
        if app.is_empty() {
            return Err(Error::fail(apps::MISSING_APP));
        }
        apps::verify(&ctx.paths, app)?;
    }
    let key = argv.get(1).map(String::as_str).unwrap_or("");
    let value = argv.get(2).map(String::as_str).unwrap_or("");
    if key.is_empty() {
        return Err(Error::fail("No key specified"));
    }
    if !KEYS.contains(&key) {
        return Err(Error::fail(format!(
            "Invalid key specified, valid keys include: {}",
            KEYS.join(", ")
        )));
    }
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, app)?;
    let props = Properties::new(&ctx.paths, PLUGIN);
    if value.is_empty() {
        ctx.out.info2_quiet(&format!("Unsetting {key}"));
        props.delete(app, key)
    } else {
        ctx.out.info2_quiet(&format!("Setting {key} to {value}"));
        props.write(app, key, value)
    }
}
