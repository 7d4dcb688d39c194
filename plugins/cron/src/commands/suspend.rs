//! `cron:suspend <app> <cron_id>` and `cron:resume <app> <cron_id>`: hold
//! one task back from its schedule, or let it run again.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::{ops, props, tasks};

fn toggle(ctx: &Ctx, argv: &[String], suspend: bool) -> Result<()> {
    let words = super::split(argv, &[]);
    let (app, id) = super::app_and_id(ctx, &words)?;
    let task = tasks::find(ctx, &app, &id)?;
    let store = props::SCHEMA.store(&ctx.paths);
    let key = props::task_key(&task.id);
    if suspend {
        store.write(&app, &key, "true")?;
    } else {
        store.delete(&app, &key)?;
    }
    ops::cron_write(ctx, &app)
}

/// `cron:suspend`.
pub fn suspend(ctx: &Ctx, argv: &[String]) -> Result<()> {
    toggle(ctx, argv, true)
}

/// `cron:resume`.
pub fn resume(ctx: &Ctx, argv: &[String]) -> Result<()> {
    toggle(ctx, argv, false)
}
