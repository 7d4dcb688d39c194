//! The resource plugin: limits and reservations of an app's process types
//! (`resource:limit`, `resource:reserve`, their `-clear` forms and
//! `resource:report`), handed to the containers as docker options through
//! the `docker-args-process-*` triggers: deploys get the process type's
//! values (else the app's defaults, else the host's), one-off containers
//! the defaults, builds the limits set for the `build` process type only.

pub mod commands;
pub mod ops;
pub mod store;

use dokku_trigger::deploy::ResourceGetProperty;
use dokku_trigger::plugin::cmd;
use dokku_trigger::triggers::{
    ContainerArgs, DockerArgsProcessBuild, DockerArgsProcessDeploy, DockerArgsProcessRun,
};
use dokku_trigger::{Bus, CorePlugin};

use commands as c;
use store::{Kind, BUILD_PROC, DEFAULT_PROC, PLUGIN as NAME};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: NAME,
    description: "dokku core resource plugin",
    summary: "Manage resource settings for an app",
    commands: &[
        cmd("resource:limit", c::limit::run),
        cmd("resource:limit-clear", c::limit_clear::run),
        cmd("resource:report", c::report::run),
        cmd("resource:reserve", c::reserve::run),
        cmd("resource:reserve-clear", c::reserve_clear::run),
    ],
    help: &[
        "resource:limit [--process-type <process-type>] [RESOURCE_OPTS...] <app>, Limit resources for a given app/process-type combination",
        "resource:limit-clear [--process-type <process-type>] <app>, Limit resources for a given app/process-type combination",
        "resource:report [<app>] [<flag>], Displays a resource report for one or more apps",
        "resource:reserve [--process-type <process-type>] [RESOURCE_OPTS...] <app>, Reserve resources for a given app/process-type combination",
        "resource:reserve-clear [--process-type <process-type>] <app>, Reserve resources for a given app/process-type combination",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn options(options: Vec<String>) -> ContainerArgs {
    ContainerArgs {
        mounts: Vec::new(),
        options,
    }
}

/// What a builder applies of the build limits: herokuish runs a container
/// (all of them), the Dockerfile builder passes memory to the engine's
/// build, the others none.
fn build_options(builder: &str, all: Vec<String>) -> Vec<String> {
    match builder {
        "herokuish" => all,
        "dockerfile" => all
            .into_iter()
            .filter(|o| o.starts_with("--memory"))
            .collect(),
        _ => Vec::new(),
    }
}

fn register(bus: &mut Bus) {
    bus.on::<DockerArgsProcessDeploy, _>(NAME, |ctx, t: &DockerArgsProcessDeploy| {
        let proc_type = if t.proc_type.is_empty() {
            DEFAULT_PROC
        } else {
            t.proc_type.as_str()
        };
        Ok(options(store::docker_options(
            &ctx.paths, &t.app, proc_type, false,
        )))
    });
    bus.on::<DockerArgsProcessRun, _>(NAME, |ctx, t: &DockerArgsProcessRun| {
        Ok(options(store::docker_options(
            &ctx.paths,
            &t.app,
            DEFAULT_PROC,
            false,
        )))
    });
    bus.on::<DockerArgsProcessBuild, _>(NAME, |ctx, t: &DockerArgsProcessBuild| {
        let all = store::docker_options(&ctx.paths, &t.app, BUILD_PROC, true);
        Ok(options(build_options(&t.image_source_type, all)))
    });
    bus.on::<ResourceGetProperty, _>(NAME, |ctx, t: &ResourceGetProperty| {
        let Some(kind) = Kind::parse(&t.resource_type) else {
            return Ok(String::new());
        };
        Ok(store::effective(
            &ctx.paths,
            &t.app,
            &t.process_type,
            kind,
            &t.property,
        ))
    });
    store::REPORT.register(bus, NAME);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_take_what_they_support() {
        let all = vec![
            "--cpus=1".to_string(),
            "--memory=1g".to_string(),
            "--memory-swap=2g".to_string(),
            "--gpus=1".to_string(),
        ];
        assert_eq!(build_options("herokuish", all.clone()), all);
        assert_eq!(
            build_options("dockerfile", all.clone()),
            ["--memory=1g", "--memory-swap=2g"]
        );
        assert!(build_options("pack", all).is_empty());
    }
}
