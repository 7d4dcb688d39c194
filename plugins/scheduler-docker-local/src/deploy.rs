//! `scheduler-deploy` for docker-local: start the containers of a release
//! next to the running ones, check each, then switch (core-post-deploy),
//! rename them to their final names and retire the old ones.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use dokku_core::{Error, Result};
use dokku_docker::options::apply_docker_options;
use dokku_docker::{
    ContainerEngine, ContainerSpec, ContainerSummary, ImageInfo, Mount, MountSource, RestartPolicy,
};
use dokku_trigger::deploy::{
    first_answer, AppJsonProcessDeployParallelism, AppUrls, CheckDeploy, ChecksGetProperty,
    CorePostDeploy, PostDeploy, PreDeploy, ProcfileExists, ProcfileGetCommand, PsCurrentScale,
    PsGetProperty,
};
use dokku_trigger::deploy::{NetworkWriteIpaddr, NetworkWritePort};
use dokku_trigger::helpers::{PostContainerCreate, SchedulerPostDeployProcess};
use dokku_trigger::proxy::NetworkGetProperty;
use dokku_trigger::release;
use dokku_trigger::triggers::{ConfigExport, DockerArgsProcessDeploy, VolumeMount};
use dokku_trigger::Ctx;

use crate::containers::{self, docker_err, short};
use crate::retire;
use crate::store::{self, Record};

pub mod plan;

use plan::{Dyno, Plan, ProcessType, TypePlan};

pub use dokku_trigger::release::BUILDER_LABEL;

/// The port a web process listens on when its image exposes none.
pub const DEFAULT_PORT: u16 = 5000;

/// How many `<name>.<stamp>` names an old container tries when it is
/// renamed out of the way.
const RENAME_ATTEMPTS: u64 = 100;

/// A container started by this deploy.
#[derive(Debug, Clone)]
struct Started {
    dyno: String,
    id: String,
    upcoming: String,
    final_name: String,
    /// Old containers holding `final_name`, to move out of its way.
    displaced: Vec<String>,
    ip: String,
    port: u16,
}

/// The image a deploy of `tag` uses (see [`release::deployed_image`]).
pub fn image_name(ctx: &Ctx, app: &str, tag: &str) -> Result<(String, String)> {
    release::deployed_image(ctx, app, tag)
}

/// The port of a web process: the lowest TCP port the image exposes, else
/// 5000.
pub fn web_port(info: &ImageInfo) -> u16 {
    let mut ports: Vec<u16> = info
        .exposed_ports
        .iter()
        .filter_map(|p| {
            let (n, proto) = p.split_once('/').unwrap_or((p.as_str(), "tcp"));
            if proto == "tcp" {
                n.parse().ok()
            } else {
                None
            }
        })
        .collect();
    ports.sort_unstable();
    ports.first().copied().unwrap_or(DEFAULT_PORT)
}

fn ps_property(ctx: &Ctx, app: &str, property: &str) -> String {
    PsGetProperty::value(ctx, app, property)
}

/// The app's environment, global values merged under the app's.
pub fn app_env(ctx: &Ctx, app: &str) -> Result<Vec<String>> {
    ConfigExport::merged_env_pairs(ctx, app)
}

/// A storage or docker-options mount as the engine takes it.
pub fn to_mount(m: &VolumeMount) -> Mount {
    let source = if m.is_bind() {
        MountSource::Bind(m.source.clone().into())
    } else {
        MountSource::Volume(m.source.clone())
    };
    Mount {
        source,
        target: m.target.clone(),
        read_only: m.readonly,
        options: m
            .options
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty() && *o != "ro")
            .map(str::to_string)
            .collect(),
    }
}

/// What is the same for every container of the deploy.
struct Common {
    app: String,
    image: String,
    tag: String,
    builder: String,
    env: Vec<String>,
    restart: RestartPolicy,
    init: bool,
    has_procfile: bool,
}

/// The command of a process type: `Ok(None)` keeps the image's command,
/// `Err(())` means the type cannot run (missing from the Procfile).
fn command(
    ctx: &Ctx,
    c: &Common,
    proc_type: &str,
    port: u16,
) -> std::result::Result<Option<Vec<String>>, ()> {
    let t = ProcfileGetCommand {
        app: c.app.clone(),
        process_type: proc_type.to_string(),
        port: port.to_string(),
    };
    let from_procfile = ctx
        .bus
        .collect(ctx, &t)
        .ok()
        .and_then(first_answer)
        .unwrap_or_default();
    if c.builder == "herokuish" {
        if from_procfile.is_empty() && (c.has_procfile || proc_type != "web") {
            return Err(());
        }
        return Ok(Some(vec!["/start".to_string(), proc_type.to_string()]));
    }
    if !from_procfile.is_empty() {
        return Ok(Some(split(&from_procfile)));
    }
    if c.has_procfile || proc_type != "web" {
        return Err(());
    }
    let key = if c.builder == "dockerfile" || c.builder.is_empty() {
        "dockerfile-start-cmd"
    } else {
        "start-cmd"
    };
    let start = ps_property(ctx, &c.app, key);
    Ok(if start.trim().is_empty() {
        None
    } else {
        Some(split(&start))
    })
}

fn split(s: &str) -> Vec<String> {
    shlex::split(s).unwrap_or_else(|| s.split_whitespace().map(str::to_string).collect())
}

fn upcoming_suffix() -> u32 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    (nanos ^ std::process::id()) % 32768
}

/// The container of one dyno.
fn spec_for(
    ctx: &Ctx,
    c: &Common,
    proc_type: &str,
    index: u32,
    port: u16,
    cmd: Option<Vec<String>>,
) -> Result<ContainerSpec> {
    let mut spec = ContainerSpec::new(c.image.clone());
    spec.name = Some(format!(
        "{}.{proc_type}.{index}.upcoming-{}",
        c.app,
        upcoming_suffix()
    ));
    spec.cmd = cmd;
    spec.env = c.env.clone();
    spec.env.push(format!("DYNO={proc_type}.{index}"));
    if proc_type == "web" {
        spec.env.retain(|e| !e.starts_with("PORT="));
        spec.env.push(format!("PORT={port}"));
    }
    spec.labels = containers::deploy_labels(&c.app, proc_type, index);
    spec.restart_policy = Some(c.restart);
    spec.init = c.init;
    let t = DockerArgsProcessDeploy {
        app: c.app.clone(),
        image_source_type: if c.builder.is_empty() {
            "dockerfile".into()
        } else {
            c.builder.clone()
        },
        image_tag: c.tag.clone(),
        proc_type: proc_type.to_string(),
        container_index: index.to_string(),
    };
    let args = t.collect_all(ctx)?;
    spec.mounts.extend(args.mounts.iter().map(to_mount));
    let ignored =
        apply_docker_options(&mut spec, &args.options).map_err(|e| Error::fail(e.to_string()))?;
    for o in ignored.unknown {
        ctx.out.warn(&format!(
            "Ignoring unsupported docker option for {proc_type}: {o}"
        ));
    }
    if spec.network.is_none() {
        let t = NetworkGetProperty {
            app: c.app.clone(),
            key: "initial-network".into(),
        };
        spec.network = ctx
            .bus
            .collect(ctx, &t)?
            .into_iter()
            .map(|n| n.trim().to_string())
            .find(|n| !n.is_empty());
    }
    crate::networks::prepare(ctx, &c.app, proc_type, port, &mut spec)?;
    Ok(spec)
}

fn address(engine: &dyn ContainerEngine, id: &str, network: Option<&str>) -> Result<String> {
    let info = engine
        .inspect_container(id)
        .map_err(docker_err("inspect container"))?;
    if network == Some("host") {
        return Ok("127.0.0.1".into());
    }
    let ip = network
        .and_then(|n| info.ip_address(n))
        .or_else(|| info.ip_address("bridge"))
        .or_else(|| info.first_ip_address());
    Ok(ip.unwrap_or_default().to_string())
}

fn remove_all(engine: &dyn ContainerEngine, ids: &[String]) {
    for id in ids {
        let _ = engine.remove_container(id, true);
    }
}

/// Sort key of a dyno: web first, then by type and index.
fn dyno_order(dyno: &str) -> (bool, String, u32) {
    let (p, i) = dyno.rsplit_once('.').unwrap_or((dyno, "0"));
    (p != "web", p.to_string(), i.parse().unwrap_or(0))
}

/// The containers of one deploy being started, possibly from several
/// threads: what was created (to remove on failure), what passed its
/// checks, and the first failure.
struct Run<'a> {
    ctx: &'a Ctx,
    common: &'a Common,
    port: u16,
    created: Mutex<Vec<String>>,
    started: Mutex<Vec<Started>>,
    failure: Mutex<Option<Error>>,
}

impl Run<'_> {
    fn failed(&self) -> bool {
        self.failure.lock().map(|f| f.is_some()).unwrap_or(true)
    }

    fn fail(&self, e: Error) {
        if let Ok(mut f) = self.failure.lock() {
            if f.is_none() {
                *f = Some(e);
            }
        }
    }

    /// Start every dyno of a process type, `max_parallel` at a time (the
    /// app.json formation's, 1 by default).
    fn process_type(&self, engine: &dyn ContainerEngine, t: &TypePlan) {
        let ctx = self.ctx;
        let (proc_type, count) = (t.process.name.as_str(), t.process.count);
        ctx.out
            .info1(&format!("Deploying {proc_type} (count={count})"));
        let q = AppJsonProcessDeployParallelism {
            app: self.common.app.clone(),
            process_type: proc_type.to_string(),
        };
        let parallel = ctx
            .bus
            .collect(ctx, &q)
            .ok()
            .and_then(first_answer)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        let cmd = &t.process.cmd;
        for chunk in t.dynos.chunks(parallel) {
            if self.failed() {
                return;
            }
            if let [d] = chunk {
                self.dyno(engine, d, cmd);
                continue;
            }
            std::thread::scope(|scope| {
                for d in chunk {
                    scope.spawn(move || self.dyno(engine, d, cmd));
                }
            });
        }
        if self.failed() {
            return;
        }
        let done = SchedulerPostDeployProcess {
            app: self.common.app.clone(),
            process_type: proc_type.to_string(),
        };
        if let Err(e) = ctx.bus.notify(ctx, &done) {
            self.fail(e);
        }
    }

    /// Start one container and check it.
    fn dyno(&self, engine: &dyn ContainerEngine, d: &Dyno, cmd: &Option<Vec<String>>) {
        match self.start(engine, d, cmd) {
            Ok(s) => {
                if let Ok(mut v) = self.started.lock() {
                    v.push(s);
                }
            }
            Err(e) => self.fail(e),
        }
    }

    /// The container of a dyno, created (not started) and remembered for
    /// removal should the deploy fail.
    fn create(
        &self,
        engine: &dyn ContainerEngine,
        d: &Dyno,
        cmd: &Option<Vec<String>>,
    ) -> Result<(ContainerSpec, String)> {
        let spec = spec_for(
            self.ctx,
            self.common,
            &d.proc_type,
            d.index,
            self.port,
            cmd.clone(),
        )?;
        let id = engine
            .create_container(&spec)
            .map_err(|e| Error::other("create container", e))?;
        if let Ok(mut v) = self.created.lock() {
            v.push(id.clone());
        }
        Ok((spec, id))
    }

    fn start(
        &self,
        engine: &dyn ContainerEngine,
        d: &Dyno,
        cmd: &Option<Vec<String>>,
    ) -> Result<Started> {
        let (ctx, app) = (self.ctx, self.common.app.as_str());
        let dyno = d.dyno.clone();
        // The old containers a dyno replaces without checks stop while the
        // new one is created; it starts once they are down.
        let timeout = (!d.stop_first.is_empty()).then(|| containers::stop_timeout(ctx, app));
        let (spec, id) = std::thread::scope(|s| {
            let stopping = timeout.map(|t| {
                s.spawn(move || {
                    for id in &d.stop_first {
                        let _ = engine.stop_container(id, Some(t));
                    }
                })
            });
            let created = self.create(engine, d, cmd);
            if let Some(h) = stopping {
                let _ = h.join();
            }
            created
        })?;
        let upcoming = spec.name.clone().unwrap_or_default();
        crate::networks::attach(ctx, engine, app, &d.proc_type, &id, "attach-post-create")?;
        ctx.bus.notify(
            ctx,
            &PostContainerCreate {
                kind: "app".into(),
                container_id: id.clone(),
                app: app.to_string(),
                phase: "deploy".into(),
            },
        )?;
        if let Err(e) = engine.start_container(&id) {
            containers::print_output(&ctx.out, engine, app, &dyno, &id);
            return Err(Error::other("start container", e));
        }
        let ip = address(engine, &id, spec.network.as_deref())?;
        ctx.out
            .verbose(&format!("Attempting pre-flight checks ({dyno})"));
        let check = CheckDeploy {
            app: app.to_string(),
            container_id: id.clone(),
            proc_type: d.proc_type.clone(),
            port: self.port.to_string(),
            ip: ip.clone(),
        };
        if let Err(e) = ctx.bus.notify(ctx, &check) {
            containers::print_output(&ctx.out, engine, app, &dyno, &id);
            let msg = match e {
                Error::Fail(m) => m,
                _ => format!("Could not start due to 1 failed checks ({dyno})"),
            };
            ctx.out.warn(&msg);
            return Err(Error::exit(1));
        }
        crate::networks::attach(ctx, engine, app, &d.proc_type, &id, "attach-post-deploy")?;
        Ok(Started {
            dyno,
            id,
            upcoming,
            final_name: d.final_name.clone(),
            displaced: d.displaced.clone(),
            ip,
            port: self.port,
        })
    }
}

/// Start and check every dyno of `plan`, batch after batch (the types of a
/// batch side by side). Old containers are left alone, but for those a
/// dyno with disabled checks stops first. On the first failure nothing
/// more starts, every container this deploy created is removed and the
/// failure is returned. The started containers come back web first, then
/// by type and index.
fn start_all(
    ctx: &Ctx,
    engine: &dyn ContainerEngine,
    common: &Common,
    port: u16,
    plan: &Plan,
) -> Result<Vec<Started>> {
    let run = Run {
        ctx,
        common,
        port,
        created: Mutex::new(Vec::new()),
        started: Mutex::new(Vec::new()),
        failure: Mutex::new(None),
    };
    for batch in &plan.batches {
        if run.failed() {
            break;
        }
        if let [t] = batch.as_slice() {
            run.process_type(engine, t);
            continue;
        }
        std::thread::scope(|scope| {
            for t in batch {
                let run = &run;
                scope.spawn(move || run.process_type(engine, t));
            }
        });
    }
    let created = run.created.into_inner().unwrap_or_default();
    if let Some(e) = run.failure.into_inner().unwrap_or_default() {
        remove_all(engine, &created);
        return Err(e);
    }
    let mut started = run.started.into_inner().unwrap_or_default();
    started.sort_by_key(|s| dyno_order(&s.dyno));
    Ok(started)
}

/// Deploy `tag` of `app`; `only` restricts the deploy to one process type
/// (the others keep running untouched).
pub fn deploy(ctx: &Ctx, app: &str, tag: &str, only: Option<&str>) -> Result<()> {
    let engine = ctx.engine()?;
    let (repo, tag) = image_name(ctx, app, tag)?;
    let image = format!("{repo}:{tag}");
    // The image the release step inspected and labelled, unless a
    // pre-deploy handler changes it; a pushed release missing locally is
    // pulled back from its registry.
    release::verify_app_image(ctx, app, &image)?;
    containers::remove_leftovers(ctx, app)?;
    ctx.bus.notify(
        ctx,
        &PreDeploy {
            app: app.to_string(),
            image_tag: tag.clone(),
        },
    )?;
    let info = release::inspect_app_image(ctx, &image)?;
    ctx.out.info1(&format!(
        "Deploying {app} via the docker-local scheduler..."
    ));

    let scale = PsCurrentScale::web_first_of(ctx, app)?;
    let has_procfile = ctx
        .bus
        .collect(
            ctx,
            &ProcfileExists {
                app: app.to_string(),
            },
        )?
        .into_iter()
        .any(|e| e);
    let restart = ps_property(ctx, app, "restart-policy")
        .parse::<RestartPolicy>()
        .unwrap_or(RestartPolicy::OnFailure(Some(10)));
    let vendor = info
        .labels
        .get("org.opencontainers.image.vendor")
        .map(String::as_str);
    let common = Common {
        app: app.to_string(),
        image: image.clone(),
        tag: tag.clone(),
        builder: info.labels.get(BUILDER_LABEL).cloned().unwrap_or_default(),
        env: app_env(ctx, app)?,
        restart,
        init: store::init_process(&ctx.paths, app, vendor),
        has_procfile,
    };
    let checks_get = |key: &str| ChecksGetProperty::get(ctx, app, key);
    let disabled: Vec<String> = checks_get("disabled")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let wait_to_retire: u64 = checks_get("wait-to-retire").parse().unwrap_or(60);
    let port = web_port(&info);

    let old: Vec<ContainerSummary> = containers::deploy_containers(engine, app)?
        .into_iter()
        .filter(|c| plan::in_scope(c, only))
        .collect();
    // What each process type runs; types that cannot run are skipped.
    let mut types = Vec::new();
    for (proc_type, count) in plan::types_in_scope(&scale, only) {
        match command(ctx, &common, &proc_type, port) {
            Ok(cmd) => types.push(ProcessType {
                name: proc_type,
                count,
                cmd,
            }),
            Err(()) => ctx.out.warn(&format!(
                "Skipping {proc_type} as it is missing from the current Procfile"
            )),
        }
    }
    let plan = plan::plan(&plan::Input {
        app,
        types: &types,
        old: &old,
        checks_disabled: &disabled,
        per_batch: store::parallel_schedule_count(&ctx.paths, app),
    });
    let started = start_all(ctx, engine, &common, port, &plan)?;
    finish(
        ctx,
        engine,
        app,
        only,
        &tag,
        &plan,
        &started,
        wait_to_retire,
    )
}

/// After every new container passed its checks: record them, switch
/// traffic (core-post-deploy), give them their final names, and retire the
/// old containers.
#[allow(clippy::too_many_arguments)]
fn finish(
    ctx: &Ctx,
    engine: &dyn ContainerEngine,
    app: &str,
    only: Option<&str>,
    tag: &str,
    plan: &Plan,
    started: &[Started],
    wait_to_retire: u64,
) -> Result<()> {
    // Record the new set; forget dynos that no longer run.
    for s in started {
        let r = Record {
            container_id: s.id.clone(),
            ip: s.ip.clone(),
            port: s.port.to_string(),
        };
        store::record(&ctx.paths, app, &s.dyno, &r)?;
        let (proc_type, index) = s.dyno.rsplit_once('.').unwrap_or((s.dyno.as_str(), "1"));
        let (proc_type, index) = (proc_type.to_string(), index.to_string());
        let ip = NetworkWriteIpaddr {
            app: app.to_string(),
            proc_type: proc_type.clone(),
            container_index: index.clone(),
            ip_address: s.ip.clone(),
        };
        ctx.bus.notify(ctx, &ip)?;
        ctx.bus.notify(
            ctx,
            &NetworkWritePort {
                app: app.to_string(),
                proc_type,
                container_index: index,
                port: s.port.to_string(),
            },
        )?;
    }
    for dyno in plan::stale_records(store::records(&ctx.paths, app).keys(), plan, only) {
        store::forget(&ctx.paths, app, &dyno)?;
    }

    ctx.out.info1("Running post-deploy");
    let post = CorePostDeploy {
        app: app.to_string(),
        internal_port: String::new(),
        internal_ip_address: String::new(),
        image_tag: tag.to_string(),
    };
    ctx.bus.notify(ctx, &post)?;

    if !started.is_empty() {
        ctx.out.info1("Renaming containers");
    }
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for s in started {
        for old in &s.displaced {
            let renamed = plan::retired_names(&s.final_name, stamp, RENAME_ATTEMPTS)
                .iter()
                .any(|name| engine.rename_container(old, name).is_ok());
            if !renamed {
                ctx.out.warn(&format!(
                    "Failed to rename container {} ({})",
                    s.final_name,
                    short(old)
                ));
            }
        }
        match engine.rename_container(&s.id, &s.final_name) {
            Ok(()) => ctx.out.verbose(&format!(
                "Renaming container {} ({}) to {}",
                s.upcoming,
                short(&s.id),
                s.final_name
            )),
            Err(_) => ctx.out.warn(&format!(
                "Failed to rename container {} ({})",
                s.upcoming,
                short(&s.id)
            )),
        }
    }

    let post = PostDeploy {
        app: app.to_string(),
        internal_port: String::new(),
        internal_ip_address: String::new(),
        image_tag: tag.to_string(),
    };
    ctx.bus.notify(ctx, &post)?;

    if !plan.retire.is_empty() {
        ctx.out.info1(&format!(
            "Shutting down old containers in {wait_to_retire} seconds"
        ));
        for id in &plan.retire {
            ctx.out.verbose_quiet(id);
        }
        retire::schedule(ctx, engine, app, &plan.retire, wait_to_retire)?;
    }

    ctx.out.info2("Application deployed:");
    let mut urls: Vec<String> = ctx
        .bus
        .collect(
            ctx,
            &AppUrls {
                app: app.to_string(),
                url_type: "urls".into(),
            },
        )?
        .into_iter()
        .flatten()
        .collect();
    if urls.is_empty() {
        urls = started
            .iter()
            .filter(|s| s.dyno.starts_with("web.") && !s.ip.is_empty())
            .map(|s| format!("http://{}:{}", s.ip, s.port))
            .collect();
    }
    for u in urls {
        ctx.out.verbose(&u);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use dokku_docker::fake::{FakeEngine, Op};
    use dokku_output::{Captured, Output};
    use dokku_trigger::{Bus, Flags};

    /// A deploy of app `app` against a fake engine, with the triggers the
    /// other plugins would answer stubbed on the bus.
    struct Fixture {
        _dir: tempfile::TempDir,
        ctx: Ctx,
        fake: Arc<FakeEngine>,
        cap: Captured,
    }

    type Check = fn(&FakeEngine, &CheckDeploy) -> Result<()>;

    /// `scale` as `ps-current-scale` prints it; `disabled` the checks
    /// plugin's list; `check` plays the checks plugin.
    fn fixture(scale: &'static str, disabled: &'static str, check: Check) -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = dokku_core::Paths::for_roots(&dir.path().join("h"), &dir.path().join("l"));
        std::fs::create_dir_all(paths.app_dir("app")).expect("app dir");
        let fake = Arc::new(FakeEngine::new());
        fake.add_image("dokku/app:latest", ImageInfo::default());
        let mut bus = Bus::new();
        bus.on::<PsCurrentScale, _>("ps", move |_, _| {
            Ok(<dokku_trigger::deploy::Scale as dokku_trigger::TriggerOutput>::from_stdout(scale))
        });
        bus.on::<ProcfileExists, _>("ps", |_, _| Ok(true));
        bus.on::<ProcfileGetCommand, _>("ps", |_, t: &ProcfileGetCommand| {
            Ok(format!("run-{}", t.process_type))
        });
        bus.on::<ChecksGetProperty, _>("checks", move |_, t: &ChecksGetProperty| {
            Ok(match t.key.as_str() {
                "disabled" => disabled.to_string(),
                "wait-to-retire" => "0".to_string(),
                _ => String::new(),
            })
        });
        let seen = fake.clone();
        bus.on::<CheckDeploy, _>("checks", move |_, t: &CheckDeploy| check(&seen, t));
        let (out, cap) = Output::captured(false);
        let ctx = Ctx::with_engine(paths, out, Flags::default(), Arc::new(bus), fake.clone());
        Fixture {
            _dir: dir,
            ctx,
            fake,
            cap,
        }
    }

    fn pass(_: &FakeEngine, _: &CheckDeploy) -> Result<()> {
        Ok(())
    }

    /// A running container of the last release.
    fn running(fake: &FakeEngine, proc_type: &str, index: u32) -> String {
        let mut spec = ContainerSpec::new("dokku/app:latest");
        spec.name = Some(containers::final_name("app", proc_type, index));
        spec.labels = containers::deploy_labels("app", proc_type, index);
        let id = fake.create_container(&spec).expect("create");
        fake.start_container(&id).expect("start");
        fake.clear_calls();
        id
    }

    /// Random and time-dependent parts of names made stable.
    fn stable(s: &str) -> String {
        s.split(' ')
            .map(|w| {
                if let Some((head, n)) = w.rsplit_once("upcoming-") {
                    if n.chars().all(|c| c.is_ascii_digit()) {
                        return format!("{head}upcoming-N");
                    }
                }
                match w.rsplit_once('.') {
                    Some((head, n)) if n.len() == 10 && n.chars().all(|c| c.is_ascii_digit()) => {
                        format!("{head}.STAMP")
                    }
                    _ => w.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The calls that change containers, made stable.
    fn changes(fake: &FakeEngine) -> Vec<String> {
        fake.calls()
            .iter()
            .filter(|c| {
                ["create ", "start ", "stop ", "kill ", "remove ", "rename "]
                    .iter()
                    .any(|p| c.starts_with(p))
            })
            .map(|c| stable(c))
            .collect()
    }

    /// The containers left, `name state`.
    fn left(fake: &FakeEngine) -> Vec<String> {
        fake.containers()
            .iter()
            .map(|c| format!("{} {}", stable(&c.name), c.status))
            .collect()
    }

    #[test]
    fn old_containers_keep_running_until_every_new_one_passed_its_checks() {
        fn old_ones_untouched(fake: &FakeEngine, _: &CheckDeploy) -> Result<()> {
            for name in ["app.web.1", "app.worker.1"] {
                let info = fake.inspect_container(name).expect("old container");
                assert!(info.running, "{name} still serves during the checks");
            }
            Ok(())
        }
        let f = fixture("web=2\nworker=1\n", "", old_ones_untouched);
        let old_web = running(&f.fake, "web", 1);
        let old_worker = running(&f.fake, "worker", 1);
        deploy(&f.ctx, "app", "", None).expect("deploy");
        assert_eq!(
            changes(&f.fake),
            [
                "create app.web.1.upcoming-N",
                "start app.web.1.upcoming-N",
                "create app.web.2.upcoming-N",
                "start app.web.2.upcoming-N",
                "create app.worker.1.upcoming-N",
                "start app.worker.1.upcoming-N",
                "rename app.web.1 -> app.web.1.STAMP",
                "rename app.web.1.upcoming-N -> app.web.1",
                "rename app.web.2.upcoming-N -> app.web.2",
                "rename app.worker.1 -> app.worker.1.STAMP",
                "rename app.worker.1.upcoming-N -> app.worker.1",
                // Retired in listing order, newest first.
                "stop app.worker.1.STAMP",
                "remove app.worker.1.STAMP",
                "stop app.web.1.STAMP",
                "remove app.web.1.STAMP",
            ]
        );
        assert_eq!(
            left(&f.fake),
            [
                "app.web.1 running",
                "app.web.2 running",
                "app.worker.1 running"
            ]
        );
        let out = f.cap.stdout();
        let (web1, web2) = (&f.fake.containers()[0].id, &f.fake.containers()[1].id);
        let expected = format!(
            "-----> Deploying app via the docker-local scheduler...\n\
             -----> Deploying web (count=2)\n\
             \x20      Attempting pre-flight checks (web.1)\n\
             \x20      Attempting pre-flight checks (web.2)\n\
             -----> Deploying worker (count=1)\n\
             \x20      Attempting pre-flight checks (worker.1)\n\
             -----> Running post-deploy\n\
             -----> Renaming containers\n\
             \x20      Renaming container app.web.1.upcoming-N ({}) to app.web.1\n\
             \x20      Renaming container app.web.2.upcoming-N ({}) to app.web.2\n\
             \x20      Renaming container app.worker.1.upcoming-N ({}) to app.worker.1\n\
             -----> Shutting down old containers in 0 seconds\n\
             \x20      {old_worker}\n\
             \x20      {old_web}\n\
             =====> Application deployed:\n\
             \x20      http://172.17.0.5:5000\n\
             \x20      http://172.17.0.6:5000\n",
            &web1[..12],
            &web2[..12],
            &f.fake.containers()[2].id[..12],
        );
        let out: Vec<String> = out.lines().map(stable).collect();
        assert_eq!(out.join("\n") + "\n", expected);
        assert_eq!(f.cap.stderr(), "");
        let records = store::records(&f.ctx.paths, "app");
        assert_eq!(
            records.keys().collect::<Vec<_>>(),
            ["web.1", "web.2", "worker.1"]
        );
        assert_eq!(&records["web.1"].container_id, web1);
    }

    #[test]
    fn a_container_that_cannot_start_leaves_no_stray_container() {
        let f = fixture("web=1\nworker=2\n", "", pass);
        f.fake.fail(Op::Start, "app.worker.2");
        running(&f.fake, "web", 1);
        let err = deploy(&f.ctx, "app", "latest", None).expect_err("start fails");
        assert_eq!(
            stable(&err.to_string()),
            "start container: start container app.worker.2.upcoming-N"
        );
        assert_eq!(
            changes(&f.fake),
            [
                "create app.web.1.upcoming-N",
                "start app.web.1.upcoming-N",
                "create app.worker.1.upcoming-N",
                "start app.worker.1.upcoming-N",
                "create app.worker.2.upcoming-N",
                "start app.worker.2.upcoming-N",
                "remove app.web.1.upcoming-N",
                "remove app.worker.1.upcoming-N",
                "remove app.worker.2.upcoming-N",
            ]
        );
        assert_eq!(left(&f.fake), ["app.web.1 running"]);
        assert!(store::records(&f.ctx.paths, "app").is_empty());
        let out = f.cap.stdout();
        assert!(out.contains("=====> Start of app container output (worker.2)\n"));
        assert!(!out.contains("Running post-deploy"), "{out}");
    }

    #[test]
    fn a_failed_check_stops_the_deploy_before_the_next_type() {
        fn worker_fails(_: &FakeEngine, t: &CheckDeploy) -> Result<()> {
            if t.proc_type == "worker" {
                return Err(Error::fail("worker is not healthy"));
            }
            Ok(())
        }
        let f = fixture("web=1\nworker=1\nclock=1\n", "", worker_fails);
        running(&f.fake, "web", 1);
        running(&f.fake, "worker", 1);
        let err = deploy(&f.ctx, "app", "latest", None).expect_err("check fails");
        assert_eq!(err.exit_code(), 1);
        assert_eq!(f.cap.stderr(), " !     worker is not healthy\n");
        // clock never starts; old containers are left as they were.
        assert!(!changes(&f.fake).iter().any(|c| c.contains("clock")));
        assert_eq!(left(&f.fake), ["app.web.1 running", "app.worker.1 running"]);
    }

    #[test]
    fn types_deployed_side_by_side_are_all_removed_when_one_fails() {
        let f = fixture("", "", pass);
        f.fake.fail(Op::Create, "app.b.");
        let common = Common {
            app: "app".into(),
            image: "dokku/app:latest".into(),
            tag: "latest".into(),
            builder: String::new(),
            env: Vec::new(),
            restart: RestartPolicy::No,
            init: true,
            has_procfile: true,
        };
        let types: Vec<ProcessType> = [("a", 2), ("b", 1), ("c", 1)]
            .iter()
            .map(|(n, c)| ProcessType {
                name: n.to_string(),
                count: *c,
                cmd: None,
            })
            .collect();
        let p = plan::plan(&plan::Input {
            app: "app",
            types: &types,
            old: &[],
            checks_disabled: &[],
            per_batch: 2,
        });
        let engine = f.ctx.engine().expect("engine");
        let err = start_all(&f.ctx, engine, &common, 5000, &p).expect_err("b fails");
        assert!(err.to_string().contains("create container"), "{err}");
        // Whatever a and b got to create is gone; c, in the next batch,
        // never started.
        assert!(f.fake.containers().is_empty(), "{:?}", left(&f.fake));
        assert!(!changes(&f.fake).iter().any(|c| c.contains("app.c.")));
    }

    #[test]
    fn disabled_checks_stop_the_old_dyno_before_its_replacement_starts() {
        let f = fixture("web=1\nworker=1\n", "worker", pass);
        running(&f.fake, "web", 1);
        running(&f.fake, "worker", 1);
        deploy(&f.ctx, "app", "latest", None).expect("deploy");
        let calls = changes(&f.fake);
        assert_eq!(
            &calls[..2],
            ["create app.web.1.upcoming-N", "start app.web.1.upcoming-N"]
        );
        // The old worker stops while its replacement is created (either
        // may reach the engine first); the replacement starts after.
        let mut overlapped = calls[2..4].to_vec();
        overlapped.sort();
        assert_eq!(
            overlapped,
            ["create app.worker.1.upcoming-N", "stop app.worker.1"]
        );
        assert_eq!(calls[4], "start app.worker.1.upcoming-N");
    }

    #[test]
    fn a_missing_image_is_refused_before_anything_runs() {
        let f = fixture("web=1\n", "", pass);
        let err = deploy(&f.ctx, "app", "v2", None).expect_err("no image");
        assert_eq!(err.to_string(), "App image (dokku/app:v2) not found");
        assert_eq!(f.fake.calls(), ["inspect-image dokku/app:v2"]);
        assert_eq!(f.cap.stdout(), "");
    }

    #[test]
    fn a_restricted_deploy_leaves_the_other_types_alone() {
        let f = fixture("web=1\nworker=1\n", "", pass);
        running(&f.fake, "web", 1);
        running(&f.fake, "worker", 1);
        deploy(&f.ctx, "app", "latest", Some("worker")).expect("deploy");
        assert!(!changes(&f.fake).iter().any(|c| c.contains("web")));
        assert_eq!(left(&f.fake), ["app.web.1 running", "app.worker.1 running"]);
        assert_eq!(
            store::records(&f.ctx.paths, "app")
                .keys()
                .collect::<Vec<_>>(),
            ["worker.1"]
        );
    }

    #[test]
    fn ports_and_scale() {
        let mut info = ImageInfo::default();
        assert_eq!(web_port(&info), 5000);
        info.exposed_ports = vec!["8080/tcp".into(), "53/udp".into(), "3000/tcp".into()];
        assert_eq!(web_port(&info), 3000);
        let s = <dokku_trigger::deploy::Scale as dokku_trigger::TriggerOutput>::from_stdout(
            "worker=2\nweb=1\nbad\nclock=0\n",
        )
        .web_first();
        assert_eq!(
            s.0,
            vec![
                ("web".to_string(), 1),
                ("worker".to_string(), 2),
                ("clock".to_string(), 0)
            ]
        );
        let m = to_mount(&VolumeMount {
            source: "/var/lib/dokku/data/storage/x".into(),
            target: "/data".into(),
            readonly: true,
            options: "ro,z".into(),
            ..Default::default()
        });
        assert_eq!(
            m.to_volume_arg(),
            "/var/lib/dokku/data/storage/x:/data:ro,z"
        );
    }
}
