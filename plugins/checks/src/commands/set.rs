//! `checks:set [--global|<app>] <key> [<value>]`: `wait-to-retire`,
//! `attempts`, `timeout`, `wait`, and (global only) `default-wait`.

use dokku_core::property::GLOBAL;
use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

const SETTABLE: &[Settable<'static>] = &[
    Settable {
        key: "attempts",
        scope: Scope::Both,
    },
    Settable {
        key: "default-wait",
        scope: Scope::Global,
    },
    Settable {
        key: "timeout",
        scope: Scope::Both,
    },
    Settable {
        key: "wait",
        scope: Scope::Both,
    },
    Settable {
        key: "wait-to-retire",
        scope: Scope::Both,
    },
];

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    // Dokku's bash `set` subcommand words its key errors differently from
    // the Go property framework.
    let rest: Vec<&str> = argv
        .iter()
        .map(String::as_str)
        .filter(|a| *a != GLOBAL)
        .collect();
    let key_at = if argv.iter().any(|a| a == GLOBAL) {
        0
    } else {
        dokku_core::apps::verify(&ctx.paths, rest.first().copied().unwrap_or(""))?;
        1
    };
    match rest.get(key_at) {
        None | Some(&"") => return Err(Error::fail("No key specified")),
        Some(key) if !SETTABLE.iter().any(|s| s.key == *key) => {
            return Err(Error::fail(
                "Invalid key specified, valid keys include: wait-to-retire",
            ))
        }
        _ => {}
    }
    set::run_command(
        &ctx.paths,
        &ctx.out,
        crate::store::PLUGIN,
        SETTABLE,
        argv,
        &|key, value| {
            if value.parse::<u64>().is_err() {
                return Err(Error::fail(format!(
                    "Invalid value for {key}, must be a non-negative integer"
                )));
            }
            Ok(())
        },
    )
}
