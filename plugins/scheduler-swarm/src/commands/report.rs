//! `scheduler-swarm:report [<app>|--global] [--format stdout|json] [--<flag>]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    crate::REPORT.command(ctx, argv)
}
