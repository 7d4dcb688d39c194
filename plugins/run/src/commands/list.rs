//! `run:list [--format json|stdout] <app>`: the app's running one-off
//! containers.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerRunList};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    let format = p.value("--format").unwrap_or("stdout");
    if format != "stdout" && format != "json" {
        return Err(Error::fail(format!(
            "Invalid --format value specified: {format}"
        )));
    }
    let app = apps::require(&ctx.paths, p.arg(0))?;
    let t = SchedulerRunList {
        scheduler: scheduler_of(ctx, &app)?,
        app,
        format: format.to_string(),
    };
    ctx.bus.select(ctx, &t)?;
    Ok(())
}
