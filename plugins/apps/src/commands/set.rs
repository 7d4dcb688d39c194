//! `apps:set [--global] <app> <key> [<value>]`.

use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

const SETTABLE: &[Settable<'static>] = &[Settable {
    key: "disable-autocreation",
    scope: Scope::Global,
}];

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    set::run_command(
        &ctx.paths,
        &ctx.out,
        crate::ops::PLUGIN,
        SETTABLE,
        argv,
        &|key, value| {
            if key == "disable-autocreation" && value != "true" && value != "false" {
                return Err(Error::fail(format!(
                    "Invalid value for {key}, must be true or false"
                )));
            }
            Ok(())
        },
    )
}
