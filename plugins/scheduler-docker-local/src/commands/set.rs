//! `scheduler-docker-local:set [<app>|--global] <key> [<value>]`:
//! `init-process` (true/false) and `parallel-schedule-count` (a count).

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    crate::REPORT.set_command(ctx, argv).map(drop)
}
