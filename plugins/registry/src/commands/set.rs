//! `registry:set <app>|--global <property> [<value>]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use super::report::REPORT;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.set_command(ctx, argv).map(|_| ())
}
