//! The `<plugin>:set <app>|--global <key> [<value>]` framework: validates the
//! key against the plugin's settable properties, writes or (with no value)
//! removes the property, and prints Dokku's lines.

use dokku_output::Output;

use crate::error::{Error, Result};
use crate::paths::Paths;
use crate::property::{Properties, GLOBAL};

/// Where a property may be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Per app only.
    App,
    /// Per app or `--global`.
    Both,
    /// `--global` only.
    Global,
}

/// One settable property of a plugin.
#[derive(Debug, Clone, Copy)]
pub struct Settable<'a> {
    /// Property name as typed by the user and stored on disk.
    pub key: &'a str,
    /// Where it may be set.
    pub scope: Scope,
}

/// Run `<plugin>:set`. `argv` is everything after the command name.
/// `validate` may refuse a value before anything is written.
pub fn run_command(
    paths: &Paths,
    out: &Output,
    plugin: &str,
    settable: &[Settable<'_>],
    argv: &[String],
    validate: &dyn Fn(&str, &str) -> Result<()>,
) -> Result<()> {
    let mut rest: Vec<&str> = argv.iter().map(String::as_str).collect();
    let global = if let Some(pos) = rest.iter().position(|a| *a == GLOBAL) {
        rest.remove(pos);
        true
    } else {
        false
    };
    let (app, key, value) = if global {
        (
            GLOBAL.to_string(),
            rest.first().copied().unwrap_or(""),
            rest.get(1..).map(|v| v.join(" ")).unwrap_or_default(),
        )
    } else {
        let app = rest.first().copied().unwrap_or("");
        crate::apps::verify(paths, app)?;
        (
            app.to_string(),
            rest.get(1).copied().unwrap_or(""),
            rest.get(2..).map(|v| v.join(" ")).unwrap_or_default(),
        )
    };
    if key.is_empty() {
        return Err(Error::fail("No property specified"));
    }
    let Some(prop) = settable.iter().find(|s| s.key == key) else {
        let mut keys: Vec<&str> = settable.iter().map(|s| s.key).collect();
        keys.sort();
        return Err(Error::fail(format!(
            "Invalid property specified, valid properties include: {}",
            keys.join(", ")
        )));
    };
    match (global, prop.scope) {
        (true, Scope::App) => return Err(Error::fail("Property cannot be specified globally")),
        (false, Scope::Global) => {
            return Err(Error::fail("Property can only be specified globally"))
        }
        _ => {}
    }
    if !value.is_empty() {
        validate(key, &value)?;
    }
    let props = Properties::new(paths, plugin);
    let _lock = crate::lock::StateLock::acquire(paths, &app)?;
    if value.is_empty() {
        out.info2_quiet(&format!("Unsetting {key}"));
        props.delete(&app, key)
    } else {
        out.info2_quiet(&format!("Setting {key} to {value}"));
        props.write(&app, key, &value)
    }
}
