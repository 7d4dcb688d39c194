//! `proxy:set <app>|--global <key> [<value>]`: `type`, `proxy-port`,
//! `proxy-ssl-port`.

use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::store::{DEFAULT_TYPE, KNOWN_TYPES, PLUGIN};

const SETTABLE: &[Settable<'static>] = &[
    Settable {
        key: "proxy-port",
        scope: Scope::Both,
    },
    Settable {
        key: "proxy-ssl-port",
        scope: Scope::Both,
    },
    Settable {
        key: "type",
        scope: Scope::Both,
    },
];

/// Whether a proxy type can serve apps here: nginx ships in the binary; any
/// other type needs an enabled `<type>-vhosts` plugin.
fn check_type(ctx: &Ctx, value: &str) -> Result<()> {
    if value.contains(':') {
        ctx.out
            .warn("Detected potential port mapping instead of proxy type");
        return Err(Error::fail(
            "Consider using ports:set command or specifying a valid proxy",
        ));
    }
    if value == DEFAULT_TYPE
        || ctx
            .paths
            .plugin_enabled
            .join(format!("{value}-vhosts"))
            .is_dir()
    {
        return Ok(());
    }
    if KNOWN_TYPES.contains(&value) {
        return Err(Error::fail(format!(
            "The {value} proxy is not implemented yet, and no {value}-vhosts plugin is enabled; valid types: {DEFAULT_TYPE}"
        )));
    }
    Err(Error::fail(format!(
        "No {value}-vhosts plugin is enabled for proxy type {value}; valid types: {DEFAULT_TYPE}"
    )))
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    set::run_command(
        &ctx.paths,
        &ctx.out,
        PLUGIN,
        SETTABLE,
        argv,
        &|key, value| match key {
            "type" => check_type(ctx, value),
            _ => match value.parse::<u16>() {
                Ok(p) if p > 0 => Ok(()),
                _ => Err(Error::fail(format!(
                    "Invalid value for {key}, must be a port number"
                ))),
            },
        },
    )
}
