//! `scheduler-swarm:cluster:remove <node>`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    crate::cluster::remove(ctx, argv.first().map(String::as_str).unwrap_or(""))
}
