//! Translations between this crate's types and the engine API's (bollard's) types.

use std::collections::{BTreeMap, HashMap};

use bollard::container::{Config, NetworkingConfig};
use bollard::models::{
    ContainerInspectResponse, ContainerSummary as ApiContainerSummary, EndpointSettings,
    HostConfig, ImageInspect, ImageSummary as ApiImageSummary, Network,
    PortBinding as ApiPortBinding, PortMap, RestartPolicy as ApiRestartPolicy,
    RestartPolicyNameEnum,
};

use crate::info::{
    ContainerInfo, ContainerNetwork, ContainerSummary, ImageInfo, ImageSummary, NetworkInfo,
    PublishedPort,
};
use crate::spec::{ContainerSpec, Protocol, RestartPolicy};
use crate::EngineError;

/// The engine's `Config` (with its `HostConfig`) for a container spec.
/// `attach_stdin` also opens standard input for a single attach.
pub(crate) fn container_config(
    spec: &ContainerSpec,
    attach_stdin: bool,
) -> Result<Config<String>, EngineError> {
    let mut exposed_ports: HashMap<String, HashMap<(), ()>> = HashMap::new();
    let mut port_bindings: PortMap = HashMap::new();
    for port in &spec.ports {
        let key = format!("{}/{}", port.container_port, port.protocol);
        exposed_ports.insert(key.clone(), HashMap::new());
        port_bindings
            .entry(key)
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(ApiPortBinding {
                host_ip: port.host_ip.clone(),
                host_port: port.host_port.map(|p| p.to_string()),
            });
    }

    let host_config = HostConfig {
        binds: non_empty(spec.mounts.iter().map(|m| m.to_volume_arg()).collect()),
        restart_policy: spec.restart_policy.map(restart_policy),
        network_mode: spec.network.clone(),
        port_bindings: (!port_bindings.is_empty()).then_some(port_bindings),
        publish_all_ports: spec.publish_all_ports.then_some(true),
        extra_hosts: non_empty(spec.extra_hosts.clone()),
        init: spec.init.then_some(true),
        auto_remove: spec.auto_remove.then_some(true),
        ..HostConfig::default()
    };

    let networking_config = match (&spec.network, spec.network_aliases.is_empty()) {
        (Some(network), false) => Some(NetworkingConfig {
            endpoints_config: HashMap::from([(
                network.clone(),
                EndpointSettings {
                    aliases: Some(spec.network_aliases.clone()),
                    ..EndpointSettings::default()
                },
            )]),
        }),
        _ => None,
    };

    let open_stdin = spec.open_stdin || attach_stdin;
    let config = Config {
        networking_config,
        image: Some(spec.image.clone()),
        cmd: spec.cmd.clone(),
        entrypoint: spec.entrypoint.clone(),
        env: non_empty(spec.env.clone()),
        labels: (!spec.labels.is_empty()).then(|| {
            spec.labels
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        }),
        exposed_ports: (!exposed_ports.is_empty()).then_some(exposed_ports),
        working_dir: spec.working_dir.clone(),
        user: spec.user.clone(),
        hostname: spec.hostname.clone(),
        tty: Some(spec.tty),
        open_stdin: Some(open_stdin),
        stdin_once: Some(attach_stdin),
        attach_stdin: Some(attach_stdin),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        host_config: Some(host_config),
        ..Config::default()
    };

    if spec.raw_config.is_empty() && spec.raw_host_config.is_empty() {
        return Ok(config);
    }
    merge_raw(config, &spec.raw_config, &spec.raw_host_config)
}

/// Merges raw engine JSON fields over a typed config. Fails on a field the
/// client does not know, rather than dropping it silently.
fn merge_raw(
    config: Config<String>,
    raw_config: &serde_json::Map<String, serde_json::Value>,
    raw_host_config: &serde_json::Map<String, serde_json::Value>,
) -> Result<Config<String>, EngineError> {
    let invalid = |message: String| EngineError::InvalidSpec {
        what: "raw container config",
        message,
    };
    let mut value = serde_json::to_value(&config).map_err(|e| invalid(e.to_string()))?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| invalid("the config is not a JSON object".into()))?;
    for (key, field) in raw_config {
        object.insert(key.clone(), field.clone());
    }
    let host = object
        .entry("HostConfig")
        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    let host = host
        .as_object_mut()
        .ok_or_else(|| invalid("HostConfig is not a JSON object".into()))?;
    for (key, field) in raw_host_config {
        host.insert(key.clone(), field.clone());
    }

    let merged: Config<String> =
        serde_json::from_value(value).map_err(|e| invalid(e.to_string()))?;

    // A key the client does not know would vanish in the round trip.
    let check = serde_json::to_value(&merged).map_err(|e| invalid(e.to_string()))?;
    for key in raw_config.keys() {
        if check.get(key).is_none() && !raw_config[key].is_null() {
            return Err(invalid(format!("unknown Config field {key}")));
        }
    }
    for key in raw_host_config.keys() {
        let known = check.get("HostConfig").and_then(|h| h.get(key)).is_some();
        if !known && !raw_host_config[key].is_null() {
            return Err(invalid(format!("unknown HostConfig field {key}")));
        }
    }
    Ok(merged)
}

fn non_empty<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}

fn restart_policy(policy: RestartPolicy) -> ApiRestartPolicy {
    let (name, count) = match policy {
        RestartPolicy::No => (RestartPolicyNameEnum::NO, None),
        RestartPolicy::Always => (RestartPolicyNameEnum::ALWAYS, None),
        RestartPolicy::UnlessStopped => (RestartPolicyNameEnum::UNLESS_STOPPED, None),
        RestartPolicy::OnFailure(count) => {
            (RestartPolicyNameEnum::ON_FAILURE, count.map(i64::from))
        }
    };
    ApiRestartPolicy {
        name: Some(name),
        maximum_retry_count: count,
    }
}

fn sorted(map: Option<HashMap<String, String>>) -> BTreeMap<String, String> {
    map.unwrap_or_default().into_iter().collect()
}

fn non_blank(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// Parses docker's `5000/tcp` port keys.
fn parse_port_key(key: &str) -> Option<(u16, Protocol)> {
    let (port, protocol) = key.split_once('/').unwrap_or((key, "tcp"));
    let protocol = match protocol {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "sctp" => Protocol::Sctp,
        _ => return None,
    };
    Some((port.parse().ok()?, protocol))
}

pub(crate) fn image_info(inspect: ImageInspect) -> Result<ImageInfo, EngineError> {
    let id = inspect.id.ok_or(EngineError::MissingField {
        operation: "inspect image",
        field: "Id",
    })?;
    let config = inspect.config.unwrap_or_default();
    let mut exposed_ports: Vec<String> = config
        .exposed_ports
        .unwrap_or_default()
        .into_keys()
        .collect();
    exposed_ports.sort();
    Ok(ImageInfo {
        id,
        repo_tags: inspect.repo_tags.unwrap_or_default(),
        labels: sorted(config.labels),
        exposed_ports,
        env: config.env.unwrap_or_default(),
        cmd: config.cmd,
        entrypoint: config.entrypoint,
        working_dir: non_blank(config.working_dir),
        user: non_blank(config.user),
        created: non_blank(inspect.created),
    })
}

pub(crate) fn image_summary(summary: ApiImageSummary) -> ImageSummary {
    ImageSummary {
        id: summary.id,
        repo_tags: summary.repo_tags,
        labels: summary.labels.into_iter().collect(),
        created: summary.created,
        size: summary.size,
    }
}

/// A network as the engine lists or inspects it.
pub(crate) fn network_info(network: Network) -> Result<NetworkInfo, EngineError> {
    let missing = |field| EngineError::MissingField {
        operation: "inspect network",
        field,
    };
    let mut containers: Vec<String> = network.containers.unwrap_or_default().into_keys().collect();
    containers.sort();
    Ok(NetworkInfo {
        id: network.id.ok_or_else(|| missing("Id"))?,
        name: network.name.ok_or_else(|| missing("Name"))?,
        driver: network.driver.unwrap_or_default(),
        scope: network.scope.unwrap_or_default(),
        created: network.created.unwrap_or_default(),
        internal: network.internal.unwrap_or(false),
        ipv6: network.enable_ipv6.unwrap_or(false),
        attachable: network.attachable.unwrap_or(false),
        labels: network.labels.unwrap_or_default().into_iter().collect(),
        containers,
    })
}

pub(crate) fn container_info(
    inspect: ContainerInspectResponse,
) -> Result<ContainerInfo, EngineError> {
    let missing = |field| EngineError::MissingField {
        operation: "inspect container",
        field,
    };
    let id = inspect.id.ok_or_else(|| missing("Id"))?;
    let name = inspect.name.ok_or_else(|| missing("Name"))?;
    let state = inspect.state.ok_or_else(|| missing("State"))?;
    let image_id = inspect.image.ok_or_else(|| missing("Image"))?;
    let config = inspect.config.unwrap_or_default();
    let settings = inspect.network_settings.unwrap_or_default();

    let networks = settings
        .networks
        .unwrap_or_default()
        .into_iter()
        .map(|(name, endpoint)| {
            let network = ContainerNetwork {
                ip_address: non_blank(endpoint.ip_address),
                aliases: endpoint.aliases.unwrap_or_default(),
            };
            (name, network)
        })
        .collect();

    let mut ports = Vec::new();
    for (key, bindings) in settings.ports.unwrap_or_default() {
        let Some((container_port, protocol)) = parse_port_key(&key) else {
            continue;
        };
        match bindings {
            Some(bindings) if !bindings.is_empty() => {
                for binding in bindings {
                    ports.push(PublishedPort {
                        container_port,
                        protocol,
                        host_ip: non_blank(binding.host_ip),
                        host_port: binding.host_port.and_then(|p| p.parse().ok()),
                    });
                }
            }
            _ => ports.push(PublishedPort {
                container_port,
                protocol,
                host_ip: None,
                host_port: None,
            }),
        }
    }
    ports.sort();

    Ok(ContainerInfo {
        id,
        name: name.trim_start_matches('/').to_string(),
        image_id,
        image: non_blank(config.image),
        status: state.status.map(|s| s.to_string()).unwrap_or_default(),
        running: state.running.unwrap_or(false),
        exit_code: state.exit_code.unwrap_or(0),
        restart_count: inspect.restart_count.unwrap_or(0),
        started_at: non_blank(state.started_at),
        finished_at: non_blank(state.finished_at),
        labels: sorted(config.labels),
        env: config.env.unwrap_or_default(),
        networks,
        ports,
    })
}

pub(crate) fn container_summary(
    summary: ApiContainerSummary,
) -> Result<ContainerSummary, EngineError> {
    let id = summary.id.ok_or(EngineError::MissingField {
        operation: "list containers",
        field: "Id",
    })?;
    Ok(ContainerSummary {
        id,
        names: summary
            .names
            .unwrap_or_default()
            .into_iter()
            .map(|n| n.trim_start_matches('/').to_string())
            .collect(),
        image: summary.image.unwrap_or_default(),
        image_id: summary.image_id.unwrap_or_default(),
        labels: sorted(summary.labels),
        state: summary.state.unwrap_or_default(),
        status: summary.status.unwrap_or_default(),
        command: summary.command.unwrap_or_default(),
        created: summary.created.unwrap_or_default(),
    })
}

/// Docker's filter map from `(kind, values)` pairs, leaving out empty kinds.
pub(crate) fn filters(pairs: &[(&str, &[String])]) -> HashMap<String, Vec<String>> {
    pairs
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(kind, values)| (kind.to_string(), values.to_vec()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Mount, PortBinding};

    fn check_config(spec: &ContainerSpec, attach_stdin: bool, expected: serde_json::Value) {
        let config = match container_config(spec, attach_stdin) {
            Ok(config) => serde_json::to_value(config).unwrap_or_default(),
            Err(err) => serde_json::Value::String(err.to_string()),
        };
        assert_eq!(config, expected);
    }

    #[test]
    fn a_full_spec_becomes_the_engine_config() -> Result<(), EngineError> {
        let mut spec = ContainerSpec::new("dokku/app:latest");
        spec.name = Some("app.web.1".into());
        spec.cmd = Some(vec!["/start".into(), "web".into()]);
        spec.env = vec!["PORT=5000".into()];
        spec.labels
            .insert("com.dokku.app-name".into(), "app".into());
        spec.mounts = vec![
            Mount::bind("/var/lib/dokku/data/storage/app", "/app/storage"),
            Mount::volume("cache", "/cache").read_only(),
        ];
        spec.restart_policy = Some("on-failure:10".parse()?);
        spec.network = Some("bridge".into());
        spec.ports = vec![PortBinding {
            container_port: 5000,
            protocol: Protocol::Tcp,
            host_ip: None,
            host_port: Some(8080),
        }];
        spec.working_dir = Some("/app".into());
        spec.user = Some("herokuishuser".into());
        spec.init = true;
        check_config(
            &spec,
            false,
            serde_json::json!({
                "Image": "dokku/app:latest",
                "Cmd": ["/start", "web"],
                "Env": ["PORT=5000"],
                "Labels": {"com.dokku.app-name": "app"},
                "ExposedPorts": {"5000/tcp": {}},
                "WorkingDir": "/app",
                "User": "herokuishuser",
                "Tty": false,
                "OpenStdin": false,
                "StdinOnce": false,
                "AttachStdin": false,
                "AttachStdout": true,
                "AttachStderr": true,
                "HostConfig": {
                    "Binds": ["/var/lib/dokku/data/storage/app:/app/storage", "cache:/cache:ro"],
                    "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 10},
                    "NetworkMode": "bridge",
                    "PortBindings": {"5000/tcp": [{"HostPort": "8080"}]},
                    "Init": true,
                },
            }),
        );
        Ok(())
    }

    #[test]
    fn raw_fields_merge_over_the_typed_ones() {
        let mut spec = ContainerSpec::new("busybox");
        spec.raw_config.insert("StopSignal".into(), "SIGINT".into());
        spec.raw_host_config
            .insert("ShmSize".into(), 67108864.into());
        spec.raw_host_config.insert("Init".into(), true.into());
        check_config(
            &spec,
            true,
            serde_json::json!({
                "Image": "busybox",
                "StopSignal": "SIGINT",
                "Tty": false,
                "OpenStdin": true,
                "StdinOnce": true,
                "AttachStdin": true,
                "AttachStdout": true,
                "AttachStderr": true,
                "HostConfig": {"ShmSize": 67108864, "Init": true},
            }),
        );
    }

    #[test]
    fn unknown_raw_fields_are_refused() {
        let mut spec = ContainerSpec::new("busybox");
        spec.raw_host_config.insert("NoSuchThing".into(), 1.into());
        check_config(
            &spec,
            false,
            serde_json::json!("invalid raw container config: unknown HostConfig field NoSuchThing"),
        );
    }

    fn inspect(json: serde_json::Value) -> String {
        let parsed: Result<ContainerInspectResponse, _> = serde_json::from_value(json);
        match parsed.map_err(|e| e.to_string()).map(container_info) {
            Ok(Ok(info)) => format!("{info:?}"),
            Ok(Err(err)) => format!("error: {err}"),
            Err(err) => format!("parse error: {err}"),
        }
    }

    #[test]
    fn container_inspect_keeps_what_dokku_reads() {
        let info = inspect(serde_json::json!({
            "Id": "abc",
            "Name": "/app.web.1",
            "Image": "sha256:def",
            "RestartCount": 2,
            "State": {"Status": "running", "Running": true, "ExitCode": 0,
                      "StartedAt": "2024-01-01T00:00:00Z", "FinishedAt": "0001-01-01T00:00:00Z"},
            "Config": {"Image": "dokku/app:latest", "Labels": {"b": "2", "a": "1"}, "Env": ["A=1"]},
            "NetworkSettings": {
                "Networks": {"bridge": {"IPAddress": "172.17.0.2", "Aliases": null},
                             "other": {"IPAddress": ""}},
                "Ports": {"5000/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49153"}], "53/udp": null}
            }
        }));
        assert_eq!(
            info,
            "ContainerInfo { id: \"abc\", name: \"app.web.1\", image_id: \"sha256:def\", \
             image: Some(\"dokku/app:latest\"), status: \"running\", running: true, exit_code: 0, \
             restart_count: 2, started_at: Some(\"2024-01-01T00:00:00Z\"), \
             finished_at: Some(\"0001-01-01T00:00:00Z\"), labels: {\"a\": \"1\", \"b\": \"2\"}, \
             env: [\"A=1\"], networks: {\"bridge\": ContainerNetwork { ip_address: Some(\"172.17.0.2\"), aliases: [] }, \
             \"other\": ContainerNetwork { ip_address: None, aliases: [] }}, \
             ports: [PublishedPort { container_port: 53, protocol: Udp, host_ip: None, host_port: None }, \
             PublishedPort { container_port: 5000, protocol: Tcp, host_ip: Some(\"0.0.0.0\"), host_port: Some(49153) }] }"
        );
    }

    #[test]
    fn missing_fields_are_typed_errors() {
        assert_eq!(
            inspect(serde_json::json!({"Name": "/x", "Image": "i", "State": {}})),
            "error: inspect container: the docker engine response has no Id"
        );
        assert_eq!(
            inspect(serde_json::json!({"Id": "x", "Name": "/x", "Image": "i"})),
            "error: inspect container: the docker engine response has no State"
        );
    }

    #[test]
    fn port_keys() {
        assert_eq!(parse_port_key("5000/tcp"), Some((5000, Protocol::Tcp)));
        assert_eq!(parse_port_key("53/udp"), Some((53, Protocol::Udp)));
        assert_eq!(parse_port_key("80"), Some((80, Protocol::Tcp)));
        assert_eq!(parse_port_key("x/tcp"), None);
        assert_eq!(parse_port_key("80/quic"), None);
    }
}
