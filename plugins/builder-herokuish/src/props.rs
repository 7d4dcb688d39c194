//! builder-herokuish properties, and `builder-herokuish:set` with the
//! messages of Dokku's shell plugins.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{apps, Error, Paths, Result};
use dokku_trigger::Ctx;

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder-herokuish";
const KEYS: &[&str] = &["allowed"];

/// The raw value (empty when unset).
pub fn raw(paths: &Paths, app: &str, key: &str) -> String {
    Properties::new(paths, PLUGIN).get_str(app, key)
}

/// Whether herokuish may build the app: app value, else global, else
/// whether the host is amd64.
pub fn allowed(paths: &Paths, app: &str) -> bool {
    match [raw(paths, app, "allowed"), raw(paths, GLOBAL, "allowed")]
        .into_iter()
        .find(|v| !v.is_empty())
    {
        Some(v) => v == "true",
        None => std::env::consts::ARCH == "x86_64",
    }
}

/// `builder-herokuish:set [--global|<app>] <key> [<value>]`.
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
