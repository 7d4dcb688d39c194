//! Container logs for docker-local: `scheduler-logs` (the app's deployed
//! containers, merged, each line prefixed with its timestamp and
//! `app[<dyno>]:` unless quiet), `scheduler-logs-failed`, and the printer
//! `scheduler-run-logs` shares.

use dokku_core::{Error, Result};
use dokku_docker::ContainerFilter;
use dokku_trigger::Ctx;

use crate::containers::{docker_err, APP_LABEL, DYNO_LABEL, TYPE_LABEL};
use crate::store;

pub use dokku_trigger::logs::{Options, Source};

/// Print the logs of `sources` (containers). Without `follow`, the lines
/// of every container are merged in time order, a container gone since
/// skipped; with it, each container streams as its lines come.
pub fn print(ctx: &Ctx, sources: &[Source], opts: &Options) -> Result<()> {
    let engine = ctx.engine()?;
    dokku_trigger::logs::print(ctx, sources, opts, &|s, log_opts, on_line| match engine
        .container_logs(&s.id, log_opts, &mut |_, raw| on_line(raw))
    {
        Err(e) if e.is_not_found() && !log_opts.follow => Ok(()),
        other => other.map_err(docker_err("read container logs")),
    })
}

/// A one-off or failed container as a log source, named by its dyno.
pub fn source_of(c: &dokku_docker::ContainerSummary) -> Source {
    Source {
        dyno: c
            .labels
            .get(DYNO_LABEL)
            .cloned()
            .unwrap_or_else(|| c.name().unwrap_or_default().to_string()),
        id: c.id.clone(),
    }
}

/// The recorded containers of a process type (`web`), of one dyno
/// (`web.1`), or of every type when `process_type` is empty.
pub fn sources(ctx: &Ctx, app: &str, process_type: &str) -> Vec<Source> {
    store::records(&ctx.paths, app)
        .into_iter()
        .filter(|(dyno, _)| {
            process_type.is_empty()
                || dyno == process_type
                || dyno.rsplit_once('.').map(|(p, _)| p) == Some(process_type)
        })
        .map(|(dyno, r)| Source {
            dyno,
            id: r.container_id,
        })
        .collect()
}

/// `scheduler-logs`: the logs of the app's deployed containers.
pub fn logs(ctx: &Ctx, app: &str, process_type: &str, opts: &Options) -> Result<()> {
    let sources = sources(ctx, app, process_type);
    if sources.is_empty() {
        return Err(Error::fail("No containers found for app"));
    }
    print(ctx, &sources, opts)
}

/// `scheduler-logs-failed`: the output of the app's deploy containers that
/// are no longer running.
pub fn failed(ctx: &Ctx, app: &str) -> Result<()> {
    let engine = ctx.engine()?;
    let mut f = ContainerFilter::label(format!("{APP_LABEL}={app}"));
    f.labels.push(format!("{TYPE_LABEL}=deploy"));
    f.statuses = vec!["exited".into(), "dead".into(), "created".into()];
    let mut failed = engine
        .list_containers(&f)
        .map_err(docker_err("list containers"))?;
    if failed.is_empty() {
        ctx.out.warn("No failed containers found");
        return Ok(());
    }
    failed.sort_by_key(|c| c.created);
    let sources: Vec<Source> = failed.into_iter().map(|c| source_of(&c)).collect();
    print(ctx, &sources, &Options::default())
}

/// `scheduler-proxy-logs` for nginx: the last lines of the app's log file
/// (`num` of them, the default 10 when 0 or not a count), or follow it
/// when `tail`.
pub fn proxy_logs(ctx: &Ctx, t: &dokku_trigger::helpers::SchedulerProxyLogs) -> Result<()> {
    use std::process::{Command, Stdio};
    if t.proxy_type != "nginx" {
        return Ok(());
    }
    let path = dokku_trigger::deploy::first_answer(ctx.bus.collect(
        ctx,
        &dokku_trigger::proxy::NginxLogPath {
            app: t.app.clone(),
            log_type: t.log_type.clone(),
        },
    )?)
    .unwrap_or_default();
    if path.is_empty() || path == "off" {
        return Err(Error::fail(format!(
            "{} logs are disabled for this app",
            t.log_type
        )));
    }
    let mut cmd = Command::new("tail");
    if t.tail {
        cmd.arg("-F");
    } else if let Some(n) = t.num.parse::<u64>().ok().filter(|n| *n > 0) {
        cmd.args(["-n", &n.to_string()]);
    }
    cmd.arg("--").arg(&path).stdin(Stdio::null());
    if t.tail {
        let status = cmd.status().map_err(|e| Error::other("run tail", e))?;
        return if status.success() {
            Ok(())
        } else {
            Err(Error::exit(status.code().unwrap_or(1)))
        };
    }
    let out = cmd.output().map_err(|e| Error::other("run tail", e))?;
    ctx.out.write_out_bytes(&out.stdout);
    if !out.status.success() {
        ctx.out.write_err(&String::from_utf8_lossy(&out.stderr));
        return Err(Error::exit(out.status.code().unwrap_or(1)));
    }
    Ok(())
}

/// Subscribe the `scheduler-logs`, `scheduler-logs-failed` and
/// `scheduler-proxy-logs` handlers.
pub fn register(bus: &mut dokku_trigger::Bus) {
    use dokku_trigger::deploy::{SchedulerLogs, SchedulerLogsFailed};
    bus.on::<dokku_trigger::helpers::SchedulerProxyLogs, _>(
        store::PLUGIN,
        |ctx, t: &dokku_trigger::helpers::SchedulerProxyLogs| proxy_logs(ctx, t),
    );
    bus.on::<SchedulerLogs, _>(store::PLUGIN, |ctx, t: &SchedulerLogs| {
        let opts = Options::from_trigger(&t.tail, &t.pretty_print, &t.num);
        logs(ctx, &t.app, &t.process_type, &opts)
    });
    bus.on::<SchedulerLogsFailed, _>(store::PLUGIN, |ctx, t: &SchedulerLogsFailed| {
        failed(ctx, &t.app)
    });
}
