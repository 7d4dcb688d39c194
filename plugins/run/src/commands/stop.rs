//! `run:stop <app|--container CONTAINER>`: stop every running one-off
//! container of the app, or the one named; prints each name stopped.

use dokku_core::{args, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerRunStop};
use dokku_trigger::Ctx;

use crate::container;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--container"]))?;
    let sel = container::select(ctx, p.arg(0), p.value("--container"))?;
    let t = SchedulerRunStop {
        scheduler: scheduler_of(ctx, &sel.app)?,
        app: sel.app,
        container_name: sel.container,
    };
    ctx.bus.select(ctx, &t)?;
    Ok(())
}
