//! Container naming, labels and the lookups every operation shares.

use std::collections::BTreeMap;
use std::time::Duration;

use dokku_core::{Error, Result};
use dokku_docker::{ContainerEngine, ContainerFilter, ContainerSummary, LogOptions};
use dokku_output::Output;
use dokku_trigger::deploy::PsGetProperty;
use dokku_trigger::Ctx;

/// Label with the app's name.
pub const APP_LABEL: &str = "com.dokku.app-name";
/// Label with the process type.
pub const PROC_LABEL: &str = "com.dokku.process-type";
/// Label with the container's role (`deploy` for app processes).
pub const TYPE_LABEL: &str = "com.dokku.container-type";
/// Label with `<proc>.<index>`.
pub const DYNO_LABEL: &str = "com.dokku.dyno";

/// An engine error as ours.
pub fn docker_err(context: &str) -> impl Fn(dokku_docker::EngineError) -> Error + '_ {
    move |e| Error::other(context, e)
}

/// The labels of a deployed container, Dokku's vendor labels included.
pub fn deploy_labels(app: &str, proc_type: &str, index: u32) -> BTreeMap<String, String> {
    let mut labels = dokku_trigger::deploy::vendor_labels();
    labels.insert(APP_LABEL.to_string(), app.to_string());
    labels.insert(PROC_LABEL.to_string(), proc_type.to_string());
    labels.insert(TYPE_LABEL.to_string(), "deploy".to_string());
    labels.insert(DYNO_LABEL.to_string(), format!("{proc_type}.{index}"));
    labels
}

/// The final name of a container: `<app>.<proc>.<index>`.
pub fn final_name(app: &str, proc_type: &str, index: u32) -> String {
    format!("{app}.{proc_type}.{index}")
}

/// Every deploy container of the app, running or not.
pub fn deploy_containers(engine: &dyn ContainerEngine, app: &str) -> Result<Vec<ContainerSummary>> {
    let mut f = ContainerFilter::label(format!("{APP_LABEL}={app}"));
    f.labels.push(format!("{TYPE_LABEL}=deploy"));
    engine
        .list_containers(&f)
        .map_err(docker_err("list containers"))
}

/// Remove the app's helper containers that are not running: the ones a
/// deploy makes for a moment (app.json and Procfile extraction, tasks,
/// builds) and carry the app's label but no container type. A deploy
/// killed at the wrong time leaves them behind. Deploy and `run`
/// containers are left alone: their output is still wanted. Nothing the
/// deploy does next needs them gone, so they are removed beside it (a
/// failure to remove one is left for the next deploy).
pub fn remove_leftovers(ctx: &Ctx, app: &str) -> Result<()> {
    let mut f = ContainerFilter::label(format!("{APP_LABEL}={app}"));
    f.statuses = vec!["created".into(), "exited".into(), "dead".into()];
    let list = ctx
        .engine()?
        .list_containers(&f)
        .map_err(docker_err("list containers"))?;
    let ids: Vec<String> = list
        .into_iter()
        .filter(|c| !c.labels.contains_key(TYPE_LABEL))
        .map(|c| c.id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    ctx.in_background(move |engine| {
        for id in ids {
            let _ = engine.remove_container(&id, true);
        }
    })
}

/// Remove a container (forced); one already gone or already being
/// removed (a one-off container that removed itself after it was listed)
/// is no error.
pub fn remove(engine: &dyn ContainerEngine, id: &str) -> Result<()> {
    match engine.remove_container(id, true) {
        Err(e) if !e.is_not_found() && !e.is_conflict() => Err(docker_err("remove container")(e)),
        _ => Ok(()),
    }
}

/// Every container of the app, whatever its role.
pub fn all_containers(engine: &dyn ContainerEngine, app: &str) -> Result<Vec<ContainerSummary>> {
    engine
        .list_containers(&ContainerFilter::label(format!("{APP_LABEL}={app}")))
        .map_err(docker_err("list containers"))
}

/// The grace period `docker stop` gives a container of the app.
pub fn stop_timeout(ctx: &Ctx, app: &str) -> Duration {
    let v = PsGetProperty::value(ctx, app, "stop-timeout-seconds")
        .parse::<u64>()
        .unwrap_or(30);
    Duration::from_secs(v)
}

/// Print a container's output between Dokku's markers.
pub fn print_output(
    out: &Output,
    engine: &dyn ContainerEngine,
    app: &str,
    dyno: &str,
    container: &str,
) {
    out.info2(&format!("Start of {app} container output ({dyno})"));
    let opts = LogOptions {
        tail: Some(1000),
        ..LogOptions::default()
    };
    let _ = engine.container_logs(container, &opts, &mut |_, line| out.verbose(line));
    out.info2(&format!("End of {app} container output ({dyno})"));
}

/// The first twelve characters of an id, as docker shows it.
pub fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}
