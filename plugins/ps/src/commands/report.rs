//! `ps:report [<app>|--global] [--format stdout|json] [--<flag>]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    // One batch: the scheduler lists containers once for every app.
    ctx.begin_batch();
    let r = crate::report::REPORT.command(ctx, argv);
    ctx.end_batch().and(r)
}
