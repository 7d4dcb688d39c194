//! `run:retire [<app>]`: stop and remove one-off containers that outlived
//! their `--ttl-seconds` (a day by default), for one app or every app.
//! Meant to run from cron every few minutes.

use dokku_core::{apps, args, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerRunRetire};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let list = match p.arg(0) {
        Some(app) => vec![apps::require(&ctx.paths, Some(app))?],
        None => apps::list(&ctx.paths),
    };
    for app in list {
        let t = SchedulerRunRetire {
            scheduler: scheduler_of(ctx, &app)?,
            app: app.clone(),
        };
        if let Err(e) = ctx.bus.select(ctx, &t) {
            ctx.out.warn(&format!("{app}: {e}"));
        }
    }
    Ok(())
}
