//! `scheduler:set [--global|<app>] <key> [<value>]`: `selected` or `shell`.

use dokku_core::set::{self, Scope, Settable};
use dokku_core::Result;
use dokku_trigger::Ctx;

const SETTABLE: &[Settable<'static>] = &[
    Settable {
        key: "selected",
        scope: Scope::Both,
    },
    Settable {
        key: "shell",
        scope: Scope::Both,
    },
];

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    set::run_command(
        &ctx.paths,
        &ctx.out,
        crate::PLUGIN_NAME,
        SETTABLE,
        argv,
        &|_, _| Ok(()),
    )
}
