//! The docker-local scheduler: runs an app's processes as containers on
//! this host. It answers the `scheduler-*` triggers selected for
//! `docker-local`: zero-downtime deploys, stop, retire, status, inspect,
//! restore and removal, and keeps Dokku's per-container records in the app
//! directory.

pub mod commands;
pub mod containers;
pub mod deploy;
pub mod enter;
pub mod install;
pub mod lifecycle;
pub mod logs;
pub mod networks;
pub mod retire;
pub mod run;
pub mod storage_exec;
pub mod store;

use dokku_core::schema::{check, Prop, Schema};
use dokku_core::set::Wording;
use dokku_trigger::deploy::{
    SchedulerAppStatus, SchedulerDeploy, SchedulerInspect, SchedulerIsDeployed,
    SchedulerPostDelete, SchedulerPreRestore, SchedulerRegisterRetired, SchedulerRetire,
    SchedulerStop,
};
use dokku_trigger::plugin::{cmd, Bare, HelpStyle};
use dokku_trigger::triggers::{PostAppCloneSetup, PostAppRenameSetup};
use dokku_trigger::{Bus, CorePlugin, ReportDef};

use store::{PLUGIN as NAME, SCHEDULER};

/// The properties.
pub static SCHEMA: Schema = Schema::named(
    NAME,
    &[
        Prop::both("init-process", "true").check(check::true_or_false),
        Prop::both("parallel-schedule-count", "1").check(check::positive),
    ],
)
.worded(Wording::SHELL);

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA);

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: NAME,
    description: "dokku core scheduler-docker-local plugin",
    summary: "Manage the docker-local scheduler integration for an app",
    namespace: None,
    commands: &[
        cmd("scheduler-docker-local:report", commands::report::run,
        ),
        cmd("scheduler-docker-local:set", commands::set::run,
        ),
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "scheduler-docker-local:report [<app>] [<flag>], Displays a scheduler-docker-local report for one or more apps",
        "scheduler-docker-local:set [<app>|--global] <property> (<value>), Set or clear a scheduler-docker-local property for an app or globally",
    ],
    bare: Bare::Help,
    register,
};

fn register(bus: &mut Bus) {
    bus.on::<dokku_trigger::triggers::Install, _>(
        NAME,
        |ctx, _t: &dokku_trigger::triggers::Install| install::install(ctx),
    );
    run::register(bus);
    enter::register(bus);
    logs::register(bus);
    bus.on::<dokku_trigger::helpers::SchedulerStorageExec, _>(
        NAME,
        |ctx, t: &dokku_trigger::helpers::SchedulerStorageExec| storage_exec::run(ctx, t),
    );
    // This scheduler's apps get their cron tasks in the host crontab.
    bus.on::<dokku_trigger::cron::SchedulerUsesHostCron, _>(
        NAME,
        |_, t: &dokku_trigger::cron::SchedulerUsesHostCron| Ok(t.scheduler == SCHEDULER),
    );
    bus.on::<SchedulerDeploy, _>(NAME, |ctx, t: &SchedulerDeploy| {
        if t.scheduler != SCHEDULER {
            return Ok(());
        }
        deploy::deploy(ctx, &t.app, &t.image_tag, t.only_process_type())
    });
    bus.on::<SchedulerStop, _>(NAME, |ctx, t: &SchedulerStop| {
        if t.scheduler != SCHEDULER {
            return Ok(());
        }
        lifecycle::stop(ctx, &t.app, t.remove_containers)
    });
    bus.on::<SchedulerRetire, _>(NAME, |ctx, t: &SchedulerRetire| {
        if t.scheduler != SCHEDULER {
            return Ok(());
        }
        let engine = ctx.engine()?;
        retire::retire_due(ctx, engine, &t.app)
    });
    bus.on::<SchedulerIsDeployed, _>(NAME, |ctx, t: &SchedulerIsDeployed| {
        Ok(lifecycle::is_deployed(ctx, &t.app))
    });
    bus.on::<SchedulerAppStatus, _>(NAME, |ctx, t: &SchedulerAppStatus| {
        lifecycle::status(ctx, &t.app)
    });
    bus.on::<SchedulerInspect, _>(NAME, |ctx, t: &SchedulerInspect| {
        lifecycle::inspect(ctx, &t.app)
    });
    bus.on::<SchedulerPreRestore, _>(NAME, |ctx, t: &SchedulerPreRestore| {
        lifecycle::pre_restore(ctx, &t.app)
    });
    bus.on::<SchedulerPostDelete, _>(NAME, |ctx, t: &SchedulerPostDelete| {
        if t.scheduler != SCHEDULER {
            return Ok(());
        }
        lifecycle::post_delete(ctx, &t.app)
    });
    bus.on::<SchedulerRegisterRetired, _>(NAME, |ctx, t: &SchedulerRegisterRetired| {
        let wait = t.wait.first().and_then(|w| w.parse().ok()).unwrap_or(60);
        retire::register(&ctx.paths, &t.app, &t.container_id, wait)
    });
    bus.on::<PostAppRenameSetup, _>(NAME, |ctx, t: &PostAppRenameSetup| {
        lifecycle::copy_setup(ctx, &t.old_app, &t.new_app)
    });
    bus.on::<PostAppCloneSetup, _>(NAME, |ctx, t: &PostAppCloneSetup| {
        lifecycle::copy_setup(ctx, &t.old_app, &t.new_app)
    });
    REPORT.register(bus, NAME);
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::property::Properties;
    use dokku_core::Paths;

    #[test]
    fn report_layout() {
        let (_d, paths) = Paths::temp();
        Properties::new(&paths, NAME)
            .write("app", "init-process", "false")
            .expect("write");
        insta::assert_snapshot!(REPORT.text(&paths, "app").expect("report"), @r#"
            =====> app scheduler-docker-local information
                   Scheduler docker local computed init process:            false
                   Scheduler docker local computed parallel schedule count: 1
                   Scheduler docker local global init process:              
                   Scheduler docker local global parallel schedule count:   
                   Scheduler docker local init process:                     false
                   Scheduler docker local parallel schedule count:
            "#);
    }
}
