//! `proxy:set <app>|--global <key> [<value>]`: `type`, `proxy-port`,
//! `proxy-ssl-port`.

use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::store::PLUGIN;

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

/// Dokku validates nothing about the type but refuses what looks like a
/// port mapping; any other value is stored as given.
fn check_type(ctx: &Ctx, value: &str) -> Result<()> {
    if value.contains(':') {
        ctx.out
            .warn("Detected potential port mapping instead of proxy type");
        return Err(Error::fail(
            "Consider using ports:set command or specifying a valid proxy",
        ));
    }
    Ok(())
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
