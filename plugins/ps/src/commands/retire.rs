//! `ps:retire [<app>]`: stop and remove old containers whose retirement
//! time has come, for one app or every app. Cron runs it; a deploy also
//! starts it in the background with `DOKKU_RETIRE_DELAY` seconds to wait
//! first.

use std::time::Duration;

use dokku_core::{apps, args, Result};
use dokku_trigger::Ctx;

use crate::pipeline;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    if let Some(secs) = std::env::var("DOKKU_RETIRE_DELAY")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_secs(secs));
    }
    let list = match p.arg(0) {
        Some(app) => vec![apps::require(&ctx.paths, Some(app))?],
        None => apps::list(&ctx.paths),
    };
    for app in list {
        if let Err(e) = pipeline::retire(ctx, &app) {
            ctx.out.warn(&format!("{app}: {e}"));
        }
    }
    Ok(())
}
