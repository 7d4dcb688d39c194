//! `checks:set [--global|<app>] <key> [<value>]`: `wait-to-retire`,
//! `attempts`, `timeout`, `wait`, and (global only) `default-wait`.

use dokku_core::set::{self, Scope, Settable, Wording};
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

/// Run the command; key errors are worded as Dokku's bash plugin words them.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    set::run_command_worded(
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
        Wording::Shell {
            keys: Some("wait-to-retire"),
        },
    )
}
