//! Logs of swarm apps: `scheduler-logs` (the tasks the swarm wants
//! running, merged in time order, each line prefixed with its timestamp
//! and `app[<process>.<slot>]:` unless quiet; `-t` streams every task as
//! its lines come), `scheduler-logs-failed` (tasks that failed), and the
//! printer one-off runs share. Task output is read from the manager, which
//! fetches it from the task's node.

use dokku_core::{Error, Result};
use dokku_docker::{SwarmEngine, SwarmTask, SwarmWorkloads, TaskFilter};
use dokku_trigger::Ctx;

use crate::deploy::{self, PROCESS_LABEL};

pub use dokku_trigger::logs::{Options, Source};

/// The engine's calls for task output, or Dokku's error.
pub fn workloads(ctx: &Ctx) -> Result<&dyn SwarmWorkloads> {
    ctx.engine()?
        .swarm_workloads()
        .ok_or_else(|| Error::fail(crate::cluster::NO_SWARM_CALLS))
}

/// Print the output of `sources` (tasks, read from the manager): merged
/// in time order, or with `follow` each task streaming as its lines come.
pub fn print(ctx: &Ctx, sources: &[Source], opts: &Options) -> Result<()> {
    let w = workloads(ctx)?;
    dokku_trigger::logs::print(ctx, sources, opts, &|s, log_opts, on_line| {
        w.task_logs(&s.id, log_opts, &mut |_, raw| on_line(raw))
            .map_err(|e| Error::other("read task logs", e))
    })
}

/// The tasks of a service, sorted by slot: those the swarm wants running,
/// or all of them.
pub fn tasks_of(s: &dyn SwarmEngine, service: &str, running: bool) -> Result<Vec<SwarmTask>> {
    let mut tasks = s
        .list_tasks(&TaskFilter {
            service: Some(service.to_string()),
            desired_running: running,
            ..TaskFilter::default()
        })
        .map_err(|e| Error::other("list tasks", e))?;
    tasks.sort_by_key(|t| t.slot);
    Ok(tasks)
}

/// The tasks the swarm wants running for the app's process types (all,
/// one type `web`, or one dyno `web.2`), as `(dyno, task)`.
pub fn deployed_tasks(
    s: &dyn SwarmEngine,
    app: &str,
    process_type: &str,
) -> Result<Vec<(String, SwarmTask)>> {
    let mut out = Vec::new();
    let mut services = deploy::services(s, app)?;
    services.sort_by(|a, b| a.name.cmp(&b.name));
    for svc in services {
        let kind = svc.labels.get(PROCESS_LABEL).cloned().unwrap_or_default();
        for t in tasks_of(s, &svc.name, true)? {
            let dyno = format!("{kind}.{}", t.slot);
            if process_type.is_empty() || process_type == kind || process_type == dyno {
                out.push((dyno, t));
            }
        }
    }
    Ok(out)
}

/// `scheduler-logs`: the output of the app's tasks.
pub fn logs(ctx: &Ctx, app: &str, process_type: &str, opts: &Options) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    let sources: Vec<Source> = deployed_tasks(s, app, process_type)?
        .into_iter()
        .map(|(dyno, t)| Source { dyno, id: t.id })
        .collect();
    if sources.is_empty() {
        return Err(Error::fail("No containers found for app"));
    }
    print(ctx, &sources, opts)
}

/// `scheduler-logs-failed`: the output of the app's tasks that failed
/// (the swarm keeps a few per slot).
pub fn failed(ctx: &Ctx, app: &str) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    let mut sources = Vec::new();
    for svc in deploy::services(s, app)? {
        let kind = svc.labels.get(PROCESS_LABEL).cloned().unwrap_or_default();
        for t in tasks_of(s, &svc.name, false)? {
            if matches!(t.state.as_str(), "failed" | "rejected") {
                sources.push(Source {
                    dyno: format!("{kind}.{}", t.slot),
                    id: t.id,
                });
            }
        }
    }
    if sources.is_empty() {
        ctx.out.warn("No failed containers found");
        return Ok(());
    }
    print(ctx, &sources, &Options::default())
}

/// Subscribe `scheduler-logs` and `scheduler-logs-failed`.
pub fn register(bus: &mut dokku_trigger::Bus) {
    use dokku_trigger::deploy::{SchedulerLogs, SchedulerLogsFailed};
    bus.on::<SchedulerLogs, _>(crate::NAME, |ctx, t: &SchedulerLogs| {
        let opts = Options::from_trigger(&t.tail, &t.pretty_print, &t.num);
        logs(ctx, &t.app, &t.process_type, &opts)
    });
    bus.on::<SchedulerLogsFailed, _>(crate::NAME, |ctx, t: &SchedulerLogsFailed| {
        failed(ctx, &t.app)
    });
}
