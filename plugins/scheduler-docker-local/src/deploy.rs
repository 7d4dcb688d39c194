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
    CorePostDeploy, DeployedAppImageRepo, DeployedAppImageTag, PostDeploy, PreDeploy,
    ProcfileExists, ProcfileGetCommand, PsCurrentScale, PsGetProperty,
};
use dokku_trigger::deploy::{NetworkWriteIpaddr, NetworkWritePort};
use dokku_trigger::proxy::NetworkGetProperty;
use dokku_trigger::triggers::{ConfigExport, DockerArgsProcessDeploy, VolumeMount};
use dokku_trigger::Ctx;

use crate::containers::{self, docker_err, short, DYNO_LABEL};
use crate::retire;
use crate::store::{self, Record};

/// Label builders put on images, naming themselves.
pub const BUILDER_LABEL: &str = "com.dokku.builder-type";

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
    ip: String,
    port: u16,
}

/// The image a deploy of `tag` uses: `dokku/<app>:<tag>` unless plugins
/// answer `deployed-app-image-repo` / `deployed-app-image-tag`.
pub fn image_name(ctx: &Ctx, app: &str, tag: &str) -> Result<(String, String)> {
    let repo = first_answer(ctx.bus.collect(
        ctx,
        &DeployedAppImageRepo {
            app: app.to_string(),
        },
    )?)
    .unwrap_or_else(|| format!("dokku/{app}"));
    let over = first_answer(ctx.bus.collect(
        ctx,
        &DeployedAppImageTag {
            app: app.to_string(),
        },
    )?);
    let tag = over.unwrap_or_else(|| {
        if tag.is_empty() {
            "latest".to_string()
        } else {
            tag.to_string()
        }
    });
    Ok((repo, tag))
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

/// A scale as `ps-current-scale` prints it, web first.
pub fn parse_scale(s: &str) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = s
        .lines()
        .filter_map(|l| {
            let (p, n) = l.trim().split_once('=')?;
            Some((p.trim().to_string(), n.trim().parse().ok()?))
        })
        .collect();
    v.sort_by_key(|(p, _)| p != "web");
    v
}

fn ps_property(ctx: &Ctx, app: &str, property: &str) -> String {
    ctx.bus
        .collect(
            ctx,
            &PsGetProperty {
                app: app.to_string(),
                property: property.to_string(),
            },
        )
        .ok()
        .and_then(first_answer)
        .unwrap_or_default()
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
    old: &'a [ContainerSummary],
    disabled: Vec<String>,
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

    /// Start every index of a process type, `max_parallel` at a time (the
    /// app.json formation's, 1 by default).
    fn process_type(
        &self,
        engine: &dyn ContainerEngine,
        proc_type: &str,
        count: u32,
        cmd: &Option<Vec<String>>,
    ) {
        let ctx = self.ctx;
        ctx.out
            .info1(&format!("Deploying {proc_type} (count={count})"));
        let t = AppJsonProcessDeployParallelism {
            app: self.common.app.clone(),
            process_type: proc_type.to_string(),
        };
        let parallel = ctx
            .bus
            .collect(ctx, &t)
            .ok()
            .and_then(first_answer)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        let indexes: Vec<u32> = (1..=count).collect();
        for chunk in indexes.chunks(parallel) {
            if self.failed() {
                return;
            }
            if chunk.len() == 1 {
                self.dyno(engine, proc_type, chunk[0], cmd);
                continue;
            }
            std::thread::scope(|scope| {
                for index in chunk {
                    scope.spawn(move || self.dyno(engine, proc_type, *index, cmd));
                }
            });
        }
    }

    /// Start one container and check it.
    fn dyno(
        &self,
        engine: &dyn ContainerEngine,
        proc_type: &str,
        index: u32,
        cmd: &Option<Vec<String>>,
    ) {
        match self.start(engine, proc_type, index, cmd) {
            Ok(s) => {
                if let Ok(mut v) = self.started.lock() {
                    v.push(s);
                }
            }
            Err(e) => self.fail(e),
        }
    }

    fn start(
        &self,
        engine: &dyn ContainerEngine,
        proc_type: &str,
        index: u32,
        cmd: &Option<Vec<String>>,
    ) -> Result<Started> {
        let (ctx, app) = (self.ctx, self.common.app.as_str());
        let dyno = format!("{proc_type}.{index}");
        if self.disabled.iter().any(|d| d == "_all_" || d == proc_type) {
            let timeout = containers::stop_timeout(ctx, app);
            for c in self
                .old
                .iter()
                .filter(|c| c.labels.get(DYNO_LABEL) == Some(&dyno))
            {
                let _ = engine.stop_container(&c.id, Some(timeout));
            }
        }
        let spec = spec_for(ctx, self.common, proc_type, index, self.port, cmd.clone())?;
        let upcoming = spec.name.clone().unwrap_or_default();
        let id = engine
            .create_container(&spec)
            .map_err(|e| Error::other("create container", e))?;
        if let Ok(mut v) = self.created.lock() {
            v.push(id.clone());
        }
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
            proc_type: proc_type.to_string(),
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
        Ok(Started {
            dyno,
            id,
            upcoming,
            final_name: containers::final_name(app, proc_type, index),
            ip,
            port: self.port,
        })
    }
}

/// Deploy `tag` of `app`; `only` restricts the deploy to one process type
/// (the others keep running untouched).
pub fn deploy(ctx: &Ctx, app: &str, tag: &str, only: Option<&str>) -> Result<()> {
    let engine = ctx.engine()?;
    let (repo, tag) = image_name(ctx, app, tag)?;
    let image = format!("{repo}:{tag}");
    if !engine
        .image_exists(&image)
        .map_err(docker_err("inspect image"))?
    {
        return Err(Error::fail(format!("App image ({image}) not found")));
    }
    ctx.bus.notify(
        ctx,
        &PreDeploy {
            app: app.to_string(),
            image_tag: tag.clone(),
        },
    )?;
    let info = engine
        .image_inspect(&image)
        .map_err(docker_err("inspect image"))?;
    ctx.out.info1(&format!(
        "Deploying {app} via the docker-local scheduler..."
    ));

    let scale = parse_scale(
        &first_answer(ctx.bus.collect(
            ctx,
            &PsCurrentScale {
                app: app.to_string(),
            },
        )?)
        .unwrap_or_default(),
    );
    let has_procfile = first_answer(ctx.bus.collect(
        ctx,
        &ProcfileExists {
            app: app.to_string(),
        },
    )?)
    .as_deref()
        == Some("true");
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
    let checks_get = |key: &str| {
        ctx.bus
            .collect(
                ctx,
                &ChecksGetProperty {
                    app: app.to_string(),
                    key: key.to_string(),
                },
            )
            .ok()
            .and_then(first_answer)
            .unwrap_or_default()
    };
    let disabled = checks_get("disabled");
    let disabled: Vec<&str> = disabled
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let wait_to_retire: u64 = checks_get("wait-to-retire").parse().unwrap_or(60);
    let port = web_port(&info);

    // Old containers in the scope of this deploy.
    let in_scope = |c: &ContainerSummary| match only {
        Some(p) => c.labels.get(containers::PROC_LABEL).map(String::as_str) == Some(p),
        None => true,
    };
    let old: Vec<ContainerSummary> = containers::deploy_containers(engine, app)?
        .into_iter()
        .filter(|c| in_scope(c))
        .collect();

    // What each process type runs; types that cannot run are skipped.
    let mut procs: Vec<(String, u32, Option<Vec<String>>)> = Vec::new();
    for (proc_type, count) in &scale {
        if only.is_some_and(|o| o != proc_type) || *count == 0 {
            continue;
        }
        match command(ctx, &common, proc_type, port) {
            Ok(cmd) => procs.push((proc_type.clone(), *count, cmd)),
            Err(()) => ctx.out.warn(&format!(
                "Skipping {proc_type} as it is missing from the current Procfile"
            )),
        }
    }
    let run = Run {
        ctx,
        common: &common,
        port,
        old: &old,
        disabled: disabled.iter().map(|d| d.to_string()).collect(),
        created: Mutex::new(Vec::new()),
        started: Mutex::new(Vec::new()),
        failure: Mutex::new(None),
    };
    // web first on its own, then the other types `parallel-schedule-count`
    // at a time.
    let (web, rest): (Vec<_>, Vec<_>) = procs.into_iter().partition(|(p, _, _)| p == "web");
    for (proc_type, count, cmd) in &web {
        run.process_type(engine, proc_type, *count, cmd);
    }
    let per_batch = store::parallel_schedule_count(&ctx.paths, app);
    for batch in rest.chunks(per_batch) {
        if run.failed() {
            break;
        }
        if batch.len() == 1 {
            let (proc_type, count, cmd) = &batch[0];
            run.process_type(engine, proc_type, *count, cmd);
            continue;
        }
        std::thread::scope(|scope| {
            for (proc_type, count, cmd) in batch {
                let run = &run;
                scope.spawn(move || run.process_type(engine, proc_type, *count, cmd));
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

    // Record the new set; forget dynos that no longer run.
    let new_dynos: Vec<&str> = started.iter().map(|s| s.dyno.as_str()).collect();
    for s in &started {
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
    for dyno in store::records(&ctx.paths, app).keys() {
        let proc_type = dyno.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
        if !new_dynos.contains(&dyno.as_str()) && only.is_none_or(|o| o == proc_type) {
            store::forget(&ctx.paths, app, dyno)?;
        }
    }

    ctx.out.info1("Running post-deploy");
    let post = CorePostDeploy {
        app: app.to_string(),
        internal_port: String::new(),
        internal_ip_address: String::new(),
        image_tag: tag.clone(),
    };
    ctx.bus.notify(ctx, &post)?;

    if !started.is_empty() {
        ctx.out.info1("Renaming containers");
    }
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for s in &started {
        for c in old
            .iter()
            .filter(|c| c.name() == Some(s.final_name.as_str()))
        {
            // A deploy within the same second as the previous one finds
            // `<name>.<stamp>` taken by the container it retired: move on
            // to the next free stamp instead of leaving the name in use.
            let renamed = (0..RENAME_ATTEMPTS).any(|n| {
                engine
                    .rename_container(&c.id, &format!("{}.{}", s.final_name, stamp + n))
                    .is_ok()
            });
            if !renamed {
                ctx.out.warn(&format!(
                    "Failed to rename container {} ({})",
                    s.final_name,
                    short(&c.id)
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
        image_tag: tag,
    };
    ctx.bus.notify(ctx, &post)?;

    let old_ids: Vec<String> = old.iter().map(|c| c.id.clone()).collect();
    if !old_ids.is_empty() {
        ctx.out.info1(&format!(
            "Shutting down old containers in {wait_to_retire} seconds"
        ));
        for id in &old_ids {
            ctx.out.verbose_quiet(id);
        }
        retire::schedule(ctx, engine, app, &old_ids, wait_to_retire)?;
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

    #[test]
    fn ports_and_scale() {
        let mut info = ImageInfo::default();
        assert_eq!(web_port(&info), 5000);
        info.exposed_ports = vec!["8080/tcp".into(), "53/udp".into(), "3000/tcp".into()];
        assert_eq!(web_port(&info), 3000);
        let s = parse_scale("worker=2\nweb=1\nbad\nclock=0\n");
        assert_eq!(
            s,
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
