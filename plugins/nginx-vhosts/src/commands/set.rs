//! `nginx:set <app>|--global <property> [<value>]`: an empty value goes
//! back to the global value (for an app) or the default (globally).
//! Changes apply on the next config build (`proxy:build-config`).

use dokku_core::set::{self, Scope, Settable};
use dokku_core::{apps, property::GLOBAL, Error, Result};
use dokku_trigger::Ctx;

use crate::props::{KEYS, PLUGIN};

fn validate(key: &str, value: &str) -> Result<()> {
    match key {
        "proxy-keepalive" if value.parse::<u32>().is_err() => Err(Error::fail(
            "Invalid value for proxy-keepalive: must be an integer",
        )),
        "hsts-max-age" if value.parse::<u64>().is_err() => Err(Error::fail(
            "Invalid value for hsts-max-age: must be an integer",
        )),
        "hsts" | "hsts-include-subdomains" | "hsts-preload" | "disable-custom-config"
            if value != "true" && value != "false" =>
        {
            Err(Error::fail(format!(
                "Invalid value for {key}: must be true or false"
            )))
        }
        _ if value.contains(['\n', '\r']) => Err(Error::fail(format!(
            "Invalid value for {key}: must be a single line"
        ))),
        _ => Ok(()),
    }
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let global = argv.iter().any(|a| a == GLOBAL);
    let rest: Vec<&String> = argv.iter().filter(|a| *a != GLOBAL).collect();
    if !global {
        let app = rest.first().map(|s| s.as_str());
        apps::require(&ctx.paths, app)?;
        if rest.len() < 2 {
            return Err(Error::fail("No key specified"));
        }
    } else if rest.is_empty() {
        return Err(Error::fail("No key specified"));
    }
    let settable: Vec<Settable<'_>> = KEYS
        .iter()
        .map(|k| Settable {
            key: k,
            scope: Scope::Both,
        })
        .collect();
    set::run_command(&ctx.paths, &ctx.out, PLUGIN, &settable, argv, &validate)
}
