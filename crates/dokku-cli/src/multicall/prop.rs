//! `common/prop OP PLUGIN APP ...`: the property store for bash plugins
//! (`fn-plugin-property-*` call it), on the same files the Rust plugins use
//! (`dokku_core::property`).

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{Error, Result};
use dokku_trigger::triggers::{ConfigGet, ConfigGetGlobal, ConfigUnset};
use dokku_trigger::Ctx;

/// The app name that stands for every app of a plugin in `destroy`.
const ALL_APPS: &str = "_all_";

fn arg(args: &[String], i: usize) -> &str {
    args.get(i).map(String::as_str).unwrap_or("")
}

/// A silent failure: exit 1 with nothing printed.
fn silent() -> Error {
    Error::exit(1)
}

/// A raw stderr line and exit 1.
fn raw_fail(ctx: &Ctx, msg: &str) -> Error {
    ctx.out.write_err(&format!("{msg}\n"));
    Error::exit(1)
}

/// Parse a list index; an empty or non-numeric one is a silent failure.
fn index(s: &str) -> Result<usize> {
    s.trim().parse::<usize>().map_err(|_| silent())
}

fn plugin_dir_check(plugin: &str) -> Result<()> {
    if dokku_core::fsutil::is_single_segment(plugin) {
        Ok(())
    } else {
        Err(Error::fail(format!("Invalid plugin: {plugin}")))
    }
}

/// Run one `prop` operation.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let op = arg(args, 0);
    let plugin = arg(args, 1);
    let app = arg(args, 2);
    let key = arg(args, 3);
    let rest = args.get(4..).unwrap_or(&[]);
    if op.is_empty() {
        return Err(Error::fail("Please specify a property operation"));
    }
    plugin_dir_check(plugin)?;
    let props = Properties::new(&ctx.paths, plugin);
    let out = &ctx.out;
    match op {
        "get" | "get-with-default" => {
            let default = arg(rest, 0);
            let value = if props.exists(app, key) {
                props.get(app, key)?.unwrap_or_default()
            } else {
                props.path(app, key)?;
                default.to_string()
            };
            if !value.is_empty() {
                out.line(&value);
            }
            Ok(())
        }
        "set" => props.write(app, key, arg(rest, 0)),
        "del" => props.delete(app, key),
        "exists" => {
            props.path(app, key)?;
            if props.exists(app, key) {
                Ok(())
            } else {
                Err(silent())
            }
        }
        "destroy" => {
            if app == ALL_APPS {
                dokku_core::fsutil::remove_dir_all(&ctx.paths.plugin_config_dir(plugin))
            } else {
                props.destroy(app)
            }
        }
        "clone" => {
            let to = key;
            props.clone_app(app, to)
        }
        "get-all" => {
            for (k, v) in props.all(app)? {
                out.line(&format!("{k} {v}"));
            }
            Ok(())
        }
        "get-all-by-prefix" => {
            for (k, v) in props.all(app)? {
                if k.starts_with(key) {
                    out.line(&format!("{k} {v}"));
                }
            }
            Ok(())
        }
        "rpush" => {
            let value = arg(rest, 0).trim().to_string();
            let at = arg(rest, 1).trim().parse::<usize>().unwrap_or(0);
            let mut items = props.list_get(app, key)?;
            if at == 0 || at > items.len() {
                items.push(value);
            } else {
                items.insert(at - 1, value);
            }
            props.list_write(app, key, &items)
        }
        "lrange" => {
            for item in props.list_get(app, key)? {
                out.line(&item);
            }
            Ok(())
        }
        "lindex" => {
            let i = index(arg(rest, 0))?;
            match props.list_get(app, key)?.get(i) {
                Some(v) => {
                    out.line(v);
                    Ok(())
                }
                None => Err(raw_fail(ctx, "Index not found")),
            }
        }
        "lismember" => {
            let value = arg(rest, 0);
            if props.list_get(app, key)?.iter().any(|v| v == value) {
                Ok(())
            } else {
                Err(raw_fail(ctx, "Value not found"))
            }
        }
        "llen" => {
            out.line(&props.list_get(app, key)?.len().to_string());
            Ok(())
        }
        "lrem" | "lrem-by-prefix" => {
            let needle = arg(rest, 0);
            let items = props.list_get(app, key)?;
            let kept: Vec<String> = items
                .iter()
                .filter(|v| {
                    if op == "lrem" {
                        v.as_str() != needle
                    } else {
                        !v.starts_with(needle)
                    }
                })
                .cloned()
                .collect();
            if kept.len() == items.len() {
                return Err(raw_fail(ctx, "Property not found, nothing was removed"));
            }
            props.list_write(app, key, &kept)
        }
        "lset" => {
            let value = arg(rest, 0).trim().to_string();
            let i = index(arg(rest, 1))?;
            let mut items = props.list_get(app, key)?;
            if i >= items.len() {
                items.push(value);
            } else {
                items[i] = value;
            }
            props.list_write(app, key, &items)
        }
        "lwrite" => {
            let items: Vec<String> = rest.iter().map(|v| v.trim().to_string()).collect();
            props.list_write(app, key, &items)
        }
        "setup" => dokku_core::fsutil::ensure_dir(&ctx.paths.plugin_config_dir(plugin)),
        "setup-app" => {
            props.path(app, "x")?;
            dokku_core::fsutil::ensure_dir(&props.app_dir(app))
        }
        "migrate-config-to-property" => migrate(ctx, &props, plugin, args.get(2..).unwrap_or(&[])),
        other => Err(Error::fail(format!("Invalid property operation: {other}"))),
    }
}

/// How a migrated value is rewritten before it is stored.
fn transform(kind: &str, value: &str) -> Result<String> {
    Ok(match kind {
        "" => value.to_string(),
        // The old variables said "disable" with 1/true.
        "restore-bool" => match value {
            "1" | "true" => "false".into(),
            _ => "true".into(),
        },
        "non-empty-to-true" => if value.is_empty() { "false" } else { "true" }.into(),
        "skip-all-checks-to-disabled" => {
            if value == "1" || value == "true" {
                "_all_".into()
            } else {
                String::new()
            }
        }
        "checks-enabled-to-skipped" => {
            if value == "0" || value == "false" {
                "_all_".into()
            } else {
                String::new()
            }
        }
        other => return Err(Error::fail(format!("Invalid transform: {other}"))),
    })
}

/// `migrate-config-to-property PLUGIN PROPERTY CONFIG_VAR [--global-config-var
/// VAR] [--list] [--transform T]`: move a deprecated env var of every app
/// (and its global counterpart) into a property, then unset it.
fn migrate(ctx: &Ctx, props: &Properties, plugin: &str, args: &[String]) -> Result<()> {
    let mut positional = Vec::new();
    let mut global_var = String::new();
    let mut list = false;
    let mut kind = String::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--global-config-var" => global_var = it.next().cloned().unwrap_or_default(),
            "--list" => list = true,
            "--transform" => kind = it.next().cloned().unwrap_or_default(),
            s => {
                if let Some(v) = s.strip_prefix("--global-config-var=") {
                    global_var = v.to_string();
                } else if let Some(v) = s.strip_prefix("--transform=") {
                    kind = v.to_string();
                } else {
                    positional.push(s.to_string());
                }
            }
        }
    }
    let property = positional.first().cloned().unwrap_or_default();
    let var = positional.get(1).cloned().unwrap_or_default();
    if property.is_empty() || var.is_empty() {
        return Err(Error::fail(
            "Please specify a property and a config variable to migrate",
        ));
    }
    transform(&kind, "")?;
    let store = |app: &str, value: &str| -> Result<()> {
        let value = transform(&kind, value)?;
        if list {
            let items: Vec<String> = value
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            props.list_write(app, &property, &items)
        } else {
            props.write(app, &property, &value)
        }
    };
    // Move one value (`None`: nothing set) to `target`'s property, saying
    // `note`, then drop the variable with `unset`.
    let migrate = |target: &str, value: Option<String>, note: String, unset: ConfigUnset| {
        let Some(value) = value else {
            return Ok(());
        };
        ctx.out.info1(&note);
        store(target, &value)?;
        ctx.bus.notify(ctx, &unset)
    };
    for app in dokku_core::apps::list(&ctx.paths) {
        let t = ConfigGet {
            app: app.clone(),
            key: var.clone(),
        };
        migrate(
            &app,
            first_value(ctx.bus.collect(ctx, &t)?),
            format!("Migrating deprecated {var} to {plugin} {property} property for {app}"),
            ConfigUnset {
                global: false,
                app: app.clone(),
                key: var.clone(),
                restart: String::new(),
            },
        )?;
    }
    if !global_var.is_empty() {
        let t = ConfigGetGlobal {
            key: global_var.clone(),
        };
        migrate(
            GLOBAL,
            first_value(ctx.bus.collect(ctx, &t)?),
            format!("Migrating deprecated global {global_var} to {plugin} {property} property"),
            ConfigUnset {
                global: true,
                app: String::new(),
                key: global_var.clone(),
                restart: String::new(),
            },
        )?;
    }
    Ok(())
}

/// The first answer that is set (not blank), without its trailing newlines.
fn first_value(answers: Vec<String>) -> Option<String> {
    answers
        .into_iter()
        .find(|v| !v.trim().is_empty())
        .map(|v| v.trim_end_matches('\n').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms() {
        assert_eq!(transform("restore-bool", "1").expect("t"), "false");
        assert_eq!(transform("restore-bool", "").expect("t"), "true");
        assert_eq!(transform("non-empty-to-true", "x").expect("t"), "true");
        assert_eq!(transform("", "x").expect("t"), "x");
        assert!(transform("bogus", "x").is_err());
    }
}
