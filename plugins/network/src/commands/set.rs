//! `network:set <app>|--global <key> [<value>]`.

use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

const SETTABLE: &[Settable<'static>] = &[
    Settable {
        key: "attach-post-create",
        scope: Scope::Both,
    },
    Settable {
        key: "attach-post-deploy",
        scope: Scope::Both,
    },
    Settable {
        key: "bind-all-interfaces",
        scope: Scope::Both,
    },
    Settable {
        key: "initial-network",
        scope: Scope::Both,
    },
    Settable {
        key: "static-web-listener",
        scope: Scope::App,
    },
    Settable {
        key: "tld",
        scope: Scope::Both,
    },
];

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    set::run_command(
        &ctx.paths,
        &ctx.out,
        crate::store::PLUGIN,
        SETTABLE,
        argv,
        &|key, value| {
            if key == "bind-all-interfaces" && value != "true" && value != "false" {
                return Err(Error::fail(format!(
                    "Invalid value for {key}, must be true or false"
                )));
            }
            Ok(())
        },
    )
}
