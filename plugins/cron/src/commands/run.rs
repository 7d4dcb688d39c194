//! `cron:run <app> <cron_id> [--detach] [--ttl-seconds SECONDS]`: the
//! task's command in a one-off container of the app, through the app's
//! scheduler.

use dokku_core::{Error, Result};
use dokku_trigger::deploy::{scheduler_of, RunOptions, SchedulerRun};
use dokku_trigger::Ctx;

use crate::tasks;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let words = super::split(argv, &["--ttl-seconds"]);
    let (app, id) = super::app_and_id(ctx, &words)?;
    let ttl_seconds = match words.value("--ttl-seconds") {
        None => None,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if n > 0 => Some(n),
            _ => return Err(Error::fail("--ttl-seconds must be a positive integer")),
        },
    };
    let task = tasks::find(ctx, &app, &id)?;
    let detach = words.has("--detach") || ctx.flags.detach;
    let words = shlex::split(&task.command)
        .ok_or_else(|| Error::fail(format!("Unable to parse command: {}", task.command)))?;
    let mut args = vec!["0".to_string()];
    args.extend(words);
    let t = SchedulerRun {
        scheduler: scheduler_of(ctx, &app)?,
        app,
        args,
        options: RunOptions {
            detach,
            force_tty: false,
            no_tty: false,
            cron_id: Some(task.id),
            ttl_seconds,
            concurrency_policy: Some(task.concurrency_policy),
        },
    };
    ctx.bus.select(ctx, &t)?;
    Ok(())
}
