//! `logs:set [--global|<app>] <key> [<value>]`: `max-size`, `vector-sink`,
//! `vector-cron-sink`, `app-label-alias`, and the global-only
//! `vector-image` and `vector-networks`. Values are checked as Dokku checks
//! them (sinks must parse, networks must exist) before anything is stored;
//! a changed sink or alias rewrites `vector.json`, which a running vector
//! container watches.

use dokku_core::property::GLOBAL;
use dokku_core::{set, Error, Result};
use dokku_trigger::Ctx;

use crate::store::{GLOBAL_ONLY, SCHEMA};
use crate::{sink, vector};

/// Properties whose change rewrites the vector configuration.
pub const RELOADS: &[&str] = &["app-label-alias", "vector-cron-sink", "vector-sink"];

/// Check a value the way Dokku does before it is stored.
pub fn validate(key: &str, value: &str) -> Result<()> {
    match key {
        "max-size" => {
            if value == "unlimited" {
                return Ok(());
            }
            let Some(unit) = value.chars().last() else {
                return Ok(());
            };
            if !matches!(unit, 'k' | 'm' | 'g') {
                return Err(Error::fail(
                    "Invalid max-size unit measure, value must end in any of [k, m, g]",
                ));
            }
            let number = &value[..value.len() - 1];
            if number.is_empty() || number.parse::<u64>().is_err() {
                return Err(Error::fail(
                    "Invalid max-size value, must be a number followed by a unit of measure [k, m, g]",
                ));
            }
            Ok(())
        }
        "app-label-alias" => {
            let mut chars = value.chars();
            let first = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
            let rest = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            if first && rest {
                Ok(())
            } else {
                Err(Error::fail("Invalid app-label-alias value, must start with a letter or number and contain only letters, numbers, and any of [_, ., -]"))
            }
        }
        "vector-sink" | "vector-cron-sink" => sink::parse(value).map(drop),
        "vector-networks" => {
            if value.split(',').any(|n| n.trim().is_empty()) {
                return Err(Error::fail(
                    "Invalid vector-networks value, empty entry in comma-separated list",
                ));
            }
            // Clearing the property is how the default bridge is restored.
            if value.split(',').any(|n| n.trim() == "bridge") {
                return Err(Error::fail(
                    "Invalid vector-networks value, \"bridge\" is reserved; unset the property to use the default bridge network",
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let global = argv.iter().any(|a| a == GLOBAL);
    if !global {
        if let Some(key) = argv.get(1).map(String::as_str) {
            if GLOBAL_ONLY.contains(&key) {
                return Err(Error::fail(format!(
                    "{key} may only be set globally with --global"
                )));
            }
        }
    }
    let req = set::parse(&ctx.paths, argv)?;
    set::check(&SCHEMA, &req)?;
    if req.key == "vector-networks" && !req.value.is_empty() {
        let names: Vec<String> = req.value.split(',').map(|n| n.trim().to_string()).collect();
        vector::check_networks(ctx.engine()?, &names)?;
    }
    set::apply(&ctx.paths, &ctx.out, &SCHEMA, &req)?;
    if RELOADS.contains(&req.key.as_str()) {
        vector::write_config_noisy(ctx)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_checked_as_dokku_does() {
        let cases = [
            ("max-size", "20m", "ok"),
            ("max-size", "unlimited", "ok"),
            ("max-size", "20", "Invalid max-size unit measure, value must end in any of [k, m, g]"),
            ("max-size", "xm", "Invalid max-size value, must be a number followed by a unit of measure [k, m, g]"),
            ("app-label-alias", "app_name", "ok"),
            ("app-label-alias", "_bad", "Invalid app-label-alias value, must start with a letter or number and contain only letters, numbers, and any of [_, ., -]"),
            ("vector-networks", "a,b", "ok"),
            ("vector-networks", "a,,b", "Invalid vector-networks value, empty entry in comma-separated list"),
            ("vector-networks", "a,bridge", "Invalid vector-networks value, \"bridge\" is reserved; unset the property to use the default bridge network"),
        ];
        for (key, value, expected) in cases {
            let got = match validate(key, value) {
                Ok(()) => "ok".to_string(),
                Err(e) => e.to_string(),
            };
            assert_eq!(got, expected, "{key} {value}");
        }
    }
}
