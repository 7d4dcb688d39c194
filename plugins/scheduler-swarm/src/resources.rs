//! Resource limits and docker options of a process type as service spec
//! fields.
//!
//! What `docker-args-process-deploy` answers for the type (docker-options
//! of the deploy phase, the resource plugin's `--cpus`/`--memory`/
//! `--memory-reservation`), or `docker-args-process-run` for a one-off
//! service (docker-options of the run phase), is read with the same option parser the local
//! scheduler uses, then mapped to the swarm's fields; the CPU reservation,
//! which has no `docker run` option, comes from the resource plugin's
//! `resource-get-property`. Options come in three kinds:
//!
//! - translated: `--env`, `--label`, `--restart`, `--user`, `--workdir`,
//!   `--hostname`, `--add-host`, `--init`, `--tty`, `--entrypoint`,
//!   `--read-only`, `--memory`, `--cpus`, `--memory-reservation`,
//!   `--pids-limit`, `--cap-add`, `--cap-drop`, `--sysctl`, `--ulimit`,
//!   `--dns*`, `--group-add`, `--log-driver`, `--log-opt`,
//!   `--stop-signal`, `--stop-timeout`;
//! - handed on: `-v` and `--network` written inside other options (a lone
//!   `-v` is already a typed mount) go to [`crate::mounts`] and
//!   [`crate::networks`], so every mount is pinned and every network
//!   checked in one place;
//! - refused, the deploy fails: options whose meaning a task cannot keep
//!   (`--privileged`, `--device`, `--gpus`, `--pid`, `--ipc`,
//!   `--security-opt`, `--link`, `--network host`): running without them
//!   would be a different app, silently;
//! - warned about and left out: tuning with no service field
//!   (`--memory-swap`, `--cpu-shares`, `--cpuset-cpus`,
//!   `--oom-kill-disable`, `--shm-size`, `--tmpfs`), `-p`/`-P` (the
//!   scheduler publishes the web port itself), and options the parser does
//!   not know.

use dokku_core::{Error, Result};
use dokku_docker::options::apply_docker_options;
use dokku_docker::{ContainerSpec, MountSource, ServiceSpec};
use dokku_trigger::deploy::{first_answer, ResourceGetProperty};
use dokku_trigger::triggers::{ContainerArgs, DockerArgsProcessDeploy, VolumeMount};
use dokku_trigger::Ctx;
use serde_json::{json, Map, Value};

/// What a translation left out or handed on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Options refused (the deploy must fail).
    pub refused: Vec<String>,
    /// Options left out (a warning each).
    pub ignored: Vec<String>,
    /// `-v` mounts found among the options, for [`crate::mounts`].
    pub mounts: Vec<VolumeMount>,
    /// `--network` names found among the options, for
    /// [`crate::networks`].
    pub networks: Vec<String>,
}

/// What every plugin adds to a process type's deployed containers
/// (`docker-args-process-deploy`): typed mounts and other options.
pub fn deploy_args(
    ctx: &Ctx,
    app: &str,
    process_type: &str,
    builder: &str,
    tag: &str,
) -> Result<ContainerArgs> {
    DockerArgsProcessDeploy {
        app: app.to_string(),
        image_source_type: if builder.is_empty() {
            "dockerfile".into()
        } else {
            builder.to_string()
        },
        image_tag: tag.to_string(),
        proc_type: process_type.to_string(),
        container_index: String::new(),
    }
    .collect_all(ctx)
}

/// Apply the docker options (not the typed mounts) and resources of a
/// process type to `spec`: warnings for what is left out, an error naming
/// what is refused. The outcome carries the mounts and networks found
/// among the options.
pub fn apply(
    ctx: &Ctx,
    app: &str,
    process_type: &str,
    options: &[String],
    spec: &mut ServiceSpec,
) -> Result<Outcome> {
    let outcome = translate(options, spec).map_err(|e| Error::fail(e.to_string()))?;
    let reserved_cpu = ctx
        .bus
        .collect(
            ctx,
            &ResourceGetProperty {
                app: app.to_string(),
                process_type: process_type.to_string(),
                resource_type: "reserve".into(),
                property: "cpu".into(),
            },
        )
        .ok()
        .and_then(first_answer)
        .unwrap_or_default();
    if let Some(cpus) = parse_cpus(&reserved_cpu) {
        spec.cpu_reservation = cpus;
    }
    for o in &outcome.ignored {
        ctx.out.warn(&format!(
            "Ignoring docker option for {process_type} with no swarm service equivalent: {o}"
        ));
    }
    if !outcome.refused.is_empty() {
        return Err(Error::fail(format!(
            "Docker options of {process_type} cannot run on the swarm scheduler: {}",
            outcome.refused.join(", ")
        )));
    }
    Ok(outcome)
}

/// `1.5` CPUs as billionths.
fn parse_cpus(v: &str) -> Option<i64> {
    let n: f64 = v.trim().parse().ok()?;
    (n > 0.0).then_some((n * 1e9) as i64)
}

fn ns(seconds: i64) -> i64 {
    seconds.saturating_mul(1_000_000_000)
}

/// Map parsed docker options onto `spec`; what cannot be mapped, and the
/// mounts and networks, are in the outcome.
pub fn translate(
    options: &[String],
    spec: &mut ServiceSpec,
) -> std::result::Result<Outcome, dokku_docker::EngineError> {
    let mut c = ContainerSpec::default();
    let parsed = apply_docker_options(&mut c, options)?;
    let mut out = Outcome {
        ignored: parsed.unknown,
        ..Outcome::default()
    };
    spec.env.extend(c.env);
    for (k, v) in c.labels {
        spec.container_labels.entry(k).or_insert(v);
    }
    if let Some(p) = c.restart_policy {
        let (condition, attempts) = crate::deploy::restart_of(&p.to_string());
        spec.restart_condition = condition;
        spec.restart_attempts = attempts;
    }
    out.mounts = c
        .mounts
        .into_iter()
        .map(|m| VolumeMount {
            source: match m.source {
                MountSource::Bind(p) => p.display().to_string(),
                MountSource::Volume(v) => v,
            },
            target: m.target,
            readonly: m.read_only,
            options: m.options.join(","),
            ..VolumeMount::default()
        })
        .collect();
    match c.network.as_deref() {
        None | Some("bridge") | Some("default") => {}
        Some("host") => out.refused.push("--network host".into()),
        Some(n) => out.networks.push(n.to_string()),
    }
    for p in &c.ports {
        out.ignored.push(format!("--publish {}", p.container_port));
    }
    if c.publish_all_ports {
        out.ignored.push("--publish-all".into());
    }
    let extra = &mut spec.container_extra;
    if let Some(u) = c.user {
        extra.insert("User".into(), json!(u));
    }
    if let Some(d) = c.working_dir {
        extra.insert("Dir".into(), json!(d));
    }
    if let Some(h) = c.hostname {
        extra.insert("Hostname".into(), json!(h));
    }
    if !c.extra_hosts.is_empty() {
        // `name:ip` as the swarm's `ip name` hosts lines.
        let hosts: Vec<String> = c
            .extra_hosts
            .iter()
            .map(|h| match h.split_once(':') {
                Some((name, ip)) => format!("{ip} {name}"),
                None => h.clone(),
            })
            .collect();
        extra.insert("Hosts".into(), json!(hosts));
    }
    if c.init {
        extra.insert("Init".into(), json!(true));
    }
    if c.tty {
        extra.insert("TTY".into(), json!(true));
    }
    if let Some(e) = c.entrypoint {
        extra.insert("Command".into(), json!(e));
    }
    if let Some(Value::String(s)) = c.raw_config.get("StopSignal") {
        extra.insert("StopSignal".into(), json!(s));
    }
    if let Some(t) = c.raw_config.get("StopTimeout").and_then(Value::as_i64) {
        extra.insert("StopGracePeriod".into(), json!(ns(t)));
    }
    host_config(&c.raw_host_config, spec, &mut out);
    Ok(out)
}

fn host_config(host: &Map<String, Value>, spec: &mut ServiceSpec, out: &mut Outcome) {
    let mut dns = Map::new();
    for (key, value) in host {
        let int = value.as_i64().unwrap_or_default();
        match key.as_str() {
            "Memory" => spec.memory_limit = int,
            "NanoCpus" => spec.cpu_limit = int,
            "MemoryReservation" => spec.memory_reservation = int,
            "PidsLimit" => spec.pids_limit = int,
            "ReadonlyRootfs" => {
                spec.container_extra
                    .insert("ReadOnly".into(), value.clone());
            }
            "CapAdd" => {
                spec.container_extra
                    .insert("CapabilityAdd".into(), value.clone());
            }
            "CapDrop" => {
                spec.container_extra
                    .insert("CapabilityDrop".into(), value.clone());
            }
            "Sysctls" | "Ulimits" => {
                spec.container_extra.insert(key.clone(), value.clone());
            }
            "GroupAdd" => {
                spec.container_extra.insert("Groups".into(), value.clone());
            }
            "Dns" => {
                dns.insert("Nameservers".into(), value.clone());
            }
            "DnsSearch" => {
                dns.insert("Search".into(), value.clone());
            }
            "DnsOptions" => {
                dns.insert("Options".into(), value.clone());
            }
            "LogConfig" => {
                spec.task_extra.insert(
                    "LogDriver".into(),
                    json!({"Name": value["Type"], "Options": value["Config"]}),
                );
            }
            "Privileged" if value == &json!(false) => {}
            "Privileged" => out.refused.push("--privileged".into()),
            "Devices" => out.refused.push("--device".into()),
            "DeviceRequests" => out.refused.push("--gpus".into()),
            "PidMode" => out.refused.push("--pid".into()),
            "IpcMode" => out.refused.push("--ipc".into()),
            "SecurityOpt" => out.refused.push("--security-opt".into()),
            "Links" => out.refused.push("--link".into()),
            "MemorySwap" => out.ignored.push("--memory-swap".into()),
            "CpuShares" => out.ignored.push("--cpu-shares".into()),
            "CpusetCpus" => out.ignored.push("--cpuset-cpus".into()),
            "OomKillDisable" => out.ignored.push("--oom-kill-disable".into()),
            "ShmSize" => out.ignored.push("--shm-size".into()),
            "Tmpfs" => out.ignored.push("--tmpfs".into()),
            other => out.ignored.push(other.to_string()),
        }
    }
    if !dns.is_empty() {
        spec.container_extra
            .insert("DNSConfig".into(), Value::Object(dns));
    }
}

/// The builder an image was released by (its `com.dokku.builder-type`
/// label), empty when unknown.
pub fn builder_of(ctx: &Ctx, image: &str) -> String {
    ctx.engine()
        .ok()
        .and_then(|e| e.image_inspect(image).ok())
        .and_then(|i| i.labels.get(dokku_trigger::release::BUILDER_LABEL).cloned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(options: &[&str]) -> (ServiceSpec, Outcome) {
        let mut spec = ServiceSpec::default();
        let options: Vec<String> = options.iter().map(|s| s.to_string()).collect();
        let out = translate(&options, &mut spec).expect("translate");
        (spec, out)
    }

    #[test]
    fn limits_and_container_fields_translate() {
        let (spec, mut out) = run(&[
            "--cpus=1.5 --memory=256m --memory-reservation=64m",
            "--pids-limit 50 -u app -w /app --init --env A=1 --label x=y",
            "--restart on-failure:3 --cap-add NET_ADMIN --dns 10.0.0.1",
            "--log-driver json-file --log-opt max-size=1m --stop-timeout 20",
            "-v /data:/data:ro --add-host db:10.0.0.2 --network backend",
        ]);
        // Mounts and networks are handed on, not set here.
        assert!(spec.mounts.is_empty() && spec.networks.is_empty());
        assert_eq!(
            std::mem::take(&mut out.mounts),
            vec![VolumeMount {
                source: "/data".into(),
                target: "/data".into(),
                readonly: true,
                ..VolumeMount::default()
            }]
        );
        assert_eq!(std::mem::take(&mut out.networks), vec!["backend"]);
        assert_eq!(out, Outcome::default());
        assert_eq!(spec.cpu_limit, 1_500_000_000);
        assert_eq!(spec.memory_limit, 256 * 1024 * 1024);
        assert_eq!(spec.memory_reservation, 64 * 1024 * 1024);
        assert_eq!(spec.pids_limit, 50);
        assert_eq!(spec.env, vec!["A=1"]);
        assert_eq!(
            spec.container_labels.get("x").map(String::as_str),
            Some("y")
        );
        assert_eq!(
            (spec.restart_condition.as_str(), spec.restart_attempts),
            ("on-failure", 3)
        );
        let x = &spec.container_extra;
        assert_eq!(x["User"], "app");
        assert_eq!(x["Dir"], "/app");
        assert_eq!(x["Init"], true);
        assert_eq!(x["CapabilityAdd"], json!(["NET_ADMIN"]));
        assert_eq!(x["DNSConfig"]["Nameservers"], json!(["10.0.0.1"]));
        assert_eq!(x["StopGracePeriod"], 20_000_000_000_i64);
        assert_eq!(x["Hosts"], json!(["10.0.0.2 db"]));
        assert_eq!(spec.task_extra["LogDriver"]["Name"], "json-file");
        assert_eq!(spec.task_extra["LogDriver"]["Options"]["max-size"], "1m");
    }

    #[test]
    fn host_bound_options_are_refused_and_tuning_is_ignored() {
        let (_, out) = run(&[
            "--privileged --device /dev/fuse --network host",
            "--memory-swap 1g --cpu-shares 512 -p 8080:80 --frobnicate x",
        ]);
        let mut refused = out.refused.clone();
        refused.sort();
        assert_eq!(refused, vec!["--device", "--network host", "--privileged"]);
        let mut ignored = out.ignored.clone();
        ignored.sort();
        assert_eq!(
            ignored,
            vec![
                "--cpu-shares",
                "--frobnicate x",
                "--memory-swap",
                "--publish 80"
            ]
        );
    }

    #[test]
    fn cpu_reservations_are_billionths() {
        assert_eq!(parse_cpus("0.5"), Some(500_000_000));
        assert_eq!(parse_cpus(""), None);
        assert_eq!(parse_cpus("0"), None);
    }
}
