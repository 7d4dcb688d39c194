//! `ps:rebuild [--parallel count] [--all|<app>]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::{parallel, pipeline};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let sel = parallel::select(ctx, argv)?;
    parallel::run(ctx, "ps:rebuild", &sel, &|ctx, app| {
        pipeline::rebuild(ctx, app)
    })
}
