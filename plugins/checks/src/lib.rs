//! The checks plugin: zero-downtime checks. It keeps which process types
//! skip or disable checks and the timing settings, answers `check-deploy`
//! by running an app's healthchecks (app.json, the legacy CHECKS file, or
//! the fallback uptime wait) against a new container, and offers
//! `checks:run` to run them against the deployed containers.

pub mod commands;
pub mod http;
pub mod runner;
pub mod spec;
pub mod store;

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::report::{ReportSpec, Rows};
use dokku_core::{Error, Paths, Result};
use dokku_docker::{ContainerEngine, DockerEngine};
use dokku_trigger::deploy::{CheckDeploy, ChecksGetProperty};
use dokku_trigger::plugin::{Command, RunFn};
use dokku_trigger::triggers::Report;
use dokku_trigger::{Bus, CorePlugin, Ctx};

use commands as c;

/// How the report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "checks",
    prefix: "checks",
    legacy_json_keys: true,
};

const fn cmd(name: &'static str, args: &'static str, help: &'static str, run: RunFn) -> Command {
    Command {
        name,
        args,
        help,
        takes_app: true,
        run,
    }
}

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core checks plugin",
    summary: "Manage zero-downtime checks of an app",
    namespace: None,
    commands: &[
        cmd(
            "checks:disable",
            "<app> [process-type(s)]",
            "Turns zero-downtime off for every (or the listed) process type; deploys stop old containers first",
            c::disable::run,
        ),
        cmd("checks:enable", "<app> [process-type(s)]", "Turns zero-downtime back on for every (or the listed) process type", c::enable::run),
        cmd("checks:report", "[<app>] [<flag>]", "Shows the checks settings of one or every app", c::report::run),
        cmd("checks:run", "<app> [process-type(s)]", "Runs the checks against the app's running containers", c::run::run),
        cmd("checks:set", "[--global|<app>] <key> <value>", "Sets or clears a checks property", c::set::run),
        cmd("checks:skip", "<app> [process-type(s)]", "Keeps zero-downtime but skips the checks of every (or the listed) process type", c::skip::run),
    ],
    default: None,
    register,
};

fn register(bus: &mut Bus) {
    bus.on::<CheckDeploy, _>(store::PLUGIN, check_deploy);
    bus.on::<ChecksGetProperty, _>(store::PLUGIN, |ctx, t: &ChecksGetProperty| {
        get_property(&ctx.paths, &t.app, &t.key)
    });
    bus.on::<Report, _>(store::PLUGIN, |ctx, t: &Report| {
        let rows = rows(&ctx.paths, &t.app)?;
        dokku_core::report::render_text(&SPEC, &t.app, &rows, &ctx.out);
        Ok(())
    });
}

/// Connect to the container engine.
pub fn engine() -> Result<DockerEngine> {
    DockerEngine::connect().map_err(|e| Error::other("docker", e))
}

/// `check-deploy APP CONTAINER_ID PROC_TYPE PORT IP`.
fn check_deploy(ctx: &Ctx, t: &CheckDeploy) -> Result<()> {
    let engine = engine()?;
    let dyno = engine
        .inspect_container(&t.container_id)
        .ok()
        .and_then(|i| i.labels.get("com.dokku.dyno").cloned())
        .unwrap_or_else(|| format!("{}.1", t.proc_type));
    let target = runner::Target {
        app: t.app.clone(),
        container_id: t.container_id.clone(),
        proc_type: t.proc_type.clone(),
        dyno,
        ip: t.ip.clone(),
        port: t.port.trim().parse().unwrap_or(5000),
    };
    runner::run(ctx, &engine, &target)
}

/// `checks-get-property APP KEY`: `disabled`, `skipped` (as stored),
/// `wait-to-retire` (computed), or any stored property.
pub fn get_property(paths: &Paths, app: &str, key: &str) -> Result<String> {
    Ok(match key {
        "disabled" => store::disabled(paths, app).to_value(),
        "skipped" => store::skipped(paths, app).to_value(),
        "wait-to-retire" | "computed-wait-to-retire" => {
            store::wait_to_retire(paths, app).to_string()
        }
        "default-wait" => store::default_wait(paths).to_string(),
        other => Properties::new(paths, store::PLUGIN).get_str(app, other),
    })
}

/// One app's report rows, in Dokku's order.
pub fn rows(paths: &Paths, app: &str) -> Result<Rows> {
    let props = Properties::new(paths, store::PLUGIN);
    Ok(vec![
        (
            "--checks-disabled-list".into(),
            store::disabled(paths, app).display(),
        ),
        (
            "--checks-skipped-list".into(),
            store::skipped(paths, app).display(),
        ),
        (
            "--checks-computed-wait-to-retire".into(),
            store::wait_to_retire(paths, app).to_string(),
        ),
        (
            "--checks-global-wait-to-retire".into(),
            props.get_str(GLOBAL, "wait-to-retire"),
        ),
        (
            "--checks-wait-to-retire".into(),
            props.get_str(app, "wait-to-retire"),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_output::Output;

    #[test]
    fn report_layout() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&d.path().join("home"), &d.path().join("lib"));
        store::update(&paths, "app", |d, s| (d.with(None), s)).expect("update");
        let (out, cap) = Output::captured(false);
        dokku_core::report::render_text(&SPEC, "app", &rows(&paths, "app").expect("rows"), &out);
        insta::assert_snapshot!(cap.stdout(), @r#"
            =====> app checks information
                   Checks disabled list:           _all_
                   Checks skipped list:            none
                   Checks computed wait to retire: 60
                   Checks global wait to retire:   
                   Checks wait to retire:
            "#);
    }

    #[test]
    fn help_layout() {
        insta::assert_snapshot!(PLUGIN.help_text(), @r#"
            Usage: dokku checks[:COMMAND]

            Manage zero-downtime checks of an app

            Additional commands:
                checks:disable <app> [process-type(s)]     Turns zero-downtime off for every (or the listed) process type; deploys stop old containers first
                checks:enable <app> [process-type(s)]      Turns zero-downtime back on for every (or the listed) process type
                checks:report [<app>] [<flag>]             Shows the checks settings of one or every app
                checks:run <app> [process-type(s)]         Runs the checks against the app's running containers
                checks:set [--global|<app>] <key> <value>  Sets or clears a checks property
                checks:skip <app> [process-type(s)]        Keeps zero-downtime but skips the checks of every (or the listed) process type
            "#);
    }
}
