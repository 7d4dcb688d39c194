//! The cron plugin: the `cron` tasks of each app's `app.json` (plus the
//! host-wide ones other plugins add through `cron-entries`), listed, run on
//! demand, suspended and resumed, and scheduled by the host's cron daemon
//! through the system user's crontab, which is written anew from every app
//! after each deploy and each change.

pub mod commands;
pub mod crontab;
pub mod props;
pub mod schedule;
pub mod tasks;

use dokku_core::Result;
use dokku_trigger::cron::{CronGetProperty, SchedulerCronWrite, SchedulerUsesHostCron};
use dokku_trigger::deploy::{PostDeploy, PreDeploy};
use dokku_trigger::plugin::Command;
use dokku_trigger::triggers::PostDelete;
use dokku_trigger::{Bus, CorePlugin, Ctx};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core cron plugin",
    summary: "Manage scheduled cron tasks",
    commands: &[
        Command {
            name: "cron:list",
            takes_app: true,
            run: c::list::run,
        },
        Command {
            name: "cron:report",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "cron:resume",
            takes_app: true,
            run: c::suspend::resume,
        },
        Command {
            name: "cron:run",
            takes_app: true,
            run: c::run::run,
        },
        Command {
            name: "cron:set",
            takes_app: true,
            run: set_cmd,
        },
        Command {
            name: "cron:suspend",
            takes_app: true,
            run: c::suspend::suspend,
        },
    ],
    help: &[
        "cron:list <app> [--format json|stdout], List scheduled cron tasks for an app",
        "cron:report [<app>] [<flag>], Display report about an app",
        "cron:resume <app> <cron_id>, Resume a cron task",
        "cron:run <app> <cron_id> [--detach] [--ttl-seconds SECONDS], Run a cron task on the fly",
        "cron:set [--global|<app>] <key> <value>, Set or clear a cron property for an app",
        "cron:suspend <app> <cron_id>, Suspend a cron task",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

/// Operations shared by commands and trigger handlers.
pub mod ops {
    use super::*;

    /// Ask every scheduler to write out its cron tasks again
    /// (`scheduler-cron-write`); for host-cron schedulers this plugin
    /// regenerates the crontab.
    pub fn cron_write(ctx: &Ctx, app: &str) -> Result<()> {
        let scheduler = if app.is_empty() || app == dokku_core::property::GLOBAL {
            String::new()
        } else {
            dokku_trigger::deploy::scheduler_of(ctx, app)?
        };
        ctx.bus.notify(
            ctx,
            &SchedulerCronWrite {
                scheduler,
                app: app.to_string(),
            },
        )
    }

    /// The `scheduler-cron-write` handler: regenerate the host crontab
    /// when no scheduler is named or the named one uses the host cron.
    pub fn on_cron_write(ctx: &Ctx, scheduler: &str) -> Result<()> {
        if !scheduler.is_empty() {
            let uses = ctx
                .bus
                .select(
                    ctx,
                    &SchedulerUsesHostCron {
                        scheduler: scheduler.to_string(),
                    },
                )?
                .unwrap_or(false);
            if !uses {
                return Ok(());
            }
        }
        crate::crontab::write(ctx)
    }
}

fn report_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    props::REPORT.command(ctx, argv)
}

fn set_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let req = props::REPORT.set_command(ctx, argv)?;
    ops::cron_write(ctx, &req.app)
}

fn register(bus: &mut Bus) {
    let p = props::PLUGIN;
    bus.on::<PreDeploy, _>(p, |ctx, t: &PreDeploy| {
        tasks::for_app(ctx, &t.app).map(drop)
    });
    bus.on::<PostDeploy, _>(p, |ctx, t: &PostDeploy| ops::cron_write(ctx, &t.app));
    bus.on::<PostDelete, _>(p, |ctx, _: &PostDelete| ops::cron_write(ctx, ""));
    bus.on::<SchedulerCronWrite, _>(p, |ctx, t: &SchedulerCronWrite| {
        ops::on_cron_write(ctx, &t.scheduler)
    });
    bus.on::<CronGetProperty, _>(p, |ctx, t: &CronGetProperty| {
        Ok(props::SCHEMA.computed(&ctx.paths, &t.app, &t.key))
    });
    props::REPORT.register(bus, p);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_layout() {
        insta::assert_snapshot!(PLUGIN.help_text(), @r"
        Usage: dokku cron[:COMMAND]

        Manage scheduled cron tasks

        Additional commands:
            cron:list <app> [--format json|stdout]                       List scheduled cron tasks for an app
            cron:report [<app>] [<flag>]                                 Display report about an app
            cron:resume <app> <cron_id>                                  Resume a cron task
            cron:run <app> <cron_id> [--detach] [--ttl-seconds SECONDS]  Run a cron task on the fly
            cron:set [--global|<app>] <key> <value>                      Set or clear a cron property for an app
            cron:suspend <app> <cron_id>                                 Suspend a cron task
        ");
    }
}
