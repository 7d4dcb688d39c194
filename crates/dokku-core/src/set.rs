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

/// How key errors are worded: Dokku's Go plugins and its bash plugins say
/// the same things in different words.
#[derive(Debug, Clone, Copy)]
pub enum Wording<'a> {
    /// `No property specified` / `Invalid property specified, valid
    /// properties include: ...` (Go plugins).
    Go,
    /// `No key specified` / `Invalid key specified, valid keys include:
    /// ...` (bash plugins). `keys` replaces the list of keys where Dokku's
    /// message names fewer than the plugin accepts.
    Shell {
        /// The list printed after `valid keys include: `, when not all keys.
        keys: Option<&'a str>,
    },
}

/// Run `<plugin>:set` with Go wording. `argv` is everything after the
/// command name. `validate` may refuse a value before anything is written.
pub fn run_command(
    paths: &Paths,
    out: &Output,
    plugin: &str,
    settable: &[Settable<'_>],
    argv: &[String],
    validate: &dyn Fn(&str, &str) -> Result<()>,
) -> Result<()> {
    run_command_worded(paths, out, plugin, settable, argv, validate, Wording::Go)
}

/// Run `<plugin>:set` with the given wording of key errors.
pub fn run_command_worded(
    paths: &Paths,
    out: &Output,
    plugin: &str,
    settable: &[Settable<'_>],
    argv: &[String],
    validate: &dyn Fn(&str, &str) -> Result<()>,
    wording: Wording<'_>,
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
        return Err(Error::fail(match wording {
            Wording::Go => "No property specified",
            Wording::Shell { .. } => "No key specified",
        }));
    }
    let Some(prop) = settable.iter().find(|s| s.key == key) else {
        let mut keys: Vec<&str> = settable.iter().map(|s| s.key).collect();
        keys.sort();
        let all = keys.join(", ");
        return Err(Error::fail(match wording {
            Wording::Go => format!("Invalid property specified, valid properties include: {all}"),
            Wording::Shell { keys } => {
                format!(
                    "Invalid key specified, valid keys include: {}",
                    keys.unwrap_or(&all)
                )
            }
        }));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(wording: Wording<'_>, argv: &[&str]) -> Result<String> {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&d.path().join("home"), &d.path().join("lib"));
        std::fs::create_dir_all(paths.app_dir("web")).expect("app dir");
        let (out, cap) = Output::captured(false);
        let settable = [
            Settable {
                key: "dockerfile-path",
                scope: Scope::Both,
            },
            Settable {
                key: "alpha",
                scope: Scope::App,
            },
        ];
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        run_command_worded(
            &paths,
            &out,
            "builder-dockerfile",
            &settable,
            &argv,
            &|_, _| Ok(()),
            wording,
        )?;
        Ok(cap.stdout())
    }

    #[test]
    fn go_and_shell_wording_of_key_errors() {
        let e = run(Wording::Go, &["web"]).expect_err("no key");
        assert_eq!(e.to_string(), "No property specified");
        let e = run(Wording::Go, &["web", "nope", "x"]).expect_err("bad key");
        assert_eq!(
            e.to_string(),
            "Invalid property specified, valid properties include: alpha, dockerfile-path"
        );
        let shell = Wording::Shell { keys: None };
        assert_eq!(
            run(shell, &["web"]).expect_err("no key").to_string(),
            "No key specified"
        );
        assert_eq!(
            run(shell, &["web", "nope", "x"])
                .expect_err("bad key")
                .to_string(),
            "Invalid key specified, valid keys include: alpha, dockerfile-path"
        );
        let hinted = Wording::Shell {
            keys: Some("dockerfile-path"),
        };
        assert_eq!(
            run(hinted, &["web", "nope"])
                .expect_err("bad key")
                .to_string(),
            "Invalid key specified, valid keys include: dockerfile-path"
        );
        assert_eq!(
            run(shell, &["web", "dockerfile-path", "Dockerfile.web"]).expect("set"),
            "=====> Setting dockerfile-path to Dockerfile.web\n"
        );
        assert_eq!(
            run(shell, &["--global", "alpha", "1"])
                .expect_err("app only")
                .to_string(),
            "Property cannot be specified globally"
        );
    }
}
