//! The scheduler plugin: which scheduler deploys an app (`selected`,
//! default `docker-local`) and the shell `run`/`enter` use (`shell`).
//! It answers `scheduler-detect` for every other plugin.

pub mod commands;
pub mod install;

use dokku_core::property::GLOBAL;
use dokku_core::schema::{Prop, Schema};
use dokku_core::{Paths, Result};
use dokku_trigger::deploy::{SchedulerDetect, SchedulerPostDelete, SchedulerStop};
use dokku_trigger::plugin::cmd;
use dokku_trigger::triggers::{PostDelete, PreDelete};
use dokku_trigger::{Bus, CorePlugin, ReportDef};

/// The plugin's property namespace.
pub const PLUGIN_NAME: &str = "scheduler";

/// The scheduler used when none is set.
pub const DEFAULT_SCHEDULER: &str = "docker-local";

/// The properties.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN_NAME,
    &[
        Prop::both("selected", DEFAULT_SCHEDULER),
        Prop::both("shell", ""),
    ],
)
.legacy_json();

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA);

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: PLUGIN_NAME,
    description: "dokku core scheduler plugin",
    summary: "Manage scheduler settings for an app",
    commands: &[
        cmd("scheduler:report", commands::report::run),
        cmd("scheduler:set", commands::set::run),
    ],
    help: &[
        "scheduler:report [<app>] [<flag>], Displays a scheduler report for one or more apps",
        "scheduler:set <app> <property> (<value>), Set or clear a scheduler property for an app",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    bus.on_install(PLUGIN_NAME, install::install);
    bus.on::<SchedulerDetect, _>(PLUGIN_NAME, |ctx, t: &SchedulerDetect| {
        selected(&ctx.paths, &t.app)
    });
    // An app being destroyed: its scheduler stops and removes its
    // containers first (honouring the stop timeout), then cleans up.
    bus.on::<PreDelete, _>(PLUGIN_NAME, |ctx, t: &PreDelete| {
        let scheduler = selected(&ctx.paths, &t.app)?;
        let stop = SchedulerStop {
            scheduler,
            app: t.app.clone(),
            remove_containers: true,
        };
        ctx.bus.select(ctx, &stop).map(|_| ())
    });
    bus.on::<PostDelete, _>(PLUGIN_NAME, |ctx, t: &PostDelete| {
        let scheduler = selected(&ctx.paths, &t.app)?;
        let delete = SchedulerPostDelete {
            scheduler,
            app: t.app.clone(),
            image_tag: t.image_tag.clone(),
        };
        ctx.bus.select(ctx, &delete).map(|_| ())
    });
    REPORT.register(bus, PLUGIN_NAME);
}

/// The app's scheduler: its `selected` property, else the global one, else
/// `docker-local`.
pub fn selected(paths: &Paths, app: &str) -> Result<String> {
    if app.is_empty() || dokku_core::apps::validate_name(app).is_err() {
        return Ok(SCHEMA.computed(paths, GLOBAL, "selected"));
    }
    Ok(SCHEMA.computed(paths, app, "selected"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::property::Properties;

    #[test]
    fn selection_falls_back_to_global_then_docker_local() {
        let (_d, paths) = dokku_core::Paths::temp();
        assert_eq!(selected(&paths, "app").expect("sel"), "docker-local");
        let props = Properties::new(&paths, PLUGIN_NAME);
        props.write(GLOBAL, "selected", "null").expect("write");
        assert_eq!(selected(&paths, "app").expect("sel"), "null");
        props.write("app", "selected", "k3s").expect("write");
        assert_eq!(selected(&paths, "app").expect("sel"), "k3s");
        insta::assert_snapshot!(REPORT.text(&paths, "app").expect("report"), @r#"
            =====> app scheduler information
                   Scheduler computed selected:   k3s
                   Scheduler computed shell:      
                   Scheduler global selected:     null
                   Scheduler global shell:        
                   Scheduler selected:            k3s
                   Scheduler shell:
            "#);
    }
}
