//! The docker-options plugin: extra `docker run` options per app, phase
//! (build, deploy, run) and, for deploy, per process type. It answers the
//! `docker-args-process-*` triggers with typed mounts and options, so
//! schedulers never parse `-v` strings.

pub mod cmdline;
pub mod commands;
pub mod migrate;
pub mod ops;
pub mod report;
pub mod store;
pub mod words;

use dokku_trigger::plugin::cmd;
use dokku_trigger::plugin::Command;
use dokku_trigger::triggers::{
    DockerArgsProcessBuild, DockerArgsProcessDeploy, DockerArgsProcessRun, DockerOptionsList,
    DockerOptionsRemove, DockerOptionsVolumes, Install,
};
use dokku_trigger::{Bus, CorePlugin};

use commands as c;

/// The commands.
const COMMANDS: &[Command] = &[
    cmd("docker-options:add", c::add::run),
    cmd("docker-options:clear", c::clear::run),
    cmd("docker-options:list", c::list::run),
    cmd("docker-options:remove", c::remove::run),
    cmd("docker-options:report", c::report::run),
];

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core docker-options plugin",
    summary: "Manage docker options for an app",
    commands: COMMANDS,
    help: &[
        "docker-options:add <app> <phase(s)> OPTION, Add Docker option to app for phase (comma separated phase list)",
        "docker-options:clear <app> [phase(s)], Clear a docker options from application with an optional phase (comma separated phase list)",
        "docker-options:remove <app> <phase(s)> OPTION, Remove Docker option from app for phase (comma separated phase list)",
        "docker-options:report [<app>] [<flag>], Displays a docker options report for one or more apps",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    bus.on::<DockerArgsProcessBuild, _>(store::PLUGIN, |ctx, t: &DockerArgsProcessBuild| {
        ops::container_args(&ctx.paths, &t.app, "build", "")
    });
    bus.on::<DockerArgsProcessDeploy, _>(store::PLUGIN, |ctx, t: &DockerArgsProcessDeploy| {
        ops::container_args(&ctx.paths, &t.app, "deploy", &t.proc_type)
    });
    bus.on::<DockerArgsProcessRun, _>(store::PLUGIN, |ctx, t: &DockerArgsProcessRun| {
        ops::container_args(&ctx.paths, &t.app, "run", "")
    });
    bus.on::<DockerOptionsVolumes, _>(store::PLUGIN, |ctx, t: &DockerOptionsVolumes| {
        ops::volume_options(&ctx.paths, &t.app)
    });
    bus.on::<DockerOptionsList, _>(store::PLUGIN, |ctx, t: &DockerOptionsList| {
        ops::scoped_options(&ctx.paths, &t.app, |_| true)
    });
    bus.on::<DockerOptionsRemove, _>(store::PLUGIN, |ctx, t: &DockerOptionsRemove| {
        ops::remove_exact(&ctx.paths, &t.app, &t.phase, &t.process_type, &t.options)
    });
    bus.on::<Install, _>(store::PLUGIN, |ctx, _t: &Install| {
        dokku_trigger::migrate::ensure_property_root(ctx, store::PLUGIN)?;
        migrate::from_files(&ctx.paths)
    });
    report::REPORT.register(bus, store::PLUGIN);
}
