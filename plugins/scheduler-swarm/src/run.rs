//! One-off runs of swarm apps: `scheduler-run` creates a service
//! `<app>-run-<N>` (one replica, restart condition `none`) from the image
//! the app's services run, with the run-phase docker options translated as
//! for a deploy, follows its task while it runs, makes the task's exit
//! code ours, then removes the service (kept when `DOKKU_RM_CONTAINER` is
//! false). Detached, the service's name is printed at once.
//! `scheduler-run-list`, `-stop`, `-logs` and `-retire` act on these
//! services.
//!
//! Following the task (see [`Input`]): once it has started we attach to
//! it, through this host's engine when it runs here, else through its
//! node's engine reached over ssh (`docker system dial-stdio`): its output
//! so far, then live (nothing it wrote before we came is lost), with our
//! standard input when it is a terminal (the task then has a TTY). A run
//! fed on a pipe runs its command by exec in a task kept alive instead, so
//! that the command sees the end of its input (`echo x | dokku run app
//! cat` prints `x` and ends), as docker-local's `run -i`. SIGINT, SIGTERM
//! and SIGHUP while attached remove the service and end the run with 128
//! + the signal.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dokku_core::{Error, Result};
use dokku_docker::attach::{Attachment, Next};
use dokku_docker::{LogStream, ServiceSpec, SwarmEngine, SwarmTask};
use dokku_trigger::deploy::{
    first_answer, run_env, ProcfileGetCommand, RunOptions, SchedulerPostRun,
};
use dokku_trigger::run_list::{self, RunListItem};
use dokku_trigger::triggers::{ConfigExport, DockerArgsProcessRun};
use dokku_trigger::{terminal, Ctx};

use crate::deploy::{self, APP_LABEL, PROCESS_LABEL};
use crate::interrupt::Interrupts;
use crate::logs::{self, Source};

/// The label marking one-off services (as docker-local marks its one-off
/// containers).
pub const TYPE_LABEL: &str = "com.dokku.container-type";
/// The dyno (`run.<N>`) of a one-off service.
pub const DYNO_LABEL: &str = "com.dokku.dyno";
/// The cron task a one-off service runs for.
pub const CRON_ID_LABEL: &str = "com.dokku.cron-id";
/// Seconds a one-off service may live before `run:retire` removes it.
pub const TTL_LABEL: &str = "com.dokku.active-deadline-seconds";
/// The command a piped run executes in its task (JSON words), for
/// `run:list`: the task itself only sleeps.
pub const COMMAND_LABEL: &str = "com.dokku.run-command";
/// A day, as docker-local.
pub const DEFAULT_TTL_SECONDS: u64 = 86_400;

fn engine_err(e: dokku_docker::EngineError) -> Error {
    Error::other("docker", e)
}

/// Whether labels are a one-off service's.
pub fn is_one_off(labels: &BTreeMap<String, String>) -> bool {
    labels.get(TYPE_LABEL).map(String::as_str) == Some("run")
}

/// A run number in Dokku's range (bash's `$RANDOM`).
fn run_number(attempt: u32) -> u32 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    (nanos ^ std::process::id() ^ attempt.wrapping_mul(7919)) % 32768
}

/// `ENV_COUNT ENV... CMD...` (the arguments after the app) as the `-e`
/// values and the command.
pub fn parse_args(args: &[String]) -> (Vec<String>, Vec<String>) {
    let Some(count) = args.first().and_then(|c| c.parse::<usize>().ok()) else {
        return (Vec::new(), args.to_vec());
    };
    let end = (1 + count).min(args.len());
    (args[1..end].to_vec(), args[end..].to_vec())
}

/// The command: a Procfile process type's command when the first word
/// names one, the words themselves otherwise.
fn command(ctx: &Ctx, app: &str, mut cmd: Vec<String>) -> Vec<String> {
    let Some(first) = cmd.first().cloned() else {
        return cmd;
    };
    let t = ProcfileGetCommand {
        app: app.to_string(),
        process_type: first.clone(),
        port: deploy::WEB_PORT.to_string(),
    };
    let Some(found) = ctx.bus.collect(ctx, &t).ok().and_then(first_answer) else {
        return cmd;
    };
    ctx.out.info1_quiet(&format!(
        "Found '{first}' in Procfile, running that command"
    ));
    let mut words: Vec<String> = found.split_whitespace().map(str::to_string).collect();
    words.extend(cmd.drain(1..));
    words
}

/// The image the app's services run (pinned to its digest).
pub fn deployed_image(s: &dyn SwarmEngine, app: &str) -> Result<String> {
    let mut services = deploy::services(s, app)?;
    services.sort_by_key(|svc| svc.labels.get(PROCESS_LABEL) != Some(&"web".to_string()));
    services
        .into_iter()
        .map(|svc| svc.image)
        .find(|i| !i.is_empty())
        .ok_or_else(|| Error::fail(format!("App {app} has not been deployed")))
}

fn rm_after() -> bool {
    !matches!(
        std::env::var(run_env::RM).ok().as_deref(),
        Some("false" | "0")
    )
}

/// A task state after which nothing more happens.
fn ended(state: &str) -> bool {
    matches!(
        state,
        "complete" | "failed" | "rejected" | "shutdown" | "orphaned" | "remove"
    )
}

/// How a one-off task gets our standard input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    /// Not at all: detached, or ours is `/dev/null` or closed.
    Nothing,
    /// Through its terminal: the task's container gets a TTY and an open
    /// standard input we attach to.
    Terminal,
    /// A pipe or file, whose end the command must see. A swarm task's
    /// container cannot be made to close its standard input when an
    /// attach ends (the service spec has no `StdinOnce`), an exec's can:
    /// the task keeps itself alive (`sleep` under the engine's init) and
    /// the command runs in it as `docker exec -i` would.
    Piped,
}

impl Input {
    fn of(options: &RunOptions, tty: bool) -> Input {
        if options.detach {
            Input::Nothing
        } else if tty {
            Input::Terminal
        } else if stdin_is_null() {
            Input::Nothing
        } else {
            Input::Piped
        }
    }
}

/// Whether our standard input is closed or `/dev/null` (cron, a
/// redirect): nothing to hand on.
fn stdin_is_null() -> bool {
    use std::os::unix::fs::MetadataExt;
    match (
        std::fs::metadata("/dev/stdin"),
        std::fs::metadata("/dev/null"),
    ) {
        (Ok(ours), Ok(null)) => ours.rdev() == null.rdev() && ours.ino() == null.ino(),
        (Err(_), _) => true,
        (Ok(_), Err(_)) => false,
    }
}

/// Seconds a task kept alive for a piped run's command sleeps at most:
/// `run:retire` removes it after its ttl anyway.
fn keep_alive(ttl: u64) -> Vec<String> {
    vec!["sleep".into(), ttl.saturating_add(60).to_string()]
}

/// The spec of a one-off task before its name: the app's env, the
/// run-phase docker options and mounts (translated as for a deploy), the
/// app's networks, and what `input` asks for its standard input. A piped
/// run's task only sleeps: the entrypoint a `--entrypoint` option gave is
/// returned (for the command executed in it).
fn base_spec(
    ctx: &Ctx,
    app: &str,
    image: &str,
    cmd: Vec<String>,
    input: Input,
    ttl: u64,
) -> Result<(ServiceSpec, Option<serde_json::Value>)> {
    let env = ConfigExport::merged_env(ctx, app)?;
    let mut spec = deploy::spec(&deploy::Inputs {
        app,
        process_type: "run",
        image,
        replicas: 1,
        env: &env,
        args: (!cmd.is_empty()).then_some(cmd),
        restart_policy: "no",
        monitor: 1,
        force_update: 0,
    });
    let builder = crate::resources::builder_of(ctx, image);
    let extra = DockerArgsProcessRun {
        app: app.to_string(),
        image_source_type: if builder.is_empty() {
            "dockerfile".into()
        } else {
            builder
        },
        image_tag: String::new(),
    }
    .collect_all(ctx)?;
    let handed = crate::resources::apply(ctx, app, "run", &extra.options, &mut spec)?;
    // A one-off task runs once, whatever `--restart` says.
    spec.restart_condition = "none".into();
    spec.restart_attempts = 0;
    let mut mounts = extra.mounts;
    mounts.extend(handed.mounts);
    crate::mounts::placement(ctx, &mounts)?.apply(&mut spec);
    spec.networks = crate::networks::for_app(ctx, app, &handed.networks)?;
    let mut entrypoint = None;
    match input {
        Input::Nothing => {}
        Input::Terminal => {
            for key in ["TTY", "OpenStdin"] {
                spec.container_extra
                    .insert(key.into(), serde_json::Value::Bool(true));
            }
        }
        Input::Piped => {
            entrypoint = spec
                .container_extra
                .insert("Command".into(), serde_json::json!(keep_alive(ttl)));
            spec.container_extra
                .insert("Init".into(), serde_json::Value::Bool(true));
            spec.args = None;
        }
    }
    Ok((spec, entrypoint))
}

/// The words a piped run executes in its kept-alive task: what the
/// task's container would have run, the entrypoint (a `--entrypoint`
/// option's, else the image's) then the command (else the image's).
fn exec_words(
    options_entrypoint: Option<&serde_json::Value>,
    image: Option<&dokku_docker::ImageInfo>,
    cmd: &[String],
) -> Vec<String> {
    let from_json = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|w| w.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut words = match options_entrypoint {
        Some(v) => from_json(v),
        None => image.and_then(|i| i.entrypoint.clone()).unwrap_or_default(),
    };
    if cmd.is_empty() {
        words.extend(image.and_then(|i| i.cmd.clone()).unwrap_or_default());
    } else {
        words.extend(cmd.iter().cloned());
    }
    words
}

/// `scheduler-run`.
pub fn run(ctx: &Ctx, app: &str, args: &[String], options: &RunOptions) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    let image = deployed_image(s, app)?;
    let (extra_env, cmd) = parse_args(args);
    let cmd = command(ctx, app, cmd);
    let ttl = options.ttl_seconds.unwrap_or(DEFAULT_TTL_SECONDS);
    let tty = terminal::run_wants_tty(options);
    let input = Input::of(options, tty);
    let (base, entrypoint) = base_spec(ctx, app, &image, cmd.clone(), input, ttl)?;
    let exec = (input == Input::Piped).then(|| {
        let info = ctx.engine().ok().and_then(|e| e.image_inspect(&image).ok());
        exec_words(entrypoint.as_ref(), info.as_ref(), &cmd)
    });
    let interrupts = (!options.detach).then(Interrupts::catch);

    for attempt in 0..20 {
        let number = run_number(attempt);
        let mut spec: ServiceSpec = base.clone();
        spec.name = format!("{app}-run-{number}");
        spec.env.push(format!("DYNO=run.{number}"));
        spec.env.extend(extra_env.iter().cloned());
        for labels in [&mut spec.labels, &mut spec.container_labels] {
            labels.insert(TYPE_LABEL.into(), "run".into());
            labels.insert(DYNO_LABEL.into(), format!("run.{number}"));
            labels.insert(TTL_LABEL.into(), ttl.to_string());
            if let Some(id) = &options.cron_id {
                labels.insert(CRON_ID_LABEL.into(), id.clone());
            }
        }
        if let Some(words) = &exec {
            spec.labels
                .insert(COMMAND_LABEL.into(), serde_json::json!(words).to_string());
        }
        match s.create_service(&spec) {
            Err(e) if e.is_conflict() => continue,
            other => other.map_err(engine_err)?,
        };
        let Some(interrupts) = interrupts.as_ref() else {
            ctx.out.line(&spec.name);
            SchedulerPostRun::fire(ctx, app, &spec.name)?;
            return Ok(());
        };
        let name = spec.name.as_str();
        let result = watched(s, name, interrupts, || match &exec {
            Some(words) => exec_in_task(ctx, s, name, words, interrupts),
            None => {
                follow(ctx, s, name, tty, interrupts).and_then(|()| exit_code(s, name, interrupts))
            }
        });
        let interrupted = interrupts.check();
        if rm_after() || interrupted.is_err() {
            let _ = s.remove_service(name);
        }
        SchedulerPostRun::fire(ctx, app, name)?;
        interrupted?;
        return Error::from_status(result?);
    }
    Err(Error::other(
        "run",
        "no free one-off service name after 20 attempts",
    ))
}

/// Run `work` while a thread of ours removes the one-off service as soon
/// as a signal is caught: its task stops, so whatever `work` waits on
/// ends.
fn watched<T>(
    s: &dyn SwarmEngine,
    name: &str,
    interrupts: &Interrupts,
    work: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                if interrupts.caught().is_some() {
                    let _ = s.remove_service(name);
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let result = work();
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        result
    })
}

/// A piped run: once the kept-alive task runs, `words` are executed in
/// its container with our standard input (closed at its end) and output;
/// their exit code.
fn exec_in_task(
    ctx: &Ctx,
    s: &dyn SwarmEngine,
    name: &str,
    words: &[String],
    interrupts: &Interrupts,
) -> Result<i64> {
    let task = started_task(s, name, interrupts)?;
    if task.container_id.is_empty() || task.state != "running" {
        return Err(Error::fail(format!(
            "The one-off task of {name} did not run (a run fed on standard input needs `sleep` in the image): {}",
            task_reason(&task)
        )));
    }
    if task.node_id == crate::enter::here(s)? {
        let engine = ctx.engine()?;
        let out = ctx.out.clone();
        let mut sink = terminal::sink(&out);
        let mut io = dokku_docker::AttachIo::new(&mut sink);
        io.stdin = Some(Box::new(std::io::stdin()));
        engine
            .exec_attached(
                &task.container_id,
                &dokku_docker::ExecSpec::new(words.to_vec()),
                io,
            )
            .map_err(|e| Error::other("exec in the one-off task", e))
    } else {
        let url = crate::enter::node_url(s, &task.node_id)?;
        crate::ssh::docker_exec(
            &ctx.paths.dokku_root,
            &url,
            &task.container_id,
            words,
            false,
        )
        .map(i64::from)
    }
}

/// How long a one-off task may take to start (its node pulls the image
/// first) before the run fails rather than wait on a task the swarm
/// cannot place.
const START_TIMEOUT: Duration = Duration::from_secs(300);

/// Why a task is where it is: its state and the engine's error or message.
fn task_reason(t: &SwarmTask) -> String {
    let detail = if t.error.is_empty() {
        &t.message
    } else {
        &t.error
    };
    format!("{} {detail}", t.state)
}

/// The task of a one-off service once it has a container (running or
/// ended), or once it ended without one.
fn started_task(s: &dyn SwarmEngine, name: &str, interrupts: &Interrupts) -> Result<SwarmTask> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        interrupts.check()?;
        let tasks = logs::tasks_of(s, name, false)?;
        if let Some(t) = tasks
            .iter()
            .find(|t| ended(&t.state) || (t.state == "running" && !t.container_id.is_empty()))
        {
            return Ok(t.clone());
        }
        if Instant::now() >= deadline {
            let why = tasks.last().map(task_reason).unwrap_or_default();
            return Err(Error::fail(format!(
                "The one-off task of {name} did not start within {} seconds: {why}",
                START_TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// How often an attached run looks at signals and, while no output comes,
/// at its task.
const POLL: Duration = Duration::from_millis(200);

/// How long an attach may stay silent once its task ended before we stop
/// reading: the engine keeps an attach to a container that had already
/// stopped open after replaying its output.
const ENDED_GRACE: Duration = Duration::from_secs(1);

/// Follow the one-off task while it runs, attached (our terminal in raw
/// mode with `tty`): on this node through the engine, on another through
/// its engine over ssh. Returns when its container stopped.
fn follow(
    ctx: &Ctx,
    s: &dyn SwarmEngine,
    name: &str,
    tty: bool,
    interrupts: &Interrupts,
) -> Result<()> {
    let task = started_task(s, name, interrupts)?;
    let id = task.container_id.as_str();
    if id.is_empty() {
        return Ok(());
    }
    // Our input goes to a terminal only (a piped run executes its command
    // instead of attaching).
    let stdin = || -> Option<Box<dyn std::io::Read + Send>> {
        tty.then(|| Box::new(std::io::stdin()) as Box<dyn std::io::Read + Send>)
    };
    let attach_err = |e| Error::other("attach to the one-off task", e);
    // The channel to another node's engine lives as long as the attach.
    let mut channel = None;
    // Sizes the task's terminal as ours (a wrong size is no reason to fail
    // the run).
    let resize: Box<dyn Fn(u16, u16) + '_>;
    let attachment = if task.node_id == crate::enter::here(s)? {
        let w = logs::workloads(ctx)?;
        resize = Box::new(move |rows, columns| drop(w.resize(id, rows, columns)));
        w.attach(id, tty, stdin()).map_err(attach_err)?
    } else {
        let url = crate::enter::node_url(s, &task.node_id)?;
        let root = &ctx.paths.dokku_root;
        let (c, (read, write)) = crate::ssh::EngineChannel::open(root, &url)?;
        channel = Some(c);
        let a =
            dokku_docker::attach::attach_over(read, write, id, tty, stdin()).map_err(attach_err)?;
        resize = Box::new(move |rows, columns| {
            if let Ok((_c, (read, write))) = crate::ssh::EngineChannel::open(root, &url) {
                let _ = dokku_docker::attach::resize_over(read, write, id, rows, columns);
            }
        });
        a
    };
    let raw = (tty && terminal::stdin_is_terminal()).then(terminal::RawMode::enter);
    let out = ctx.out.clone();
    let result = pump(
        &attachment,
        s,
        name,
        interrupts,
        tty.then_some(&*resize),
        &mut terminal::sink(&out),
    );
    drop(raw);
    drop(channel);
    result
}

/// Hand the attach's output on until the engine closes it, or it has
/// been silent for a while after the task ended; a caught signal ends it
/// at once. With `resize`, the task's terminal is sized as ours at once
/// and whenever our window changes.
fn pump(
    a: &Attachment,
    s: &dyn SwarmEngine,
    name: &str,
    interrupts: &Interrupts,
    resize: Option<&dyn Fn(u16, u16)>,
    sink: &mut dyn FnMut(LogStream, &[u8]),
) -> Result<()> {
    let mut ended_at: Option<Instant> = None;
    let mut sized = None;
    loop {
        interrupts.check()?;
        let resizes = interrupts.resizes();
        if let Some(f) = resize.filter(|_| sized != Some(resizes)) {
            sized = Some(resizes);
            if let Some((rows, columns)) = terminal::size() {
                f(rows, columns);
            }
        }
        match a
            .next(POLL)
            .map_err(|e| Error::other("attach to the one-off task", e))?
        {
            Next::Output(stream, bytes) => sink(stream, &bytes),
            Next::Closed => return Ok(()),
            Next::Idle => match ended_at {
                Some(at) if at.elapsed() >= ENDED_GRACE => return Ok(()),
                Some(_) => {}
                None => {
                    let tasks = logs::tasks_of(s, name, false)?;
                    if tasks.iter().any(|t| ended(&t.state)) {
                        ended_at = Some(Instant::now());
                    }
                }
            },
        }
    }
}

/// Wait for the one task of a one-off service to end; its exit code.
fn exit_code(s: &dyn SwarmEngine, name: &str, interrupts: &Interrupts) -> Result<i64> {
    loop {
        interrupts.check()?;
        let tasks = logs::tasks_of(s, name, false)?;
        if let Some(t) = tasks.iter().find(|t| ended(&t.state)) {
            return match (t.state.as_str(), t.exit_code) {
                ("complete", _) => Ok(0),
                (_, Some(code)) if code != 0 => Ok(code),
                _ => Err(Error::fail(format!(
                    "The one-off task of {name} did not run: {}",
                    task_reason(t)
                ))),
            };
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A one-off service as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOff {
    pub name: String,
    pub dyno: String,
    pub command: String,
    /// RFC 3339, as the engine reports it.
    pub created_at: String,
    pub ttl: u64,
}

/// The app's one-off services, newest first.
pub fn one_offs(ctx: &Ctx, app: &str) -> Result<Vec<OneOff>> {
    let w = logs::workloads(ctx)?;
    let raw = w
        .services_raw(&format!("{APP_LABEL}={app}"))
        .map_err(engine_err)?;
    let mut list: Vec<OneOff> = raw
        .iter()
        .filter(|v| v["Spec"]["Labels"][TYPE_LABEL].as_str() == Some("run"))
        .map(|v| {
            let spec = &v["Spec"];
            // A piped run's task sleeps; its label names what runs in it.
            let executed = spec["Labels"][COMMAND_LABEL]
                .as_str()
                .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok());
            let words: Vec<&str> = executed
                .as_ref()
                .unwrap_or(&spec["TaskTemplate"]["ContainerSpec"]["Args"])
                .as_array()
                .map(|a| a.iter().filter_map(|w| w.as_str()).collect())
                .unwrap_or_default();
            OneOff {
                name: spec["Name"].as_str().unwrap_or_default().to_string(),
                dyno: spec["Labels"][DYNO_LABEL]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                command: words.join(" "),
                created_at: v["CreatedAt"].as_str().unwrap_or_default().to_string(),
                ttl: spec["Labels"][TTL_LABEL]
                    .as_str()
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(DEFAULT_TTL_SECONDS),
            }
        })
        .collect();
    list.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.name.cmp(&b.name)));
    Ok(list)
}

/// The state of a one-off service's task.
fn state_of(s: &dyn SwarmEngine, name: &str) -> String {
    logs::tasks_of(s, name, false)
        .ok()
        .and_then(|t| t.into_iter().last())
        .map(|t| t.state)
        .unwrap_or_default()
}

/// `scheduler-run-list`: the app's one-off services, listed as
/// docker-local lists its one-off containers (the task's state).
pub fn list(ctx: &Ctx, app: &str, format: &str) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    let items: Vec<RunListItem> = one_offs(ctx, app)?
        .into_iter()
        .map(|o| RunListItem {
            state: state_of(s, &o.name),
            created: dokku_core::time::parse_utc(&o.created_at).unwrap_or(0),
            name: o.name,
            command: o.command,
        })
        .collect();
    run_list::print(ctx, app, format, &items);
    Ok(())
}

/// The named one-off service of the app, or every one.
fn chosen(ctx: &Ctx, app: &str, name: &str) -> Result<Vec<OneOff>> {
    let list = one_offs(ctx, app)?;
    if name.is_empty() {
        return Ok(list);
    }
    let found: Vec<OneOff> = list
        .into_iter()
        .filter(|o| o.name == name || o.dyno == name || format!("{app}.{}", o.dyno) == name)
        .collect();
    if found.is_empty() {
        let s = crate::cluster::manager(ctx)?;
        return Err(Error::fail(match s.inspect_service(name) {
            Ok(_) => "Specified container must be a run container",
            Err(_) => "Specified container does not exist",
        }));
    }
    Ok(found)
}

/// `scheduler-run-stop`: remove the named one-off service, or every one of
/// the app, printing each name.
pub fn stop(ctx: &Ctx, app: &str, name: &str) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    for o in chosen(ctx, app, name)? {
        match s.remove_service(&o.name) {
            Err(e) if !e.is_not_found() => return Err(engine_err(e)),
            _ => ctx.out.line(&o.name),
        }
    }
    Ok(())
}

/// `scheduler-run-logs`: the output of one one-off service or of all.
pub fn run_logs(ctx: &Ctx, app: &str, name: &str, opts: &logs::Options) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    let mut sources = Vec::new();
    for o in chosen(ctx, app, name)?.into_iter().rev() {
        for t in logs::tasks_of(s, &o.name, false)? {
            if !t.container_id.is_empty() {
                sources.push(Source {
                    dyno: o.dyno.clone(),
                    id: t.id,
                });
            }
        }
    }
    logs::print(ctx, &sources, opts)
}

/// `scheduler-run-retire`: remove the one-off services older than their
/// ttl.
pub fn retire(ctx: &Ctx, app: &str) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    let now = dokku_core::time::now_unix();
    for o in one_offs(ctx, app)? {
        let Some(created) = dokku_core::time::parse_utc(&o.created_at) else {
            continue;
        };
        if created + i64::try_from(o.ttl).unwrap_or(i64::MAX) > now {
            continue;
        }
        ctx.out
            .verbose_quiet(&format!("Retiring run container {}", o.name));
        match s.remove_service(&o.name) {
            Err(e) if !e.is_not_found() => return Err(engine_err(e)),
            _ => {}
        }
    }
    Ok(())
}

/// Remove every one-off service of the app (it is being destroyed).
pub fn remove_all(ctx: &Ctx, app: &str) -> Result<()> {
    let Ok(s) = crate::cluster::manager(ctx) else {
        return Ok(());
    };
    for o in one_offs(ctx, app)? {
        let _ = s.remove_service(&o.name);
    }
    Ok(())
}

/// Subscribe the one-off handlers.
pub fn register(bus: &mut dokku_trigger::Bus) {
    use crate::NAME;
    use dokku_trigger::deploy::{
        SchedulerPostDelete, SchedulerRun, SchedulerRunList, SchedulerRunLogs, SchedulerRunRetire,
        SchedulerRunStop,
    };
    bus.on::<SchedulerRun, _>(NAME, |ctx, t: &SchedulerRun| {
        run(ctx, &t.app, &t.args, &t.options)
    });
    bus.on::<SchedulerRunList, _>(NAME, |ctx, t: &SchedulerRunList| {
        list(ctx, &t.app, &t.format)
    });
    bus.on::<SchedulerRunStop, _>(NAME, |ctx, t: &SchedulerRunStop| {
        stop(ctx, &t.app, &t.container_name)
    });
    bus.on::<SchedulerRunLogs, _>(NAME, |ctx, t: &SchedulerRunLogs| {
        let opts = logs::Options::from_trigger(&t.tail, &t.pretty_print, &t.num);
        run_logs(ctx, &t.app, &t.container, &opts)
    });
    bus.on::<SchedulerRunRetire, _>(NAME, |ctx, t: &SchedulerRunRetire| retire(ctx, &t.app));
    bus.on::<SchedulerPostDelete, _>(NAME, |ctx, t: &SchedulerPostDelete| remove_all(ctx, &t.app));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_and_times() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_args(&v(&["1", "A=1", "env"])),
            (v(&["A=1"]), v(&["env"]))
        );
        assert_eq!(parse_args(&v(&["ls"])), (vec![], v(&["ls"])));
        assert_eq!(
            dokku_core::time::parse_utc("2022-08-03T05:47:44.123456Z"),
            Some(1_659_505_664)
        );
        let mut labels = BTreeMap::new();
        assert!(!is_one_off(&labels));
        labels.insert(TYPE_LABEL.to_string(), "run".to_string());
        assert!(is_one_off(&labels));
    }

    #[test]
    fn a_piped_run_executes_what_the_container_would_have_run() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let image = dokku_docker::ImageInfo {
            entrypoint: Some(v(&["/entry.sh"])),
            cmd: Some(v(&["web"])),
            ..Default::default()
        };
        assert_eq!(
            exec_words(None, Some(&image), &v(&["cat", "-n"])),
            v(&["/entry.sh", "cat", "-n"])
        );
        assert_eq!(
            exec_words(None, Some(&image), &[]),
            v(&["/entry.sh", "web"])
        );
        let option = serde_json::json!(["/bin/sh", "-c"]);
        assert_eq!(
            exec_words(Some(&option), Some(&image), &v(&["cat"])),
            v(&["/bin/sh", "-c", "cat"])
        );
        assert_eq!(exec_words(None, None, &v(&["cat"])), v(&["cat"]));
        assert_eq!(keep_alive(86_400), v(&["sleep", "86460"]));
    }
}
