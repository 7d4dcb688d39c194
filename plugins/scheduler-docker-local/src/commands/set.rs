//! `scheduler-docker-local:set [<app>|--global] <key> [<value>]`:
//! `init-process` (true/false) and `parallel-schedule-count` (a count).

use dokku_core::set::{self, Scope, Settable, Wording};
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

/// Run the command; key errors are worded as Dokku's bash plugin words them.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    set::run_command_worded(
        &ctx.paths,
        &ctx.out,
        crate::store::PLUGIN,
        SETTABLE,
        argv,
        &validate,
        Wording::Shell { keys: None },
    )
}
