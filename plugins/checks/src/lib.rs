//! The checks plugin: zero-downtime checks. It keeps which process types
//! skip or disable checks and the timing settings, answers `check-deploy`
//! by running an app's healthchecks (app.json, the legacy CHECKS file, or
//! the fallback uptime wait) against a new container, and offers
//! `checks:run` to run them against the deployed containers.

pub mod commands;
pub mod http;
pub mod install;
pub mod runner;
pub mod spec;
pub mod store;

use dokku_core::property::Properties;
use dokku_core::report::Rows;
use dokku_core::schema::{check, Prop, Schema};
use dokku_core::set::Wording;
use dokku_core::{Paths, Result};
use dokku_trigger::deploy::{CheckDeploy, ChecksGetProperty};
use dokku_trigger::plugin::{cmd, HelpStyle};
use dokku_trigger::{Bus, CorePlugin, Ctx, ReportDef};

use commands as c;

/// The properties: only `wait-to-retire` is reported; the timing ones are
/// settable per app or globally, `default-wait` globally.
pub static SCHEMA: Schema = Schema::named(
    "checks",
    &[
        Prop::both("attempts", "")
            .hidden()
            .check(check::non_negative),
        Prop::global("default-wait", "")
            .hidden()
            .check(check::non_negative),
        Prop::both("timeout", "")
            .hidden()
            .check(check::non_negative),
        Prop::both("wait", "").hidden().check(check::non_negative),
        Prop::both("wait-to-retire", "60").check(check::non_negative),
    ],
)
.stored_as(store::PLUGIN)
.worded(Wording::Shell {
    keys: Some("wait-to-retire"),
    not_global: "Property cannot be specified globally",
});

/// The report: the properties plus the disabled and skipped lists.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(lists);

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core checks plugin",
    summary: "Manage zero-downtime settings",
    commands: &[
        cmd("checks:disable", c::disable::run,
        ),
        cmd("checks:enable", c::enable::run),
        cmd("checks:report", c::report::run),
        cmd("checks:run", c::run::run),
        cmd("checks:set", c::set::run),
        cmd("checks:skip", c::skip::run),
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "checks:disable <app> [process-type(s)], Disable zero-downtime deployment for all processes (or comma-separated process-type list) ***WARNING: this will cause downtime during deployments***",
        "checks:enable <app> [process-type(s)], Enable zero-downtime deployment for all processes (or comma-separated process-type list)",
        "checks:report [<app>] [<flag>], Displays a checks report for one or more apps",
        "checks:run <app> [process-type(s)], Runs zero-downtime checks for all processes (or comma-separated process-type list)",
        "checks:set [--global|<app>] <key> <value>, Set or clear a logs property for an app",
        "checks:skip <app> [process-type(s)], Skip zero-downtime checks for all processes (or comma-separated process-type list)",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    bus.on::<CheckDeploy, _>(store::PLUGIN, check_deploy);
    bus.on_install(store::PLUGIN, install::install);
    bus.on::<ChecksGetProperty, _>(store::PLUGIN, |ctx, t: &ChecksGetProperty| {
        get_property(&ctx.paths, &t.app, &t.key)
    });
    REPORT.register(bus, store::PLUGIN);
}

/// `check-deploy APP CONTAINER_ID PROC_TYPE PORT IP`.
fn check_deploy(ctx: &Ctx, t: &CheckDeploy) -> Result<()> {
    let engine = ctx.engine()?;
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
    runner::run(ctx, engine, &target)
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

/// The process types whose checks are disabled or skipped.
fn lists(ctx: &Ctx, app: &str) -> Result<Rows> {
    Ok(vec![
        (
            "--checks-disabled-list".into(),
            store::disabled(&ctx.paths, app).display(),
        ),
        (
            "--checks-skipped-list".into(),
            store::skipped(&ctx.paths, app).display(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_layout() {
        let (_d, paths) = dokku_core::Paths::temp();
        store::update(&paths, "app", |d, s| (d.with(None), s)).expect("update");
        insta::assert_snapshot!(REPORT.text(&paths, "app").expect("report"), @r#"
            =====> app checks information
                   Checks computed wait to retire: 60
                   Checks disabled list:           _all_
                   Checks global wait to retire:   
                   Checks skipped list:            none
                   Checks wait to retire:
            "#);
    }
}
