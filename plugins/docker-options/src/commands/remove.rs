//! `docker-options:remove [--process PROC...] <app> <phase(s)> OPTION...`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let c = super::add::change(
        ctx,
        argv,
        "Please specify docker options to remove from the phase",
    )?;
    ops::remove(&ctx.paths, &c)
}
