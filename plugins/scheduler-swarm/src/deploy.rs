//! Deploys: the app's image is pushed to the registry every node pulls
//! from, and each process type runs as a replicated service
//! `<app>-<process>`; a redeploy is a rolling update (start-first, rolled
//! back when new tasks fail). Web tasks are recorded as Dokku's
//! `CONTAINER/IP/PORT.web.N` files (node address and host-mode port), so
//! the network plugin's listeners and nginx route to them unchanged.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use dokku_core::property::Properties;
use dokku_core::{fsutil, Error, Paths, Result};
use dokku_docker::{ServiceSpec, SwarmEngine, SwarmTask, TaskFilter};
use dokku_trigger::deploy::{
    first_answer, CorePostDeploy, NetworkWriteIpaddr, NetworkWritePort, PostDeploy,
    ProcfileGetCommand, PsCurrentScale, PsGetProperty,
};
use dokku_trigger::proxy::{NetworkGetProperty, ProxyBuildConfig};
use dokku_trigger::triggers::ConfigExport;
use dokku_trigger::Ctx;

use crate::cluster;
use crate::scale::{self, Step};

/// The label every service of an app carries.
pub const APP_LABEL: &str = "com.dokku.app-name";
/// The label naming a service's process type.
pub const PROCESS_LABEL: &str = "com.dokku.process-type";
/// The port web processes listen on (`PORT`).
pub const WEB_PORT: u16 = 5000;

fn engine_err(e: dokku_docker::EngineError) -> Error {
    Error::other("docker", e)
}

/// The registry server an app's image goes to: the registry plugin's
/// `server` property (app, else global), without a trailing `/`.
pub fn registry_server(paths: &Paths, app: &str) -> String {
    let props = Properties::new(paths, "registry");
    let mut server = props.get_str(app, "server");
    if server.trim().is_empty() {
        server = props.get_str("--global", "server");
    }
    let server = server.trim().trim_end_matches('/').to_string();
    match server.as_str() {
        "docker.io" | "hub.docker.com" => String::new(),
        _ => server,
    }
}

/// The image repository in the registry: the registry plugin's
/// `image-repo` property, else `dokku/<app>`.
pub fn image_repo(paths: &Paths, app: &str) -> String {
    let repo = Properties::new(paths, "registry").get_str(app, "image-repo");
    if repo.trim().is_empty() {
        format!("dokku/{app}")
    } else {
        repo.trim().to_string()
    }
}

/// `<server>/<repo>:<tag>`: the reference services run.
pub fn remote_image(paths: &Paths, app: &str, tag: &str) -> Result<String> {
    let server = registry_server(paths, app);
    if server.is_empty() {
        return Err(Error::fail(format!(
            "The swarm scheduler needs a registry every node can pull from: set one with registry:set {app} server <registry>"
        )));
    }
    Ok(format!("{server}/{}:{tag}", image_repo(paths, app)))
}

/// The service of a process type.
pub fn service_name(app: &str, process_type: &str) -> String {
    format!("{app}-{process_type}")
}

/// The ps plugin's restart policy as a task restart condition and limit.
pub fn restart_of(policy: &str) -> (String, u64) {
    let policy = policy.trim();
    match policy.split_once(':') {
        Some(("on-failure", n)) => ("on-failure".into(), n.parse().unwrap_or(0)),
        _ => match policy {
            "no" => ("none".into(), 0),
            "always" | "unless-stopped" => ("any".into(), 0),
            "on-failure" => ("on-failure".into(), 0),
            _ => ("on-failure".into(), 10),
        },
    }
}

fn ps_property(ctx: &Ctx, app: &str, property: &str) -> String {
    PsGetProperty::value(ctx, app, property)
}

fn procfile_command(ctx: &Ctx, app: &str, process_type: &str) -> Option<Vec<String>> {
    let cmd = ctx
        .bus
        .collect(
            ctx,
            &ProcfileGetCommand {
                app: app.to_string(),
                process_type: process_type.to_string(),
                port: WEB_PORT.to_string(),
            },
        )
        .ok()
        .and_then(first_answer)?;
    Some(cmd.split_whitespace().map(str::to_string).collect())
}

/// The spec of one process type's service.
pub struct Inputs<'a> {
    pub app: &'a str,
    pub process_type: &'a str,
    pub image: &'a str,
    pub replicas: u32,
    pub env: &'a BTreeMap<String, String>,
    pub args: Option<Vec<String>>,
    pub restart_policy: &'a str,
    pub monitor: u64,
    pub force_update: u64,
}

/// Build the service spec of a process type.
pub fn spec(i: &Inputs<'_>) -> ServiceSpec {
    let mut env: Vec<String> = i.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let web = i.process_type == "web";
    env.push(format!("DOKKU_APP_TYPE={}", i.process_type));
    if web {
        env.push(format!("PORT={WEB_PORT}"));
    }
    let labels = BTreeMap::from([
        (APP_LABEL.to_string(), i.app.to_string()),
        (PROCESS_LABEL.to_string(), i.process_type.to_string()),
        (
            "com.dokku.scheduler".to_string(),
            crate::SCHEDULER.to_string(),
        ),
    ]);
    let (restart_condition, restart_attempts) = restart_of(i.restart_policy);
    ServiceSpec {
        name: service_name(i.app, i.process_type),
        image: i.image.to_string(),
        args: i.args.clone(),
        env,
        container_labels: labels.clone(),
        labels,
        replicas: u64::from(i.replicas),
        host_ports: if web { vec![WEB_PORT] } else { Vec::new() },
        restart_condition,
        restart_attempts,
        update_monitor: i.monitor,
        force_update: i.force_update,
        ..ServiceSpec::default()
    }
}

/// The app's running tasks of a process type.
pub fn running_tasks(s: &dyn SwarmEngine, app: &str, process_type: &str) -> Result<Vec<SwarmTask>> {
    let mut tasks: Vec<SwarmTask> = s
        .list_tasks(&TaskFilter {
            service: Some(service_name(app, process_type)),
            desired_running: true,
            ..TaskFilter::default()
        })
        .map_err(engine_err)?
        .into_iter()
        .filter(|t| t.state == "running")
        .collect();
    tasks.sort_by_key(|t| t.slot);
    Ok(tasks)
}

/// Record the web tasks as `CONTAINER/IP/PORT.web.N` (N from 1), forget
/// records beyond them, and rebuild the proxy config when they changed.
pub fn record_web(ctx: &Ctx, s: &dyn SwarmEngine, app: &str) -> Result<bool> {
    let nodes: BTreeMap<String, String> = s
        .list_nodes()
        .map_err(engine_err)?
        .into_iter()
        .filter(|n| n.state == "ready")
        .map(|n| (n.id, n.addr))
        .collect();
    let tasks = running_tasks(s, app, "web")?;
    let dir = ctx.paths.app_dir(app);
    let mut listeners = Vec::new();
    for t in &tasks {
        let Some((_, published)) = t.ports.iter().find(|(target, _)| *target == WEB_PORT) else {
            continue;
        };
        let Some(addr) = nodes.get(&t.node_id) else {
            continue;
        };
        listeners.push((t.container_id.clone(), addr.clone(), published.to_string()));
    }
    let before = recorded(&dir);
    let now: Vec<String> = listeners
        .iter()
        .map(|(_, ip, port)| format!("{ip}:{port}"))
        .collect();
    if before == now {
        return Ok(false);
    }
    for (i, (container, ip, port)) in listeners.iter().enumerate() {
        let index = (i + 1).to_string();
        fsutil::write_atomic(
            &dir.join(format!("CONTAINER.web.{index}")),
            container.as_bytes(),
            0o644,
        )?;
        ctx.bus.notify(
            ctx,
            &NetworkWriteIpaddr {
                app: app.to_string(),
                proc_type: "web".into(),
                container_index: index.clone(),
                ip_address: ip.clone(),
            },
        )?;
        ctx.bus.notify(
            ctx,
            &NetworkWritePort {
                app: app.to_string(),
                proc_type: "web".into(),
                container_index: index,
                port: port.clone(),
            },
        )?;
    }
    forget_from(&dir, "web", listeners.len() + 1);
    ctx.bus.notify(
        ctx,
        &ProxyBuildConfig {
            app: app.to_string(),
        },
    )?;
    Ok(true)
}

fn recorded(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for i in 1.. {
        let read = |kind: &str| {
            std::fs::read_to_string(dir.join(format!("{kind}.web.{i}")))
                .map(|s| s.trim().to_string())
                .ok()
        };
        match (read("CONTAINER"), read("IP"), read("PORT")) {
            (Some(_), Some(ip), Some(port)) => out.push(format!("{ip}:{port}")),
            _ => break,
        }
    }
    out
}

/// Remove the records of `process_type` from index `from` on.
pub fn forget_from(dir: &std::path::Path, process_type: &str, from: usize) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        for kind in ["CONTAINER", "IP", "PORT"] {
            let Some(index) = name.strip_prefix(&format!("{kind}.{process_type}.")) else {
                continue;
            };
            if index.parse::<usize>().is_ok_and(|i| i >= from) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Wait for a service's update to settle while keeping the web records in
/// step with the running tasks: done when exactly the wanted number of
/// tasks run, all of the new spec (image and force-update counter). Fails
/// when the update rolled back or the deploy timeout passed.
/// A scale (`rolling` false) changes no spec, so the update state left by
/// an earlier deploy does not count.
fn converge(
    ctx: &Ctx,
    s: &dyn SwarmEngine,
    app: &str,
    spec: &ServiceSpec,
    process_type: &str,
    rolling: bool,
) -> Result<()> {
    let name = &spec.name;
    let timeout = Duration::from_secs(crate::deploy_timeout(ctx, app));
    let start = Instant::now();
    loop {
        if process_type == "web" {
            record_web(ctx, s, app)?;
        }
        let info = s.inspect_service(name).map_err(engine_err)?;
        if rolling
            && matches!(
                info.update_state.as_str(),
                "rollback_started" | "rollback_paused" | "rollback_completed" | "paused"
            )
        {
            if process_type == "web" {
                let _ = record_web(ctx, s, app);
            }
            return Err(Error::fail(format!(
                "Deploy of {name} failed and was rolled back: {}",
                info.update_message
            )));
        }
        let wanted: Vec<SwarmTask> = s
            .list_tasks(&TaskFilter {
                service: Some(name.clone()),
                desired_running: true,
                ..TaskFilter::default()
            })
            .map_err(engine_err)?;
        let settled = wanted.len() as u64 == spec.replicas
            && wanted.iter().all(|t| {
                t.state == "running" && t.image == spec.image && t.force_update == spec.force_update
            });
        if settled && (!rolling || info.update_state != "updating") {
            if process_type == "web" {
                record_web(ctx, s, app)?;
            }
            return Ok(());
        }
        if start.elapsed() > timeout {
            // The last word of a task that is not running, if any.
            let why = wanted
                .iter()
                .filter(|t| t.state != "running")
                .map(|t| {
                    if t.error.is_empty() {
                        format!("{} ({})", t.state, t.message)
                    } else {
                        format!("{} ({})", t.state, t.error)
                    }
                })
                .next()
                .map(|w| format!(": a task is {w}"))
                .unwrap_or_default();
            return Err(Error::fail(format!(
                "Timed out waiting for {name} to run {} tasks{why}",
                spec.replicas
            )));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Deploy `tag` of an app (every process type, or `only`).
pub fn deploy(ctx: &Ctx, app: &str, tag: &str, only: Option<&str>) -> Result<()> {
    let s = cluster::manager(ctx)?;
    let engine = ctx.engine()?;
    let local = format!("dokku/{app}:{tag}");
    let remote = remote_image(&ctx.paths, app, tag)?;
    // `registry:login` credentials: for the push, and sent with the
    // service calls so every node can pull.
    let auth = dokku_trigger::credentials::for_image(&ctx.paths, Some(app), &remote);
    ctx.out
        .info1(&format!("Deploying {app} via the swarm scheduler..."));
    ctx.out.verbose(&format!("Pushing {remote}"));
    engine.tag_image(&local, &remote).map_err(engine_err)?;
    let digest = s
        .push_image(&remote, auth.as_ref(), &mut |_| {})
        .map_err(engine_err)?;
    // Pinned to what was pushed, so every node runs the same image even
    // when the tag moves.
    let pinned = if digest.is_empty() {
        remote.clone()
    } else {
        format!("{remote}@{digest}")
    };
    let builder = crate::resources::builder_of(ctx, &local);

    let scale = PsCurrentScale::web_first_of(ctx, app)?;
    let env = ConfigExport::merged_env(ctx, app)?;
    let restart = ps_property(ctx, app, "restart-policy");
    let mut wanted = Vec::new();
    for (process_type, replicas) in scale {
        if only.is_some_and(|o| o != process_type) {
            continue;
        }
        let name = service_name(app, &process_type);
        let existing = s.inspect_service(&name).ok();
        let args = procfile_command(ctx, app, &process_type);
        if args.is_none() && process_type != "web" {
            ctx.out.warn(&format!(
                "Skipping {process_type} as it is missing from the current Procfile"
            ));
            continue;
        }
        let health = crate::health::of(ctx, app, &process_type, WEB_PORT)?;
        for c in &health.untranslated {
            ctx.out.warn(&format!(
                "Healthcheck {c} of {process_type} is not run by the swarm scheduler"
            ));
        }
        let mut spec = spec(&Inputs {
            app,
            process_type: &process_type,
            image: &pinned,
            replicas,
            env: &env,
            args,
            restart_policy: &restart,
            monitor: health.monitor,
            force_update: 0,
        });
        spec.healthcheck = health.check;
        // Docker options and resources, then the mounts (the typed ones
        // and `-v` written inside other options) and the networks (the
        // app's network properties and `--network` options) in one place
        // each.
        let docker_args = crate::resources::deploy_args(ctx, app, &process_type, &builder, tag)?;
        let handed =
            crate::resources::apply(ctx, app, &process_type, &docker_args.options, &mut spec)?;
        let mut mounts = docker_args.mounts;
        mounts.extend(handed.mounts);
        let placement = crate::mounts::placement(ctx, &mounts)?;
        placement.apply(&mut spec);
        spec.networks = crate::networks::for_app(ctx, app, &handed.networks)?;
        spec.registry_auth = auth.clone();
        // Owners first: the tasks find their storage ready.
        crate::mounts::ensure_owners(ctx, s, app, &spec, &placement)?;
        if !spec.networks.is_empty() {
            spec.network_aliases = NetworkGetProperty::aliases(ctx, app, &process_type)?;
        }
        let fingerprint = dokku_docker::spec_fingerprint(&spec);
        spec.labels
            .insert(scale::FINGERPRINT_LABEL.to_string(), fingerprint.clone());
        spec.registry_auth = auth.clone();
        wanted.push((process_type, spec, fingerprint, existing));
    }
    let steps = scale::plan(
        &wanted
            .iter()
            .map(|(_, spec, fp, e)| (spec, fp.as_str(), e.as_ref()))
            .collect::<Vec<_>>(),
    );
    for ((process_type, mut spec, _, existing), step) in wanted.into_iter().zip(steps) {
        let name = spec.name.clone();
        let replicas = spec.replicas;
        let counter = existing.as_ref().map(|e| e.force_update).unwrap_or(0);
        match step {
            Step::Keep => continue,
            Step::Create => {
                ctx.out
                    .verbose(&format!("Creating service {name} ({replicas} replicas)"));
                s.create_service(&spec).map_err(engine_err)?;
            }
            Step::Scale => {
                ctx.out
                    .verbose(&format!("Scaling service {name} to {replicas} replicas"));
                spec.force_update = counter;
                scale_service(s, &name, replicas)?;
                converge(ctx, s, app, &spec, &process_type, false)?;
                continue;
            }
            Step::Update => {
                spec.force_update = counter + 1;
                ctx.out
                    .verbose(&format!("Updating service {name} ({replicas} replicas)"));
                s.update_service(&name, &spec).map_err(engine_err)?;
            }
        }
        converge(ctx, s, app, &spec, &process_type, true)?;
    }

    ctx.out.info1("Running post-deploy");
    ctx.bus.notify(
        ctx,
        &CorePostDeploy {
            app: app.to_string(),
            internal_port: String::new(),
            internal_ip_address: String::new(),
            image_tag: tag.to_string(),
        },
    )?;
    ctx.bus.notify(
        ctx,
        &PostDeploy {
            app: app.to_string(),
            internal_port: String::new(),
            internal_ip_address: String::new(),
            image_tag: tag.to_string(),
        },
    )?;
    ctx.out.info2("Application deployed:");
    for (ip_port, _) in recorded(&ctx.paths.app_dir(app)).iter().zip(0..) {
        ctx.out.verbose(&format!("http://{ip_port}"));
    }
    Ok(())
}

/// The app's services of its process types (one-off `run` services are
/// not among them, see `run.rs`).
pub fn services(s: &dyn SwarmEngine, app: &str) -> Result<Vec<dokku_docker::ServiceInfo>> {
    let mut list = s
        .list_services(&format!("{APP_LABEL}={app}"))
        .map_err(engine_err)?;
    list.retain(|svc| !crate::run::is_one_off(&svc.labels));
    Ok(list)
}

/// Whether the app has services.
pub fn is_deployed(ctx: &Ctx, app: &str) -> bool {
    cluster::manager(ctx)
        .and_then(|s| services(s, app))
        .is_ok_and(|l| !l.is_empty())
}

/// `scheduler-app-status`: one `<process>.<slot> <state> <container>`
/// line per task the swarm wants running.
pub fn status(ctx: &Ctx, app: &str) -> Result<String> {
    let Ok(s) = cluster::manager(ctx) else {
        return Ok(String::new());
    };
    let mut out = String::new();
    for svc in services(s, app)? {
        let process_type = svc.labels.get(PROCESS_LABEL).cloned().unwrap_or_default();
        let tasks = crate::logs::tasks_of(s, &svc.name, true)?;
        for t in tasks {
            out.push_str(&format!(
                "{process_type}.{} {} {}\n",
                t.slot, t.state, t.container_id
            ));
        }
    }
    Ok(out)
}

/// `scheduler-swarm:show-service <app> [<process>]`: each service of the
/// app (or of one process type) and the tasks the swarm wants running:
/// slot, node, address (node address and host port), state, container.
pub fn show_service(ctx: &Ctx, app: &str, process: Option<&str>) -> Result<()> {
    let s = cluster::manager(ctx)?;
    let nodes: BTreeMap<String, (String, String)> = s
        .list_nodes()
        .map_err(engine_err)?
        .into_iter()
        .map(|n| (n.id, (n.hostname, n.addr)))
        .collect();
    let mut list = services(s, app)?;
    list.retain(|svc| {
        process.is_none_or(|p| svc.labels.get(PROCESS_LABEL).map(String::as_str) == Some(p))
    });
    if list.is_empty() {
        return Err(Error::fail(match process {
            Some(p) => format!("No swarm service for process type {p} of {app}"),
            None => format!("App {app} has no swarm services"),
        }));
    }
    list.sort_by(|a, b| a.name.cmp(&b.name));
    for svc in list {
        ctx.out.info2(&format!("{} service", svc.name));
        ctx.out.verbose(&format!("Image: {}", svc.image));
        ctx.out.verbose(&format!("Replicas: {}", svc.replicas));
        if !svc.update_state.is_empty() {
            ctx.out.verbose(&format!("Update: {}", svc.update_state));
        }
        let tasks = crate::logs::tasks_of(s, &svc.name, true)?;
        let mut rows = vec![["slot", "node", "address", "state", "container"]
            .map(str::to_string)
            .to_vec()];
        for t in tasks {
            let (host, addr) = nodes.get(&t.node_id).cloned().unwrap_or_default();
            let address = t
                .ports
                .first()
                .map(|(_, p)| format!("{addr}:{p}"))
                .unwrap_or(addr);
            rows.push(vec![
                t.slot.to_string(),
                host,
                address,
                t.state,
                t.container_id.chars().take(12).collect(),
            ]);
        }
        ctx.out
            .write_out(&dokku_output::columnize(&rows, "       ", "  "));
        ctx.out.verbose("Spec:");
        for line in crate::inspect::spec_lines(ctx, &svc.name)? {
            ctx.out.verbose(&line);
        }
    }
    Ok(())
}

/// `scheduler-stop`: every service to 0 replicas (removed with
/// `remove_containers`), records forgotten.
pub fn stop(ctx: &Ctx, app: &str, remove: bool) -> Result<()> {
    let s = cluster::manager(ctx)?;
    for svc in services(s, app)? {
        if remove {
            s.remove_service(&svc.name).map_err(engine_err)?;
        } else {
            scale_service(s, &svc.name, 0)?;
        }
    }
    forget_from(&ctx.paths.app_dir(app), "web", 1);
    Ok(())
}

/// Set a service's replicas, keeping the rest of its spec.
pub fn scale_service(s: &dyn SwarmEngine, name: &str, replicas: u64) -> Result<()> {
    s.scale_service(name, replicas).map_err(engine_err)
}

/// `scheduler-post-delete`: the app's services go.
pub fn post_delete(ctx: &Ctx, app: &str) -> Result<()> {
    let Ok(s) = cluster::manager(ctx) else {
        return Ok(());
    };
    for svc in services(s, app)? {
        s.remove_service(&svc.name).map_err(engine_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_properties_name_the_remote_image() {
        let (_d, paths) = Paths::temp();
        assert!(remote_image(&paths, "app", "latest").is_err());
        let props = Properties::new(&paths, "registry");
        props
            .write("--global", "server", "reg.example:5000/")
            .expect("write");
        assert_eq!(
            remote_image(&paths, "app", "latest").expect("image"),
            "reg.example:5000/dokku/app:latest"
        );
        props.write("app", "image-repo", "team/app").expect("write");
        props.write("app", "server", "other:5000").expect("write");
        assert_eq!(
            remote_image(&paths, "app", "2").expect("image"),
            "other:5000/team/app:2"
        );
    }

    #[test]
    fn restart_policies_translate() {
        assert_eq!(restart_of("on-failure:5"), ("on-failure".into(), 5));
        assert_eq!(restart_of("always"), ("any".into(), 0));
        assert_eq!(restart_of("unless-stopped"), ("any".into(), 0));
        assert_eq!(restart_of("no"), ("none".into(), 0));
        assert_eq!(restart_of(""), ("on-failure".into(), 10));
    }

    #[test]
    fn web_services_publish_their_port_on_the_node() {
        let env = BTreeMap::from([("A".to_string(), "b".to_string())]);
        let s = spec(&Inputs {
            app: "app",
            process_type: "web",
            image: "r:5000/dokku/app:1",
            replicas: 3,
            env: &env,
            args: None,
            restart_policy: "on-failure:10",
            monitor: 5,
            force_update: 2,
        });
        assert_eq!(s.name, "app-web");
        assert_eq!(s.host_ports, vec![5000]);
        assert_eq!(s.env, vec!["A=b", "DOKKU_APP_TYPE=web", "PORT=5000"]);
        assert_eq!((s.replicas, s.force_update), (3, 2));
        assert_eq!(s.labels.get(APP_LABEL).map(String::as_str), Some("app"));
        let w = spec(&Inputs {
            process_type: "worker",
            args: Some(vec!["sleep".into(), "1".into()]),
            ..Inputs {
                app: "app",
                process_type: "web",
                image: "i",
                replicas: 1,
                env: &env,
                args: None,
                restart_policy: "",
                monitor: 5,
                force_update: 0,
            }
        });
        assert!(w.host_ports.is_empty());
        assert_eq!(w.name, "app-worker");
    }
}
