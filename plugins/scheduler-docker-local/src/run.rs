//! One-off containers for docker-local: `scheduler-run` (attached or
//! detached `<app>.run.<N>` containers from the deployed image),
//! `scheduler-run-list`, `scheduler-run-stop`, `scheduler-run-retire` and
//! `scheduler-run-logs`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use dokku_core::{Error, Result};
use dokku_docker::options::apply_docker_options;
use dokku_docker::{ContainerEngine, ContainerFilter, ContainerSpec, ContainerSummary};
use dokku_trigger::deploy::{first_answer, ProcfileGetCommand, RunOptions, SchedulerPostRun};
use dokku_trigger::helpers::PostContainerCreate;
use dokku_trigger::proxy::NetworkGetProperty;
use dokku_trigger::triggers::DockerArgsProcessRun;
use dokku_trigger::Ctx;

use crate::containers::{self, docker_err, APP_LABEL, DYNO_LABEL, TYPE_LABEL};
use crate::deploy::{self, BUILDER_LABEL};
use crate::{lifecycle, logs, store};
use dokku_trigger::run_list::{self, RunListItem};
use dokku_trigger::terminal;

/// Label with the cron task a one-off container runs for.
pub const CRON_ID_LABEL: &str = "com.dokku.cron-id";
/// Label with the seconds a one-off container may run before
/// `run:retire` reaps it.
pub const TTL_LABEL: &str = "com.dokku.active-deadline-seconds";
/// How long a one-off container may run by default: a day.
pub const DEFAULT_TTL_SECONDS: u64 = 86_400;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A container number in Dokku's range (bash's `$RANDOM`).
fn dyno_number(attempt: u32) -> u32 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    (nanos ^ std::process::id() ^ attempt.wrapping_mul(7919)) % 32768
}

/// The image one-off containers run: the image of the app's running
/// containers, else the app's current release image.
fn run_image(ctx: &Ctx, engine: &dyn ContainerEngine, app: &str) -> Result<(String, String)> {
    for r in store::records(&ctx.paths, app).values() {
        if let Ok(info) = engine.inspect_container(&r.container_id) {
            if let Some(image) = info.image.filter(|i| !i.is_empty()) {
                let tag = image
                    .rsplit_once(':')
                    .filter(|(_, t)| !t.contains('/'))
                    .map(|(_, t)| t.to_string())
                    .unwrap_or_else(|| "latest".to_string());
                return Ok((image, tag));
            }
        }
    }
    let (repo, tag) = deploy::image_name(ctx, app, "")?;
    Ok((format!("{repo}:{tag}"), tag))
}

/// What `scheduler-run` received: the `-e` values and the command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunArgs {
    /// `KEY=VALUE` pairs.
    pub env: Vec<String>,
    /// The command and its arguments (may be empty: the image's command).
    pub cmd: Vec<String>,
}

impl RunArgs {
    /// Parse `ENV_COUNT ENV... CMD...`, the arguments after the app.
    pub fn parse(args: &[String]) -> RunArgs {
        let Some(count) = args.first().and_then(|c| c.parse::<usize>().ok()) else {
            return RunArgs {
                env: Vec::new(),
                cmd: args.to_vec(),
            };
        };
        let end = (1 + count).min(args.len());
        RunArgs {
            env: args[1..end].to_vec(),
            cmd: args[end..].to_vec(),
        }
    }

    /// The trigger arguments in Dokku's order.
    pub fn to_args(&self) -> Vec<String> {
        let mut v = vec![self.env.len().to_string()];
        v.extend(self.env.iter().cloned());
        v.extend(self.cmd.iter().cloned());
        v
    }
}

/// The labels of a one-off container.
pub fn run_labels(
    app: &str,
    number: u32,
    ttl: u64,
    cron_id: Option<&str>,
) -> BTreeMap<String, String> {
    let mut labels = dokku_trigger::deploy::vendor_labels();
    labels.insert(APP_LABEL.to_string(), app.to_string());
    labels.insert(TYPE_LABEL.to_string(), "run".to_string());
    labels.insert(DYNO_LABEL.to_string(), format!("run.{number}"));
    labels.insert(TTL_LABEL.to_string(), ttl.to_string());
    if let Some(id) = cron_id {
        labels.insert(CRON_ID_LABEL.to_string(), id.to_string());
    }
    labels
}

/// A cron task's concurrency policy against its runs still going:
/// `forbid` leaves them alone and starts nothing (false), `replace`
/// removes them first, `allow` (the default) ignores them.
fn concurrency(
    ctx: &Ctx,
    engine: &dyn dokku_docker::ContainerEngine,
    app: &str,
    id: &str,
    policy: Option<&str>,
) -> Result<bool> {
    let policy = policy.unwrap_or("allow");
    if policy != "forbid" && policy != "replace" {
        return Ok(true);
    }
    let filter = dokku_docker::ContainerFilter {
        all: false,
        labels: vec![
            format!("{APP_LABEL}={app}"),
            format!("{CRON_ID_LABEL}={id}"),
        ],
        statuses: vec!["running".into()],
        ..Default::default()
    };
    let running = engine
        .list_containers(&filter)
        .map_err(docker_err("list containers"))?;
    if running.is_empty() {
        return Ok(true);
    }
    if policy == "forbid" {
        ctx.out.warn(&format!(
            "{app} currently has a cron lock in place for {id}. Exiting..."
        ));
        return Ok(false);
    }
    ctx.out
        .warn(&format!("Replacing running container for {id}"));
    for c in running {
        match engine.remove_container(&c.id, true) {
            Err(e) if !e.is_not_found() => return Err(docker_err("remove container")(e)),
            _ => {}
        }
    }
    Ok(true)
}

/// `scheduler-run`: run a command in a new `<app>.run.<N>` container.
/// Attached, the command's exit code becomes ours; detached, the
/// container's name is printed.
pub fn run(ctx: &Ctx, app: &str, args: &[String], options: &RunOptions) -> Result<()> {
    let RunArgs { env, mut cmd } = RunArgs::parse(args);
    if !lifecycle::is_deployed(ctx, app) {
        return Err(Error::fail(format!("App {app} has not been deployed")));
    }
    let engine = ctx.engine()?;
    let (image, tag) = run_image(ctx, engine, app)?;
    let info = dokku_trigger::release::verify_app_image(ctx, app, &image)?;
    let builder = info.labels.get(BUILDER_LABEL).cloned().unwrap_or_default();

    if let Some(first) = cmd.first().cloned() {
        let t = ProcfileGetCommand {
            app: app.to_string(),
            process_type: first.clone(),
            port: "5000".into(),
        };
        if let Some(found) = ctx.bus.collect(ctx, &t).ok().and_then(first_answer) {
            ctx.out.info1_quiet(&format!(
                "Found '{first}' in Procfile, running that command"
            ));
            let mut words = shlex::split(&found)
                .unwrap_or_else(|| found.split_whitespace().map(str::to_string).collect());
            words.extend(cmd.drain(1..));
            cmd = words;
        }
    }
    if builder == "herokuish" {
        cmd.insert(0, "/exec".to_string());
    }

    let detach = options.detach;
    let tty = terminal::run_wants_tty(options);
    let ttl = options.ttl_seconds.unwrap_or(DEFAULT_TTL_SECONDS);
    let cron_id = options.cron_id.clone();
    if let Some(id) = &cron_id {
        if !concurrency(ctx, engine, app, id, options.concurrency_policy.as_deref())? {
            return Ok(());
        }
    }

    let mut base = ContainerSpec::new(image.clone());
    base.cmd = (!cmd.is_empty()).then_some(cmd);
    base.env = deploy::app_env(ctx, app)?;
    base.init = store::init_process(
        &ctx.paths,
        app,
        info.labels
            .get("org.opencontainers.image.vendor")
            .map(String::as_str),
    );
    base.tty = tty;
    base.open_stdin = !detach || tty;
    let t = DockerArgsProcessRun {
        app: app.to_string(),
        image_source_type: if builder.is_empty() {
            "dockerfile".into()
        } else {
            builder.clone()
        },
        image_tag: tag,
    };
    let extra = t.collect_all(ctx)?;
    base.mounts
        .extend(extra.mounts.iter().map(deploy::to_mount));
    let ignored =
        apply_docker_options(&mut base, &extra.options).map_err(|e| Error::fail(e.to_string()))?;
    for o in ignored.unknown {
        ctx.out
            .warn(&format!("Ignoring unsupported docker option for run: {o}"));
    }
    if base.network.is_none() {
        let t = NetworkGetProperty {
            app: app.to_string(),
            key: "initial-network".into(),
        };
        base.network = ctx
            .bus
            .collect(ctx, &t)?
            .into_iter()
            .map(|n| n.trim().to_string())
            .find(|n| !n.is_empty());
    }

    for attempt in 0..20 {
        let number = dyno_number(attempt);
        let name = format!("{app}.run.{number}");
        let mut spec = base.clone();
        spec.name = Some(name.clone());
        spec.env.push(format!("DYNO=run.{number}"));
        spec.env.extend(env.iter().cloned());
        spec.labels = run_labels(app, number, ttl, cron_id.as_deref());

        if detach {
            spec.auto_remove = true;
            let id = match engine.create_container(&spec) {
                Err(e) if e.is_conflict() => continue,
                other => other.map_err(docker_err("create container"))?,
            };
            let created = PostContainerCreate {
                kind: "app".into(),
                container_id: id.clone(),
                app: app.to_string(),
                phase: "run".into(),
            };
            if let Err(e) = ctx.bus.notify(ctx, &created) {
                let _ = engine.remove_container(&id, true);
                return Err(e);
            }
            if let Err(e) = engine.start_container(&id) {
                let _ = engine.remove_container(&id, true);
                return Err(docker_err("start container")(e));
            }
            ctx.out.line(&name);
            SchedulerPostRun::fire(ctx, app, &id)?;
            return Ok(());
        }

        // Other plugins see the container between its creation and its
        // start, as for a detached run (the network plugin joins the
        // attach-post-create networks there).
        let refusal: Arc<Mutex<Option<Error>>> = Arc::default();
        let hook = {
            let (ctx, app, refusal) = (ctx.clone(), app.to_string(), refusal.clone());
            move |id: &str| {
                let created = PostContainerCreate {
                    kind: "app".into(),
                    container_id: id.to_string(),
                    app: app.clone(),
                    phase: "run".into(),
                };
                ctx.bus.notify(&ctx, &created).map_err(|e| {
                    let text = e.to_string();
                    if let Ok(mut slot) = refusal.lock() {
                        *slot = Some(e);
                    }
                    text
                })
            }
        };
        let out = ctx.out.clone();
        let mut output = terminal::sink(&out);
        let mut io = terminal::attach_io(tty, &mut output);
        io.on_created = Some(Box::new(hook));
        let raw = (tty && terminal::stdin_is_terminal()).then(terminal::RawMode::enter);
        let result = engine.run_attached(&spec, io);
        drop(raw);
        let code = match result {
            Err(e) if e.is_conflict() => continue,
            Err(dokku_docker::EngineError::Refused { .. }) => {
                let e = refusal.lock().ok().and_then(|mut slot| slot.take());
                return Err(e.unwrap_or_else(|| Error::fail("post-container-create failed")));
            }
            other => other.map_err(docker_err("run container"))?,
        };
        SchedulerPostRun::fire(ctx, app, &name)?;
        return Error::from_status(code);
    }
    Err(Error::other(
        "run",
        "no free one-off container name after 20 attempts",
    ))
}

/// The app's one-off containers; only running ones unless `all`.
pub fn run_containers(
    engine: &dyn ContainerEngine,
    app: &str,
    all: bool,
) -> Result<Vec<ContainerSummary>> {
    let f = ContainerFilter {
        all,
        labels: vec![format!("{APP_LABEL}={app}"), format!("{TYPE_LABEL}=run")],
        ..ContainerFilter::default()
    };
    let mut v = engine
        .list_containers(&f)
        .map_err(docker_err("list containers"))?;
    v.sort_by(|a, b| b.created.cmp(&a.created).then(a.names.cmp(&b.names)));
    Ok(v)
}

/// `scheduler-run-list`: the app's running one-off containers.
pub fn list(ctx: &Ctx, app: &str, format: &str) -> Result<()> {
    let engine = ctx.engine()?;
    let items: Vec<RunListItem> = run_containers(engine, app, false)?
        .into_iter()
        .map(|c| RunListItem {
            name: c.name().unwrap_or_default().to_string(),
            state: c.state.clone(),
            command: c.command.clone(),
            created: c.created,
        })
        .collect();
    run_list::print(ctx, app, format, &items);
    Ok(())
}

/// Whether a container is a one-off container of `app`.
fn is_run_of(c: &dokku_docker::ContainerInfo, app: &str) -> bool {
    c.labels.get(APP_LABEL).map(String::as_str) == Some(app)
        && c.labels.get(TYPE_LABEL).map(String::as_str) == Some("run")
}

/// `scheduler-run-stop`: stop the named one-off container, or every running
/// one of the app, printing each name.
pub fn stop(ctx: &Ctx, app: &str, container: &str) -> Result<()> {
    let engine = ctx.engine()?;
    let names: Vec<String> = if container.is_empty() {
        run_containers(engine, app, false)?
            .iter()
            .filter_map(|c| c.name().map(str::to_string))
            .collect()
    } else {
        match engine.inspect_container(container) {
            Ok(i) if is_run_of(&i, app) => vec![i.name],
            Ok(_) => return Err(Error::fail("Specified container must be a run container")),
            Err(e) if e.is_not_found() => {
                return Err(Error::fail("Specified container does not exist"))
            }
            Err(e) => return Err(docker_err("inspect container")(e)),
        }
    };
    let timeout = containers::stop_timeout(ctx, app);
    for name in names {
        match engine.stop_container(&name, Some(timeout)) {
            Ok(()) => ctx.out.line(&name),
            Err(e) if e.is_not_found() => ctx.out.line(&name),
            Err(e) => return Err(docker_err("stop container")(e)),
        }
    }
    Ok(())
}

/// `scheduler-run-retire`: stop and remove the app's one-off containers
/// that ran longer than their ttl.
pub fn retire(ctx: &Ctx, app: &str) -> Result<()> {
    let engine = ctx.engine()?;
    let now = now();
    for c in run_containers(engine, app, true)? {
        let ttl = c
            .labels
            .get(TTL_LABEL)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(DEFAULT_TTL_SECONDS as i64);
        if c.created + ttl > now {
            continue;
        }
        let name = c.name().unwrap_or(&c.id).to_string();
        ctx.out
            .verbose_quiet(&format!("Retiring run container {name}"));
        let _ = engine.stop_container(&c.id, Some(containers::stop_timeout(ctx, app)));
        match engine.remove_container(&c.id, true) {
            Err(e) if !e.is_not_found() => return Err(docker_err("remove container")(e)),
            _ => {}
        }
    }
    Ok(())
}

/// `scheduler-run-logs`: the logs of one one-off container, or of every
/// running one of the app.
pub fn run_logs(ctx: &Ctx, app: &str, container: &str, opts: &logs::Options) -> Result<()> {
    let engine = ctx.engine()?;
    let sources: Vec<logs::Source> = if container.is_empty() {
        run_containers(engine, app, false)?
            .into_iter()
            .rev()
            .map(|c| logs::source_of(&c))
            .collect()
    } else {
        match engine.inspect_container(container) {
            Ok(i) if is_run_of(&i, app) => vec![logs::Source {
                dyno: i.labels.get(DYNO_LABEL).cloned().unwrap_or(i.name),
                id: i.id,
            }],
            Ok(_) => return Err(Error::fail("Specified container must be a run container")),
            Err(e) if e.is_not_found() => {
                return Err(Error::fail("Specified container does not exist"))
            }
            Err(e) => return Err(docker_err("inspect container")(e)),
        }
    };
    logs::print(ctx, &sources, opts)
}

/// Subscribe the one-off container handlers.
pub fn register(bus: &mut dokku_trigger::Bus) {
    use dokku_trigger::deploy::{
        SchedulerRun, SchedulerRunList, SchedulerRunLogs, SchedulerRunRetire, SchedulerRunStop,
    };
    use store::{PLUGIN as NAME, SCHEDULER};
    bus.on::<SchedulerRun, _>(NAME, |ctx, t: &SchedulerRun| {
        if t.scheduler != SCHEDULER {
            return Ok(());
        }
        run(ctx, &t.app, &t.args, &t.options)
    });
    bus.on::<SchedulerRunList, _>(NAME, |ctx, t: &SchedulerRunList| {
        list(ctx, &t.app, &t.format)
    });
    bus.on::<SchedulerRunStop, _>(NAME, |ctx, t: &SchedulerRunStop| {
        stop(ctx, &t.app, &t.container_name)
    });
    bus.on::<SchedulerRunRetire, _>(NAME, |ctx, t: &SchedulerRunRetire| retire(ctx, &t.app));
    bus.on::<SchedulerRunLogs, _>(NAME, |ctx, t: &SchedulerRunLogs| {
        let opts = logs::Options::from_trigger(&t.tail, &t.pretty_print, &t.num);
        run_logs(ctx, &t.app, &t.container, &opts)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_round_trip() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let a = RunArgs::parse(&v(&["2", "A=1", "B=2", "env", "-x"]));
        assert_eq!(a.env, v(&["A=1", "B=2"]));
        assert_eq!(a.cmd, v(&["env", "-x"]));
        assert_eq!(RunArgs::parse(&a.to_args()), a);
        assert_eq!(RunArgs::parse(&v(&["0"])), RunArgs::default());
        assert_eq!(RunArgs::parse(&v(&["ls"])).cmd, v(&["ls"]));
    }
}
