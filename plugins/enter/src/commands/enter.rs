//! `enter <app> [<container-type>|--container-id <id>] [<cmd>...]`: choose
//! a running container of the app (the only process type, a type's first
//! container, a dyno like `web.2`, or an id) and run the command there with
//! the terminal attached; its exit code is ours.

use dokku_core::{apps, Error, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerEnter};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    let rest = &argv[1..];
    if rest.first().map(String::as_str) == Some("--container-id")
        && rest.get(1).is_none_or(|v| v.is_empty())
    {
        ctx.out.warn("expected --container-id to have an argument");
        return Err(Error::exit(1));
    }
    let t = SchedulerEnter {
        scheduler: scheduler_of(ctx, &app)?,
        app,
        args: rest.to_vec(),
    };
    ctx.bus.select(ctx, &t)?;
    Ok(())
}
