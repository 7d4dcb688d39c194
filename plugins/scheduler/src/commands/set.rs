//! `scheduler:set [--global|<app>] <key> [<value>]`: `selected` or `shell`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    crate::REPORT.set_command(ctx, argv).map(drop)
}
