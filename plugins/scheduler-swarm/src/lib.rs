//! The swarm scheduler: runs an app's processes as Docker Swarm services
//! across the nodes of a cluster whose first manager is this host's engine.
//! Selected per app with `scheduler:set <app> selected swarm`.
//!
//! This crate holds the cluster commands (`scheduler-swarm:initialize`,
//! `cluster:add|list|remove`, `uninstall`) and the plugin's properties;
//! see docs/swarm.md for the design and what is still to come.

pub mod cluster;
pub mod commands;
pub mod deploy;
pub mod enter;
pub mod health;
pub mod inspect;
pub mod interrupt;
pub mod logs;
pub mod mounts;
pub mod networks;
pub mod proxy;
pub mod resources;
pub mod routes;
pub mod run;
pub mod scale;
pub mod ssh;
pub mod watch;

use dokku_core::schema::{Prop, Schema};
use dokku_core::set::Wording;
use dokku_core::{Error, Result};
use dokku_trigger::plugin::{cmd, Bare, HelpStyle};
use dokku_trigger::{Bus, CorePlugin, Ctx, ReportDef};

/// The plugin's name.
pub const NAME: &str = "scheduler-swarm";

/// The scheduler name apps select.
pub const SCHEDULER: &str = "swarm";

fn check_timeout(key: &str, value: &str) -> Result<()> {
    if parse_seconds(value).is_some() {
        Ok(())
    } else {
        Err(Error::fail(format!(
            "Invalid value for {key}: {value} (expected seconds, e.g. 300 or 300s)"
        )))
    }
}

/// `300` or `300s` as seconds.
pub fn parse_seconds(value: &str) -> Option<u64> {
    let v = value.strip_suffix('s').unwrap_or(value);
    v.parse::<u64>().ok().filter(|s| *s > 0)
}

/// The properties.
pub static SCHEMA: Schema = Schema::named(
    NAME,
    &[
        Prop::both("deploy-timeout", "300s").check(check_timeout),
        Prop::global("network-interface", "eth0"),
    ],
)
.worded(Wording::GO);

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).global_extra(inspect::cluster_rows);

/// The deploy timeout of an app (or `--global`), in seconds.
pub fn deploy_timeout(ctx: &Ctx, app: &str) -> u64 {
    parse_seconds(&SCHEMA.computed(&ctx.paths, app, "deploy-timeout")).unwrap_or(300)
}

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: NAME,
    description: "dokku core scheduler-swarm plugin",
    summary: "Manages the swarm scheduler integration for an app",
    namespace: None,
    commands: &[
        cmd("scheduler-swarm:cluster:add", commands::cluster_add::run),
        cmd("scheduler-swarm:cluster:list", commands::cluster_list::run),
        cmd("scheduler-swarm:cluster:remove", commands::cluster_remove::run),
        cmd("scheduler-swarm:initialize", commands::initialize::run),
        cmd("scheduler-swarm:refresh-routes", commands::refresh_routes::run),
        cmd("scheduler-swarm:report", commands::report::run),
        cmd("scheduler-swarm:set", commands::set::run),
        cmd("scheduler-swarm:show-service", commands::show_service::run),
        cmd("scheduler-swarm:uninstall", commands::uninstall::run),
        cmd("scheduler-swarm:watch", commands::watch::run),
    ],
    help_style: HelpStyle::Go,
    help: &[
        "scheduler-swarm:cluster:add [--role ROLE] [--insecure-allow-unknown-hosts] <ssh://user@host:port>, Adds a node to the Dokku-managed swarm cluster",
        "scheduler-swarm:cluster:list [--format json|stdout], Lists all nodes in the Dokku-managed swarm cluster",
        "scheduler-swarm:cluster:remove <node>, Drains and removes a node from the Dokku-managed swarm cluster",
        "scheduler-swarm:initialize [--server-ip SERVER_IP], Initializes a swarm cluster with this host as the first manager",
        "scheduler-swarm:refresh-routes [<app>|--all], Points an app's routes at its running web tasks",
        "scheduler-swarm:report [<app>|--global] [--format stdout|json] [<flag>], Displays a scheduler-swarm report for one or more apps",
        "scheduler-swarm:set <app|--global> <property> (<value>), Set or clear a scheduler-swarm property for an app or globally",
        "scheduler-swarm:show-service <app> [<process>] [--format stdout|json], Displays the swarm services of an app and their tasks",
        "scheduler-swarm:uninstall, Removes the swarm cluster from this host",
        "scheduler-swarm:watch, Keeps the routes of swarm apps on their running web tasks",
    ],
    bare: Bare::Help,
    register,
};

fn register(bus: &mut Bus) {
    use dokku_trigger::deploy::{
        SchedulerAppStatus, SchedulerDeploy, SchedulerInspect, SchedulerIsDeployed,
        SchedulerPostDelete, SchedulerPreRestore, SchedulerStop,
    };
    bus.on::<SchedulerDeploy, _>(NAME, |ctx, t: &SchedulerDeploy| {
        if t.scheduler != SCHEDULER {
            return Ok(());
        }
        deploy::deploy(ctx, &t.app, &t.image_tag, t.only_process_type())
    });
    bus.on::<SchedulerIsDeployed, _>(NAME, |ctx, t: &SchedulerIsDeployed| {
        Ok(deploy::is_deployed(ctx, &t.app))
    });
    bus.on::<SchedulerAppStatus, _>(NAME, |ctx, t: &SchedulerAppStatus| {
        routes::refresh_quietly(ctx, &t.app);
        deploy::status(ctx, &t.app)
    });
    bus.on::<SchedulerInspect, _>(NAME, |ctx, t: &SchedulerInspect| {
        inspect::inspect(ctx, &t.app)
    });
    // The swarm restarts its own tasks; on boot only the web records are
    // brought in line with where the tasks now run.
    bus.on::<SchedulerPreRestore, _>(NAME, |ctx, t: &SchedulerPreRestore| {
        let s = cluster::manager(ctx)?;
        deploy::record_web(ctx, s, &t.app).map(drop)
    });
    bus.on::<SchedulerStop, _>(NAME, |ctx, t: &SchedulerStop| {
        if t.scheduler != SCHEDULER {
            return Ok(());
        }
        deploy::stop(ctx, &t.app, t.remove_containers)
    });
    bus.on::<SchedulerPostDelete, _>(NAME, |ctx, t: &SchedulerPostDelete| {
        if t.scheduler != SCHEDULER {
            return Ok(());
        }
        deploy::post_delete(ctx, &t.app)
    });
    bus.on::<dokku_trigger::proxy::NginxAppTemplateSource, _>(
        NAME,
        |ctx, t: &dokku_trigger::proxy::NginxAppTemplateSource| {
            proxy::template_source(ctx, &t.app, &t.template_type)
        },
    );
    bus.on_install(NAME, watch::install);
    run::register(bus);
    logs::register(bus);
    enter::register(bus);
    REPORT.register(bus, NAME);
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::Paths;

    #[test]
    fn timeouts_are_seconds() {
        assert_eq!(parse_seconds("300s"), Some(300));
        assert_eq!(parse_seconds("60"), Some(60));
        assert_eq!(parse_seconds("0"), None);
        assert_eq!(parse_seconds("5m"), None);
    }

    #[test]
    fn report_rows_come_from_the_schema() {
        let (_d, paths) = Paths::temp();
        insta::assert_snapshot!(REPORT.text(&paths, "app").expect("report"), @r#"
        =====> app scheduler-swarm information
               Scheduler swarm computed deploy timeout:  300s
               Scheduler swarm deploy timeout:           
               Scheduler swarm global deploy timeout:    
               Scheduler swarm global network interface:
        "#);
    }
}
