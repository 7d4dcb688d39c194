//! `git:set [--global|<app>] <key> [<value>]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    crate::set::run(ctx, argv)
}
