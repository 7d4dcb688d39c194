//! `ps:inspect <app>`.

use dokku_core::{apps, args, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerInspect};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    let scheduler = scheduler_of(ctx, &app)?;
    ctx.bus.select(ctx, &SchedulerInspect { scheduler, app })?;
    Ok(())
}
