//! `scheduler-docker-local:set [<app>|--global] <key> [<value>]`:
//! `init-process` (true/false) and `parallel-schedule-count` (a count).

use dokku_core::property::GLOBAL;
use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

const SETTABLE: &[Settable<'static>] = &[
    Settable {
        key: "init-process",
        scope: Scope::Both,
    },
    Settable {
        key: "parallel-schedule-count",
        scope: Scope::Both,
    },
];

fn validate(key: &str, value: &str) -> Result<()> {
    match key {
        "init-process" if value != "true" && value != "false" => Err(Error::fail(
            "Invalid value for init-process, must be true or false",
        )),
        "parallel-schedule-count" if value.parse::<usize>().map(|n| n == 0).unwrap_or(true) => Err(
            Error::fail("Invalid value for parallel-schedule-count, must be a positive integer"),
        ),
        _ => Ok(()),
    }
}

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
                "Invalid key specified, valid keys include: init-process, parallel-schedule-count",
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
        &validate,
    )
}
