//! `scheduler-swarm:set <app|--global> <property> (<value>)`:
//! `deploy-timeout` (seconds, per app or global) and `network-interface`
//! (global: what `initialize` advertises without `--server-ip`).

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    crate::REPORT.set_command(ctx, argv).map(drop)
}
