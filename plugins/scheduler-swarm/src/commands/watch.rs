//! `scheduler-swarm:watch`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    crate::watch::watch(ctx)
}
