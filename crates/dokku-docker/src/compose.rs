//! `compose-up PROJECT FILE` / `compose-down PROJECT FILE` (Dokku runs
//! `docker compose` for them): the part of the compose format Dokku's own
//! compose files and simple plugin services use, carried out through the
//! engine. Containers are named `<project>-<service>-1` and carry compose's
//! labels, so `docker compose` sees them as its own; networks and volumes
//! declared in the file are `<project>_<name>` unless `external`, and
//! every service joins `<project>_default` unless it names networks.
//!
//! Understood per service: `image` (required; never pulled), `command`,
//! `entrypoint` (string or list), `environment` and `labels` (map or
//! `KEY=value` list), `volumes` (short syntax `src:dst[:ro|rw]`; a bare
//! name is a declared volume), `ports` (`[ip:]host:container[/proto]`),
//! `restart`, `networks` (list or map), `network_mode` (a network joined
//! without aliases, no project network: `bridge`, `host`, `none`),
//! `container_name`, `user`, `working_dir`, `hostname`, `init`. Anything
//! else is refused rather than silently ignored.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::Value;

use crate::spec::{Mount, NetworkSpec, PortBinding, Protocol, RestartPolicy, VolumeSpec};
use crate::{ContainerEngine, ContainerFilter, ContainerSpec, EngineError};

/// Compose's project label.
pub const PROJECT_LABEL: &str = "com.docker.compose.project";
/// Compose's service label.
pub const SERVICE_LABEL: &str = "com.docker.compose.service";
/// Compose's container number label.
pub const NUMBER_LABEL: &str = "com.docker.compose.container-number";
/// Compose's label telling service containers from one-off `run` ones.
pub const ONEOFF_LABEL: &str = "com.docker.compose.oneoff";
/// Compose's network and volume name labels.
const NETWORK_LABEL: &str = "com.docker.compose.network";
const VOLUME_LABEL: &str = "com.docker.compose.volume";

/// Why a compose operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// The file could not be read.
    #[error("read {0}: {1}")]
    Read(String, #[source] std::io::Error),
    /// The file is not a compose file this understands.
    #[error("invalid compose file {file}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// One service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Its name in the file.
    pub name: String,
    /// The container to create.
    pub spec: ContainerSpec,
    /// The networks it joins (full names), the first one at creation.
    pub networks: Vec<String>,
}

/// A parsed compose file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Project {
    /// The project name.
    pub name: String,
    /// Services, in name order.
    pub services: Vec<Service>,
    /// Networks to create (full names).
    pub networks: Vec<String>,
    /// Volumes to create (full names).
    pub volumes: Vec<String>,
}

fn invalid(file: &str, message: impl Into<String>) -> ComposeError {
    ComposeError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn words(file: &str, key: &str, v: &Value) -> Result<Vec<String>, ComposeError> {
    match v {
        Value::String(s) => shlex::split(s)
            .ok_or_else(|| invalid(file, format!("{key}: unbalanced quotes in {s:?}"))),
        Value::Sequence(seq) => seq
            .iter()
            .map(|x| scalar(x).ok_or_else(|| invalid(file, format!("{key}: not a string list"))))
            .collect(),
        _ => Err(invalid(file, format!("{key}: expected a string or a list"))),
    }
}

fn pairs(file: &str, key: &str, v: &Value) -> Result<Vec<(String, String)>, ComposeError> {
    match v {
        Value::Mapping(m) => m
            .iter()
            .map(|(k, val)| {
                let k = scalar(k).ok_or_else(|| invalid(file, format!("{key}: bad key")))?;
                let val =
                    scalar(val).ok_or_else(|| invalid(file, format!("{key}: bad value of {k}")))?;
                Ok((k, val))
            })
            .collect(),
        Value::Sequence(seq) => seq
            .iter()
            .map(|x| {
                let s =
                    scalar(x).ok_or_else(|| invalid(file, format!("{key}: not a string list")))?;
                Ok(match s.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (s, String::new()),
                })
            })
            .collect(),
        Value::Null => Ok(Vec::new()),
        _ => Err(invalid(file, format!("{key}: expected a map or a list"))),
    }
}

fn port(file: &str, s: &str) -> Result<PortBinding, ComposeError> {
    let bad = || invalid(file, format!("ports: cannot read {s:?}"));
    let (rest, protocol) = Protocol::split_spec(s).ok_or_else(bad)?;
    let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    let num = |p: &str| p.parse::<u16>().map_err(|_| bad());
    let (host_ip, host_port, container_port) = match parts.as_slice() {
        [c] => (None, None, num(c)?),
        [c, h] => (None, Some(num(h)?), num(c)?),
        [c, h, ip] => (Some(ip.to_string()), Some(num(h)?), num(c)?),
        _ => return Err(bad()),
    };
    Ok(PortBinding {
        container_port,
        protocol,
        host_ip,
        host_port,
    })
}

fn top_names(
    file: &str,
    project: &str,
    doc: &Value,
    key: &str,
) -> Result<BTreeMap<String, (String, bool)>, ComposeError> {
    let mut out = BTreeMap::new();
    match doc.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(m)) => {
            for (k, v) in m {
                let name = scalar(k).ok_or_else(|| invalid(file, format!("{key}: bad name")))?;
                let external = v.get("external").and_then(Value::as_bool).unwrap_or(false);
                let full = match v.get("name").and_then(Value::as_str) {
                    Some(n) => n.to_string(),
                    None if external => name.clone(),
                    None => format!("{project}_{name}"),
                };
                out.insert(name, (full, external));
            }
        }
        Some(_) => return Err(invalid(file, format!("{key}: expected a map"))),
    }
    Ok(out)
}

/// Parse compose `text` (from `file`, for messages) for `project`.
pub fn parse(project: &str, file: &str, text: &str) -> Result<Project, ComposeError> {
    let doc: Value = serde_yaml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
    let networks = top_names(file, project, &doc, "networks")?;
    let volumes = top_names(file, project, &doc, "volumes")?;
    let default_net = format!("{project}_default");
    let Some(Value::Mapping(services)) = doc.get("services") else {
        return Err(invalid(file, "no services"));
    };
    let mut p = Project {
        name: project.to_string(),
        networks: networks
            .values()
            .filter(|(_, ext)| !ext)
            .map(|(n, _)| n.clone())
            .collect(),
        volumes: volumes
            .values()
            .filter(|(_, ext)| !ext)
            .map(|(n, _)| n.clone())
            .collect(),
        ..Project::default()
    };
    let mut uses_default = false;
    for (k, def) in services {
        let name = scalar(k).ok_or_else(|| invalid(file, "services: bad name"))?;
        let Value::Mapping(def) = def else {
            return Err(invalid(file, format!("service {name}: expected a map")));
        };
        let mut spec = ContainerSpec::new("");
        let mut nets: Vec<String> = Vec::new();
        let mut network_mode: Option<String> = None;
        let mut labels = BTreeMap::new();
        for (key, v) in def {
            let key = scalar(key).unwrap_or_default();
            let what = format!("service {name}: {key}");
            match key.as_str() {
                "image" => spec.image = scalar(v).ok_or_else(|| invalid(file, what))?,
                "command" => spec.cmd = Some(words(file, &what, v)?),
                "entrypoint" => spec.entrypoint = Some(words(file, &what, v)?),
                "environment" => {
                    spec.env = pairs(file, &what, v)?
                        .into_iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect()
                }
                "labels" => labels.extend(pairs(file, &what, v)?),
                "container_name" => spec.name = scalar(v),
                "user" => spec.user = scalar(v),
                "working_dir" => spec.working_dir = scalar(v),
                "hostname" => spec.hostname = scalar(v),
                "init" => spec.init = v.as_bool().unwrap_or(false),
                "restart" => {
                    let r = scalar(v).ok_or_else(|| invalid(file, what.clone()))?;
                    spec.restart_policy = Some(
                        r.parse::<RestartPolicy>()
                            .map_err(|e| invalid(file, format!("{what}: {e}")))?,
                    );
                }
                "ports" => {
                    for x in v.as_sequence().ok_or_else(|| invalid(file, what.clone()))? {
                        let s = scalar(x).ok_or_else(|| invalid(file, what.clone()))?;
                        spec.ports.push(port(file, &s)?);
                    }
                }
                "volumes" => {
                    for x in v.as_sequence().ok_or_else(|| invalid(file, what.clone()))? {
                        let s = scalar(x).ok_or_else(|| invalid(file, what.clone()))?;
                        let mut parts = s.splitn(3, ':');
                        let (src, dst) = match (parts.next(), parts.next()) {
                            (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => (a, b),
                            _ => return Err(invalid(file, format!("{what}: cannot read {s:?}"))),
                        };
                        let mode = parts.next().unwrap_or("rw");
                        let mut m = if src.starts_with('/') {
                            Mount::bind(src, dst)
                        } else if src.starts_with('.') || src.starts_with('~') {
                            return Err(invalid(
                                file,
                                format!("{what}: relative host path {src:?} is not supported"),
                            ));
                        } else {
                            let full =
                                volumes.get(src).map(|(n, _)| n.clone()).ok_or_else(|| {
                                    invalid(file, format!("{what}: volume {src:?} is not declared"))
                                })?;
                            Mount::volume(full, dst)
                        };
                        m.read_only = mode.split(',').any(|o| o == "ro");
                        spec.mounts.push(m);
                    }
                }
                "network_mode" => network_mode = scalar(v),
                "networks" => {
                    let names: Vec<String> = match v {
                        Value::Sequence(seq) => seq.iter().filter_map(scalar).collect(),
                        Value::Mapping(m) => m.keys().filter_map(scalar).collect(),
                        _ => return Err(invalid(file, what)),
                    };
                    for n in names {
                        let full = if n == "default" {
                            default_net.clone()
                        } else {
                            networks.get(&n).map(|(f, _)| f.clone()).ok_or_else(|| {
                                invalid(file, format!("{what}: network {n:?} is not declared"))
                            })?
                        };
                        nets.push(full);
                    }
                }
                _ => return Err(invalid(file, format!("{what}: not supported"))),
            }
        }
        if spec.image.is_empty() {
            return Err(invalid(file, format!("service {name}: no image")));
        }
        match network_mode {
            Some(mode) if !nets.is_empty() => {
                return Err(invalid(
                    file,
                    format!("service {name}: network_mode {mode:?} and networks together"),
                ))
            }
            Some(mode) => nets.push(mode),
            None => {
                if nets.is_empty() {
                    nets.push(default_net.clone());
                }
                spec.network_aliases = vec![name.clone()];
            }
        }
        uses_default |= nets.contains(&default_net);
        labels.insert(PROJECT_LABEL.into(), project.to_string());
        labels.insert(SERVICE_LABEL.into(), name.clone());
        labels.insert(NUMBER_LABEL.into(), "1".into());
        labels.insert(ONEOFF_LABEL.into(), "False".into());
        spec.labels = labels;
        if spec.name.is_none() {
            spec.name = Some(format!("{project}-{name}-1"));
        }
        spec.network = nets.first().cloned();
        p.services.push(Service {
            name,
            spec,
            networks: nets,
        });
    }
    if uses_default && !p.networks.contains(&default_net) {
        p.networks.push(default_net);
    }
    p.services.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(p)
}

fn read(project: &str, file: &Path) -> Result<Project, ComposeError> {
    let f = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| ComposeError::Read(f.clone(), e))?;
    parse(project, &f, &text)
}

/// `compose-up`: create what is missing (networks, volumes), replace each
/// service's container and start it. Images are never pulled.
pub fn up(engine: &dyn ContainerEngine, project: &str, file: &Path) -> Result<(), ComposeError> {
    up_project(engine, &read(project, file)?)
}

/// [`up`] for a project already parsed (a file rendered in memory).
pub fn up_project(engine: &dyn ContainerEngine, p: &Project) -> Result<(), ComposeError> {
    let project = p.name.as_str();
    let known: Vec<String> = engine
        .list_networks()?
        .into_iter()
        .map(|n| n.name)
        .collect();
    let labels = |full: &str, label: &str| {
        let short = full.strip_prefix(&format!("{project}_")).unwrap_or(full);
        BTreeMap::from([
            (PROJECT_LABEL.to_string(), project.to_string()),
            (label.to_string(), short.to_string()),
        ])
    };
    for n in p.networks.iter().filter(|n| !known.contains(n)) {
        engine.create_network(&NetworkSpec {
            name: n.clone(),
            labels: labels(n, NETWORK_LABEL),
            ..NetworkSpec::default()
        })?;
    }
    for v in &p.volumes {
        if !engine.volume_exists(v)? {
            engine.create_volume(&VolumeSpec {
                name: v.clone(),
                labels: labels(v, VOLUME_LABEL),
                ..VolumeSpec::default()
            })?;
        }
    }
    for s in &p.services {
        if let Some(name) = &s.spec.name {
            match engine.remove_container(name, true) {
                Ok(()) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e.into()),
            }
        }
        let id = engine.create_container(&s.spec)?;
        for n in s.networks.iter().skip(1) {
            engine.connect_network(n, &id, std::slice::from_ref(&s.name))?;
        }
        engine.start_container(&id)?;
    }
    Ok(())
}

/// `compose-down`: remove the project's containers and the networks the
/// file declares (volumes are kept, as with `docker compose down`).
pub fn down(engine: &dyn ContainerEngine, project: &str, file: &Path) -> Result<(), ComposeError> {
    let p = read(project, file)?;
    let filter = ContainerFilter::label(format!("{PROJECT_LABEL}={project}"));
    for c in engine.list_containers(&filter)? {
        match engine.remove_container(&c.id, true) {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
    }
    let known: Vec<String> = engine
        .list_networks()?
        .into_iter()
        .map(|n| n.name)
        .collect();
    for n in &p.networks {
        if known.contains(n) {
            match engine.remove_network(n) {
                Ok(()) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_become_labelled_containers_on_the_project_network() {
        let p = parse(
            "vector",
            "f.yml",
            "services:\n  vector:\n    image: timberio/vector:0.1\n    command: [\"--config\", \"/etc/vector/vector.json\"]\n    environment:\n      A: 1\n    labels:\n      - x=y\n    restart: unless-stopped\n    volumes:\n      - /var/lib/dokku/data/logs:/etc/vector:ro\n      - data:/data\n    ports:\n      - \"127.0.0.1:8686:8686\"\nvolumes:\n  data: {}\n",
        )
        .expect("parse");
        assert_eq!(p.networks, vec!["vector_default".to_string()]);
        assert_eq!(p.volumes, vec!["vector_data".to_string()]);
        let s = &p.services[0];
        assert_eq!(s.spec.name.as_deref(), Some("vector-vector-1"));
        assert_eq!(s.spec.env, vec!["A=1".to_string()]);
        assert_eq!(s.spec.labels[PROJECT_LABEL], "vector");
        assert_eq!(s.spec.labels["x"], "y");
        assert_eq!(s.spec.restart_policy, Some(RestartPolicy::UnlessStopped));
        assert!(s.spec.mounts[0].read_only);
        assert_eq!(s.spec.ports[0].host_port, Some(8686));
        assert_eq!(s.spec.ports[0].host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(s.spec.network.as_deref(), Some("vector_default"));
    }

    #[test]
    fn unknown_keys_and_undeclared_names_are_refused() {
        for text in [
            "services:\n  a:\n    image: x\n    build: .\n",
            "services:\n  a:\n    image: x\n    volumes: [\"data:/d\"]\n",
            "services:\n  a:\n    image: x\n    networks: [other]\n",
            "services:\n  a:\n    command: x\n",
            "services:\n  a:\n    image: x\n    volumes: [\"./rel:/d\"]\n",
            "services:\n  a:\n    image: x\n    network_mode: bridge\n    networks: [default]\n",
            "nothing: here\n",
        ] {
            assert!(parse("p", "f", text).is_err(), "{text}");
        }
    }

    #[test]
    fn external_networks_are_joined_not_created() {
        let p = parse(
            "p",
            "f",
            "services:\n  a:\n    image: x\n    networks: [ext]\nnetworks:\n  ext:\n    external: true\n",
        )
        .expect("parse");
        assert!(p.networks.is_empty());
        assert_eq!(p.services[0].networks, vec!["ext".to_string()]);
    }

    #[test]
    fn a_network_mode_is_joined_without_aliases_or_project_network() {
        let p = parse(
            "p",
            "f",
            "services:\n  a:\n    image: x\n    network_mode: bridge\n",
        )
        .expect("parse");
        assert!(p.networks.is_empty());
        let s = &p.services[0];
        assert_eq!(s.spec.network.as_deref(), Some("bridge"));
        assert!(s.spec.network_aliases.is_empty());
        assert_eq!(s.spec.labels[ONEOFF_LABEL], "False");
    }
}
