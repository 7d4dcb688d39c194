//! `network:set <app>|--global <key> [<value>]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    crate::commands::report::REPORT
        .set_command(ctx, argv)
        .map(drop)
}
