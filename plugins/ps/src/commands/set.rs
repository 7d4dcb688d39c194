//! `ps:set [--global|<app>] <key> [<value>]`.

use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Error, Result};
use dokku_docker::RestartPolicy;
use dokku_trigger::Ctx;

const SETTABLE: &[Settable<'static>] = &[
    Settable {
        key: "dockerfile-start-cmd",
        scope: Scope::App,
    },
    Settable {
        key: "procfile-path",
        scope: Scope::Both,
    },
    Settable {
        key: "restart-policy",
        scope: Scope::Both,
    },
    Settable {
        key: "restore",
        scope: Scope::App,
    },
    Settable {
        key: "skip-deploy",
        scope: Scope::Both,
    },
    Settable {
        key: "start-cmd",
        scope: Scope::App,
    },
    Settable {
        key: "stop-timeout-seconds",
        scope: Scope::Both,
    },
];

fn validate(key: &str, value: &str) -> Result<()> {
    match key {
        "restart-policy" => {
            value
                .parse::<RestartPolicy>()
                .map_err(|_| Error::fail("Invalid restart-policy specified"))?;
        }
        "stop-timeout-seconds" => {
            value.parse::<u64>().map_err(|_| {
                Error::fail(format!(
                    "Invalid value for {key}, must be a non-negative integer"
                ))
            })?;
        }
        "restore" | "skip-deploy" if value != "true" && value != "false" => {
            return Err(Error::fail(format!(
                "Invalid value for {key}, must be true or false"
            )));
        }
        _ => {}
    }
    Ok(())
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let key =
        argv.iter()
            .filter(|a| *a != "--global")
            .nth(if argv.iter().any(|a| a == "--global") {
                0
            } else {
                1
            });
    if let Some(k) = key {
        if !SETTABLE.iter().any(|s| s.key == k) {
            return Err(Error::fail(format!("Invalid ps property specified: {k}")));
        }
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
