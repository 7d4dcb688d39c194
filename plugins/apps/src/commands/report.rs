//! `apps:report [<app>] [--format stdout|json] [--<flag>]`.

use dokku_core::{report, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    report::run_command(&ctx.paths, &ctx.out, &crate::report::SPEC, argv, &|app| {
        crate::report::rows(&ctx.paths, app)
    })
}
