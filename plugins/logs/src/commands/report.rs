//! `logs:report [<app>] [--format stdout|json] [--<flag>]`.

use dokku_core::{report, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    report::run_command(&ctx.paths, &ctx.out, &crate::SPEC, argv, &|app| {
        Ok(crate::store::rows(&ctx.paths, app))
    })
}
