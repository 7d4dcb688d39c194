//! `scheduler-swarm:show-service <app> [<process>]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = dokku_core::apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    crate::deploy::show_service(ctx, &app, argv.get(1).map(String::as_str))
}
