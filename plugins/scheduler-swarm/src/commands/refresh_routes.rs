//! `scheduler-swarm:refresh-routes [<app>|--all]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    crate::routes::command(ctx, argv.first().map(String::as_str))
}
