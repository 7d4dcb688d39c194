//! Retiring old containers: after a deploy they stay up for the app's
//! `wait-to-retire` seconds, then are stopped and removed. Each is
//! registered in `$DOKKU_LIB_ROOT/data/scheduler-docker-local/<app>/retired-containers`
//! (`<container id> <unix time due>` lines) and a background `dokku
//! ps:retire <app>` does the work when the time comes; `ps:retire` from
//! cron catches whatever a lost background process left.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{SystemTime, UNIX_EPOCH};

use dokku_core::lock::StateLock;
use dokku_core::{fsutil, Paths, Result};
use dokku_docker::{ContainerEngine, ImageFilter};
use dokku_trigger::deploy::RetireContainerFailed;
use dokku_trigger::Ctx;

use crate::containers::{self, short, APP_LABEL};
use crate::store;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The app's list of containers to retire.
pub fn list_path(paths: &Paths, app: &str) -> PathBuf {
    store::data_dir(paths, app).join("retired-containers")
}

fn read(paths: &Paths, app: &str) -> Vec<(String, u64)> {
    fsutil::read_optional(&list_path(paths, app))
        .ok()
        .flatten()
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next()?.parse().ok()?))
        })
        .collect()
}

fn write(paths: &Paths, app: &str, entries: &[(String, u64)]) -> Result<()> {
    let text: String = entries
        .iter()
        .map(|(id, due)| format!("{id} {due}\n"))
        .collect();
    fsutil::write_atomic(&list_path(paths, app), text.as_bytes(), 0o644)
}

/// Register a container to retire `wait` seconds from now.
pub fn register(paths: &Paths, app: &str, id: &str, wait: u64) -> Result<()> {
    let _lock = StateLock::acquire(paths, app)?;
    let mut entries = read(paths, app);
    entries.retain(|(e, _)| e != id);
    entries.push((id.to_string(), now() + wait));
    write(paths, app, &entries)
}

/// Old containers of an app to retire after `wait` seconds.
#[derive(Clone)]
struct Retirement {
    app: String,
    ids: Vec<String>,
    wait: u64,
}

/// Retirements that wait for the end of a batch.
#[derive(Default)]
struct PendingRetires(Vec<Retirement>);

/// Retire `ids` after `wait` seconds: at once when `wait` is 0, else from
/// a background `dokku ps:retire`. In a batch (`ps:restart --all`, ...)
/// the proxies switch to the new containers only when the batch ends, so
/// the old ones serve until then and their wait starts there.
pub fn schedule(
    ctx: &Ctx,
    engine: &dyn ContainerEngine,
    app: &str,
    ids: &[String],
    wait: u64,
) -> Result<()> {
    let retirement = Retirement {
        app: app.to_string(),
        ids: ids.to_vec(),
        wait,
    };
    let deferred = ctx
        .with_batch_state::<PendingRetires, _>(|p| p.0.push(retirement.clone()))
        .is_some();
    if deferred && ctx.defer("scheduler-docker-local-retire", schedule_pending) {
        return Ok(());
    }
    schedule_now(ctx, engine, &retirement)
}

/// The batch's finisher: schedule what [`schedule`] put off.
fn schedule_pending(ctx: &Ctx) -> Result<()> {
    let Some(PendingRetires(list)) = ctx.take_batch_state::<PendingRetires>() else {
        return Ok(());
    };
    let engine = ctx.engine()?;
    let mut first_err = None;
    for retirement in &list {
        if let Err(e) = schedule_now(ctx, engine, retirement) {
            first_err.get_or_insert(e);
        }
    }
    first_err.map_or(Ok(()), Err)
}

fn schedule_now(ctx: &Ctx, engine: &dyn ContainerEngine, r: &Retirement) -> Result<()> {
    for id in &r.ids {
        register(&ctx.paths, &r.app, id, r.wait)?;
    }
    if r.wait == 0 {
        return retire_due(ctx, engine, &r.app);
    }
    spawn_background(&r.app, r.wait);
    Ok(())
}

/// Start `dokku ps:retire <app>` in its own process group, to run after
/// `wait` seconds. Only the `dokku` binary does this.
fn spawn_background(app: &str, wait: u64) {
    use std::os::unix::process::CommandExt;
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    if exe.file_name().and_then(|n| n.to_str()) != Some("dokku") {
        return;
    }
    let _ = std::process::Command::new(exe)
        .args(["ps:retire", app])
        .env("DOKKU_RETIRE_DELAY", wait.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
}

/// Stop and remove the registered containers that are due, then the app's
/// dangling images.
pub fn retire_due(ctx: &Ctx, engine: &dyn ContainerEngine, app: &str) -> Result<()> {
    let due_by = now() + 1;
    let due: Vec<(String, u64)> = {
        let _lock = StateLock::acquire(&ctx.paths, app)?;
        let (due, later): (Vec<_>, Vec<_>) = read(&ctx.paths, app)
            .into_iter()
            .partition(|(_, d)| *d <= due_by);
        if !due.is_empty() {
            write(&ctx.paths, app, &later)?;
        }
        due
    };
    let timeout = containers::stop_timeout(ctx, app);
    let mut failed = false;
    for (id, _) in due {
        if matches!(engine.inspect_container(&id), Err(e) if e.is_not_found()) {
            continue;
        }
        if engine.stop_container(&id, Some(timeout)).is_err()
            && engine.kill_container(&id, None).is_err()
        {
            ctx.out
                .warn(&format!("Container {} still running", short(&id)));
            failed = true;
        }
        if engine.remove_container(&id, true).is_err() {
            failed = true;
        }
    }
    if failed {
        ctx.bus.notify(
            ctx,
            &RetireContainerFailed {
                app: app.to_string(),
            },
        )?;
    }
    remove_dangling_images(engine, app);
    Ok(())
}

/// Remove the app's untagged images no container uses any more.
pub fn remove_dangling_images(engine: &dyn ContainerEngine, app: &str) {
    let filter = ImageFilter {
        labels: vec![format!("{APP_LABEL}={app}")],
        reference: None,
        dangling: Some(true),
    };
    if let Ok(images) = engine.list_images(&filter) {
        for i in images {
            let _ = engine.remove_image(&i.id, false);
        }
    }
}
