//! Docker Swarm: the cluster, its nodes and tasks, in the swarm scheduler's
//! vocabulary.
//!
//! The client library this crate wraps has no swarm, node or task calls,
//! so [`crate::DockerEngine`] answers these with the crate's own HTTP
//! client ([`crate::http`]; JSON in and out, decoded with the library's
//! API models), the one its registry calls use too.

use std::collections::BTreeMap;
use std::time::Duration;

use bollard::models::{Node, NodeSpec, Swarm, SystemInfo, Task};
use serde::de::DeserializeOwned;

use crate::error::EngineError;
use crate::http::{encode, engine_message, EngineHttp, Request};
use crate::push::RegistryAuth;

/// This engine's place in a swarm.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwarmState {
    /// `inactive`, `pending`, `active`, `error` or `locked`.
    pub local_state: String,
    /// The engine's node id (empty outside a swarm).
    pub node_id: String,
    /// The address the node advertises.
    pub node_addr: String,
    /// Whether the node is a manager (can answer cluster calls).
    pub is_manager: bool,
    /// The cluster's id (managers only).
    pub cluster_id: String,
    /// `<ip>:<port>` of the managers this node knows.
    pub managers: Vec<String>,
}

impl SwarmState {
    /// Whether the engine is part of a swarm.
    pub fn active(&self) -> bool {
        self.local_state == "active"
    }
}

/// The tokens other engines join a swarm with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinTokens {
    /// As a worker.
    pub worker: String,
    /// As a manager.
    pub manager: String,
}

/// One node of the swarm.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwarmNode {
    pub id: String,
    pub hostname: String,
    /// `manager` or `worker`.
    pub role: String,
    /// `active`, `pause` or `drain`.
    pub availability: String,
    /// `unknown`, `down`, `ready` or `disconnected`.
    pub state: String,
    /// The node's address as the managers see it.
    pub addr: String,
    /// The node leads the managers' raft.
    pub leader: bool,
    /// A manager's `reachable`/`unreachable` (empty for workers).
    pub reachability: String,
    pub engine_version: String,
    /// The node's labels (set by the cluster, not by the node's engine).
    pub labels: BTreeMap<String, String>,
}

/// Changes to a node's spec; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeUpdate {
    /// `manager` or `worker`.
    pub role: Option<String>,
    /// `active`, `pause` or `drain`.
    pub availability: Option<String>,
    /// Labels to set (an empty value removes the label).
    pub labels: BTreeMap<String, String>,
}

/// One task (a replica's attempt) of a service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwarmTask {
    pub id: String,
    pub service_id: String,
    pub node_id: String,
    /// The replica's slot (replicated services).
    pub slot: i64,
    /// What the orchestrator wants: `running`, `shutdown`...
    pub desired_state: String,
    /// Where the task is: `new` ... `running`, `complete`, `failed`...
    pub state: String,
    /// The state's message and error, if any.
    pub message: String,
    pub error: String,
    /// The container on its node, once created.
    pub container_id: String,
    /// The container's exit code, once it ended.
    pub exit_code: Option<i64>,
    /// Host-mode published ports: (target, published).
    pub ports: Vec<(u16, u16)>,
    /// The labels of the task's container spec.
    pub labels: BTreeMap<String, String>,
    /// The image of the task's spec.
    pub image: String,
    /// The `ForceUpdate` counter of the task's spec.
    pub force_update: u64,
}

/// Which tasks to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    /// Tasks of this service (name or id).
    pub service: Option<String>,
    /// Tasks on this node.
    pub node: Option<String>,
    /// Only tasks whose desired state is `running`.
    pub desired_running: bool,
}

/// A bind or volume mount of a service's tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceMount {
    /// A host path (bind) or a volume name.
    pub source: String,
    pub target: String,
    /// A named volume rather than a host path.
    pub volume: bool,
    pub read_only: bool,
    /// Bind propagation (`rprivate`, `rslave`...), empty for the engine's
    /// default.
    pub propagation: String,
    /// `consistent`, `cached` or `delegated`, empty for the default.
    pub consistency: String,
    /// A volume not filled from the image's contents at that path.
    pub no_copy: bool,
    /// A directory inside the volume mounted instead of its root (engines
    /// of API 1.45 or later), empty for the root.
    pub subpath: String,
}

/// A task healthcheck (durations in seconds).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceHealthcheck {
    /// The engine's `Test`: `["CMD-SHELL", line]` or `["CMD", args...]`.
    pub test: Vec<String>,
    pub interval: u64,
    pub timeout: u64,
    pub retries: u64,
    pub start_period: u64,
}

/// A replicated service as the swarm scheduler runs one process type.
/// Ports are published in host mode (no ingress routing mesh, which needs
/// IPVS) and the endpoint is DNS round-robin (no virtual IP, same reason).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceSpec {
    pub name: String,
    pub image: String,
    /// Replaces the image's command, when set.
    pub args: Option<Vec<String>>,
    pub env: Vec<String>,
    /// Labels of the service.
    pub labels: BTreeMap<String, String>,
    /// Labels of each task's container.
    pub container_labels: BTreeMap<String, String>,
    pub replicas: u64,
    /// Container ports published on an engine-chosen port of the task's
    /// node.
    pub host_ports: Vec<u16>,
    pub networks: Vec<String>,
    /// Names the tasks also answer to on each of `networks` (docker-local's
    /// `<app>.<process>`).
    pub network_aliases: Vec<String>,
    /// Placement constraints (`node.hostname==x`, `node.labels.k==v`).
    pub constraints: Vec<String>,
    pub mounts: Vec<ServiceMount>,
    /// `none`, `on-failure` or `any`, and the attempt limit (0: none).
    pub restart_condition: String,
    pub restart_attempts: u64,
    pub healthcheck: Option<ServiceHealthcheck>,
    /// CPU limit in billionths of a CPU and memory limit in bytes (0: none).
    pub cpu_limit: i64,
    pub memory_limit: i64,
    pub cpu_reservation: i64,
    pub memory_reservation: i64,
    /// Seconds to watch each updated task before going on (its checks).
    pub update_monitor: u64,
    /// Bump to make the swarm replace tasks with an unchanged spec.
    pub force_update: u64,
    /// Process limit of each task (0: none).
    pub pids_limit: i64,
    /// A global job (one task on every node its placement allows, run to
    /// completion) instead of a replicated service; `replicas` unused.
    pub global_job: bool,
    /// More fields of the tasks' container spec, in the engine's words
    /// (`User`, `Dir`, `Init`, `CapabilityAdd`...), from docker options.
    pub container_extra: serde_json::Map<String, serde_json::Value>,
    /// More fields of the task template (`LogDriver`).
    pub task_extra: serde_json::Map<String, serde_json::Value>,
    /// Credentials for the image's registry, sent with create and update
    /// so the nodes can pull (`docker service create
    /// --with-registry-auth`). Not part of the spec the swarm stores.
    pub registry_auth: Option<RegistryAuth>,
}

/// A digest of what a spec asks for, leaving out replicas, the
/// force-update counter and credentials: equal fingerprints mean a
/// service only needs its replicas changed.
pub fn spec_fingerprint(spec: &ServiceSpec) -> String {
    let mut plain = spec.clone();
    plain.replicas = 0;
    plain.force_update = 0;
    plain.registry_auth = None;
    // serde_json's maps are ordered: the text is stable for one spec.
    let text = service_json(&plain).to_string();
    // FNV-1a, 64 bits: stable across builds, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A service as the swarm reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceInfo {
    pub id: String,
    pub name: String,
    pub image: String,
    pub replicas: u64,
    pub labels: BTreeMap<String, String>,
    /// `updating`, `paused`, `completed`, `rollback_started`,
    /// `rollback_paused`, `rollback_completed`, or empty.
    pub update_state: String,
    pub update_message: String,
    pub force_update: u64,
}

/// The swarm calls the swarm scheduler needs. Reached through
/// [`crate::ContainerEngine::swarm`].
pub trait SwarmEngine: Send + Sync {
    /// This engine's swarm state.
    fn swarm_state(&self) -> Result<SwarmState, EngineError>;

    /// Make this engine the first manager of a new swarm; its node id.
    /// `advertise_addr` is an address or interface name (with an optional
    /// port), as `docker swarm init --advertise-addr` takes it.
    fn swarm_init(&self, advertise_addr: &str, listen_addr: &str) -> Result<String, EngineError>;

    /// The join tokens (managers only).
    fn swarm_join_tokens(&self) -> Result<JoinTokens, EngineError>;

    /// Leave the swarm (`force` for the last manager).
    fn swarm_leave(&self, force: bool) -> Result<(), EngineError>;

    /// The swarm's nodes.
    fn list_nodes(&self) -> Result<Vec<SwarmNode>, EngineError>;

    /// One node, by id or hostname.
    fn inspect_node(&self, node: &str) -> Result<SwarmNode, EngineError>;

    /// Change a node's role, availability or labels.
    fn update_node(&self, node: &str, update: &NodeUpdate) -> Result<(), EngineError>;

    /// Remove a node from the swarm (`force` for one that is not down).
    fn remove_node(&self, node: &str, force: bool) -> Result<(), EngineError>;

    /// Tasks matching the filter.
    fn list_tasks(&self, filter: &TaskFilter) -> Result<Vec<SwarmTask>, EngineError>;

    /// Create a service; its id.
    fn create_service(&self, spec: &ServiceSpec) -> Result<String, EngineError>;

    /// Replace a service's spec: a rolling update, new tasks started
    /// before old ones stop, rolled back when they fail.
    fn update_service(&self, name: &str, spec: &ServiceSpec) -> Result<(), EngineError>;

    /// Set a service's replicas, keeping the rest of its spec.
    fn scale_service(&self, name: &str, replicas: u64) -> Result<(), EngineError>;

    /// One service, by name or id.
    fn inspect_service(&self, name: &str) -> Result<ServiceInfo, EngineError>;

    /// Services carrying `label` (`key` or `key=value`).
    fn list_services(&self, label: &str) -> Result<Vec<ServiceInfo>, EngineError>;

    /// Remove a service (its tasks stop).
    fn remove_service(&self, name: &str) -> Result<(), EngineError>;

    /// A service as the engine describes it (`docker service inspect`).
    fn inspect_service_raw(&self, name: &str) -> Result<serde_json::Value, EngineError>;

    /// Push an image (`registry/repo:tag`) from this engine to its
    /// registry with `auth`, calling `on_line` with each progress line;
    /// the pushed manifest's digest (`sha256:...`), when the engine told
    /// it.
    fn push_image(
        &self,
        reference: &str,
        auth: Option<&RegistryAuth>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<String, EngineError>;
}

fn duration_ns(seconds: u64) -> i64 {
    i64::try_from(seconds).unwrap_or(i64::MAX / 1_000_000_000) * 1_000_000_000
}

/// The engine's JSON for a service mount.
fn mount_json(m: &ServiceMount) -> serde_json::Value {
    use serde_json::json;
    let mut j = json!({
        "Type": if m.volume { "volume" } else { "bind" },
        "Source": m.source,
        "Target": m.target,
        "ReadOnly": m.read_only,
    });
    if !m.consistency.is_empty() {
        j["Consistency"] = json!(m.consistency);
    }
    if !m.volume && !m.propagation.is_empty() {
        j["BindOptions"] = json!({"Propagation": m.propagation});
    }
    if m.volume && m.no_copy {
        j["VolumeOptions"]["NoCopy"] = json!(true);
    }
    if m.volume && !m.subpath.is_empty() {
        j["VolumeOptions"]["Subpath"] = json!(m.subpath);
    }
    j
}

/// The engine's JSON for a service spec.
pub(crate) fn service_json(spec: &ServiceSpec) -> serde_json::Value {
    use serde_json::{json, Value};
    let mut container = json!({
        "Image": spec.image,
        "Env": spec.env,
        "Labels": spec.container_labels,
        "Mounts": spec.mounts.iter().map(mount_json).collect::<Vec<_>>(),
    });
    if let Some(args) = &spec.args {
        container["Args"] = json!(args);
    }
    if let Some(h) = &spec.healthcheck {
        container["Healthcheck"] = json!({
            "Test": h.test,
            "Interval": duration_ns(h.interval),
            "Timeout": duration_ns(h.timeout),
            "Retries": h.retries,
            "StartPeriod": duration_ns(h.start_period),
        });
    }
    for (k, v) in &spec.container_extra {
        container[k] = v.clone();
    }
    let mut resources = json!({});
    if spec.cpu_limit > 0 || spec.memory_limit > 0 || spec.pids_limit > 0 {
        resources["Limits"] = json!({"NanoCPUs": spec.cpu_limit, "MemoryBytes": spec.memory_limit});
        if spec.pids_limit > 0 {
            resources["Limits"]["Pids"] = json!(spec.pids_limit);
        }
    }
    if spec.cpu_reservation > 0 || spec.memory_reservation > 0 {
        resources["Reservations"] =
            json!({"NanoCPUs": spec.cpu_reservation, "MemoryBytes": spec.memory_reservation});
    }
    let mut restart = json!({"Condition": if spec.restart_condition.is_empty() { "any" } else { spec.restart_condition.as_str() }});
    if spec.restart_attempts > 0 {
        restart["MaxAttempts"] = json!(spec.restart_attempts);
    }
    let update = json!({
        "Parallelism": 1,
        "Delay": duration_ns(1),
        "FailureAction": "rollback",
        "Monitor": duration_ns(spec.update_monitor.max(1)),
        "MaxFailureRatio": 0.0,
        "Order": "start-first",
    });
    let rollback = json!({
        "Parallelism": 1,
        "Delay": duration_ns(1),
        "FailureAction": "pause",
        "Monitor": duration_ns(spec.update_monitor.max(1)),
        "Order": "start-first",
    });
    let ports: Vec<Value> = spec
        .host_ports
        .iter()
        .map(|p| json!({"Protocol": "tcp", "TargetPort": p, "PublishMode": "host"}))
        .collect();
    let mut task = json!({
        "ContainerSpec": container,
        "Resources": resources,
        "RestartPolicy": restart,
        "Placement": {"Constraints": spec.constraints},
        "Networks": spec.networks.iter().map(|n| if spec.network_aliases.is_empty() {
            json!({"Target": n})
        } else {
            json!({"Target": n, "Aliases": spec.network_aliases})
        }).collect::<Vec<_>>(),
        "ForceUpdate": spec.force_update,
    });
    for (k, v) in &spec.task_extra {
        task[k] = v.clone();
    }
    if spec.global_job {
        // A job: one task on every node the placement allows, run to
        // completion; no updates to roll.
        return json!({
            "Name": spec.name,
            "Labels": spec.labels,
            "TaskTemplate": task,
            "Mode": {"GlobalJob": {}},
            "EndpointSpec": {"Mode": "dnsrr", "Ports": ports},
        });
    }
    json!({
        "Name": spec.name,
        "Labels": spec.labels,
        "TaskTemplate": task,
        "Mode": {"Replicated": {"Replicas": spec.replicas}},
        "UpdateConfig": update,
        "RollbackConfig": rollback,
        "EndpointSpec": {"Mode": "dnsrr", "Ports": ports},
    })
}

fn service_of(s: bollard::models::Service) -> ServiceInfo {
    let spec = s.spec.unwrap_or_default();
    let task = spec.task_template.unwrap_or_default();
    let status = s.update_status.unwrap_or_default();
    ServiceInfo {
        id: s.id.unwrap_or_default(),
        name: spec.name.unwrap_or_default(),
        image: task
            .container_spec
            .and_then(|c| c.image)
            .unwrap_or_default(),
        replicas: spec
            .mode
            .and_then(|m| m.replicated)
            .and_then(|r| r.replicas)
            .and_then(|r| u64::try_from(r).ok())
            .unwrap_or_default(),
        labels: spec.labels.unwrap_or_default().into_iter().collect(),
        update_state: enum_text(status.state),
        update_message: status.message.unwrap_or_default(),
        force_update: task
            .force_update
            .and_then(|f| u64::try_from(f).ok())
            .unwrap_or_default(),
    }
}

/// How long a swarm call may wait for the engine.
pub(crate) const SWARM_TIMEOUT: Duration = Duration::from_secs(120);

pub(crate) fn fail(
    operation: &str,
    status: Option<u16>,
    message: impl Into<String>,
) -> EngineError {
    EngineError::Swarm {
        operation: operation.to_string(),
        status,
        message: message.into(),
    }
}

impl EngineHttp {
    /// One swarm request; the body of a 2xx answer, else the engine's
    /// message.
    fn call(
        &self,
        operation: &str,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
        headers: Vec<(&'static str, String)>,
    ) -> Result<Vec<u8>, EngineError> {
        let mut answer = self
            .send(Request {
                method,
                path,
                headers,
                body: body.map(|b| b.to_string()),
                timeout: Some(SWARM_TIMEOUT),
            })
            .map_err(|e| fail(operation, None, e.to_string()))?;
        let body = answer
            .read_all()
            .map_err(|e| fail(operation, None, format!("read: {e}")))?;
        if (200..300).contains(&answer.status) {
            Ok(body)
        } else {
            Err(fail(operation, Some(answer.status), engine_message(&body)))
        }
    }

    fn request(
        &self,
        operation: &str,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>, EngineError> {
        self.call(operation, method, path, body, Vec::new())
    }

    /// A GET whose answer is decoded as `T`.
    pub(crate) fn get<T: DeserializeOwned>(
        &self,
        operation: &str,
        path: &str,
    ) -> Result<T, EngineError> {
        let body = self.request(operation, "GET", path, None)?;
        serde_json::from_slice(&body).map_err(|e| fail(operation, None, format!("decode: {e}")))
    }
}

/// The `X-Registry-Auth` header of a service call with credentials.
fn auth_headers(auth: Option<&RegistryAuth>) -> Vec<(&'static str, String)> {
    auth.map(|a| vec![("X-Registry-Auth", a.header())])
        .unwrap_or_default()
}

fn enum_text<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn node_of(n: Node) -> SwarmNode {
    let spec = n.spec.unwrap_or_default();
    let status = n.status.unwrap_or_default();
    let manager = n.manager_status.unwrap_or_default();
    let desc = n.description.unwrap_or_default();
    SwarmNode {
        id: n.id.unwrap_or_default(),
        hostname: desc.hostname.unwrap_or_default(),
        role: enum_text(spec.role),
        availability: enum_text(spec.availability),
        state: enum_text(status.state),
        addr: status.addr.unwrap_or_default(),
        leader: manager.leader.unwrap_or(false),
        reachability: enum_text(manager.reachability),
        engine_version: desc
            .engine
            .and_then(|e| e.engine_version)
            .unwrap_or_default(),
        labels: spec.labels.unwrap_or_default().into_iter().collect(),
    }
}

fn task_of(t: Task) -> SwarmTask {
    let status = t.status.unwrap_or_default();
    let container = status.container_status.clone().unwrap_or_default();
    let ports = status
        .port_status
        .and_then(|p| p.ports)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            Some((
                u16::try_from(p.target_port?).ok()?,
                u16::try_from(p.published_port?).ok()?,
            ))
        })
        .collect();
    let spec = t.spec.unwrap_or_default();
    let force_update = spec
        .force_update
        .and_then(|f| u64::try_from(f).ok())
        .unwrap_or_default();
    let container_spec = spec.container_spec.unwrap_or_default();
    let image = container_spec.image.unwrap_or_default();
    let labels = container_spec
        .labels
        .unwrap_or_default()
        .into_iter()
        .collect();
    SwarmTask {
        id: t.id.unwrap_or_default(),
        service_id: t.service_id.unwrap_or_default(),
        node_id: t.node_id.unwrap_or_default(),
        slot: t.slot.unwrap_or_default(),
        desired_state: enum_text(t.desired_state),
        state: enum_text(status.state),
        message: status.message.unwrap_or_default(),
        error: status.err.unwrap_or_default(),
        container_id: container.container_id.unwrap_or_default(),
        exit_code: container.exit_code,
        ports,
        labels,
        image,
        force_update,
    }
}

impl SwarmEngine for EngineHttp {
    fn swarm_state(&self) -> Result<SwarmState, EngineError> {
        let info: SystemInfo = self.get("inspect the swarm state", "/info")?;
        let s = info.swarm.unwrap_or_default();
        Ok(SwarmState {
            local_state: enum_text(s.local_node_state),
            node_id: s.node_id.unwrap_or_default(),
            node_addr: s.node_addr.unwrap_or_default(),
            is_manager: s.control_available.unwrap_or(false),
            cluster_id: s.cluster.and_then(|c| c.id).unwrap_or_default(),
            managers: s
                .remote_managers
                .unwrap_or_default()
                .into_iter()
                .filter_map(|m| m.addr)
                .collect(),
        })
    }

    fn swarm_init(&self, advertise_addr: &str, listen_addr: &str) -> Result<String, EngineError> {
        let body = serde_json::json!({
            "ListenAddr": listen_addr,
            "AdvertiseAddr": advertise_addr,
        });
        let out = self.request("initialize the swarm", "POST", "/swarm/init", Some(&body))?;
        let id: String = serde_json::from_slice(&out)
            .map_err(|e| fail("initialize the swarm", None, format!("decode: {e}")))?;
        Ok(id)
    }

    fn swarm_join_tokens(&self) -> Result<JoinTokens, EngineError> {
        let swarm: Swarm = self.get("inspect the swarm", "/swarm")?;
        let tokens = swarm.join_tokens.unwrap_or_default();
        Ok(JoinTokens {
            worker: tokens.worker.unwrap_or_default(),
            manager: tokens.manager.unwrap_or_default(),
        })
    }

    fn swarm_leave(&self, force: bool) -> Result<(), EngineError> {
        self.request(
            "leave the swarm",
            "POST",
            &format!("/swarm/leave?force={force}"),
            None,
        )
        .map(drop)
    }

    fn list_nodes(&self) -> Result<Vec<SwarmNode>, EngineError> {
        let nodes: Vec<Node> = self.get("list the swarm nodes", "/nodes")?;
        Ok(nodes.into_iter().map(node_of).collect())
    }

    fn inspect_node(&self, node: &str) -> Result<SwarmNode, EngineError> {
        let op = format!("inspect node {node}");
        let n: Node = self.get(&op, &format!("/nodes/{}", encode(node)))?;
        Ok(node_of(n))
    }

    fn update_node(&self, node: &str, update: &NodeUpdate) -> Result<(), EngineError> {
        let op = format!("update node {node}");
        let n: Node = self.get(&op, &format!("/nodes/{}", encode(node)))?;
        let version = n.version.and_then(|v| v.index).unwrap_or_default();
        let spec: NodeSpec = n.spec.unwrap_or_default();
        let mut spec =
            serde_json::to_value(spec).map_err(|e| fail(&op, None, format!("encode: {e}")))?;
        if let Some(role) = &update.role {
            spec["Role"] = serde_json::Value::String(role.clone());
        }
        if let Some(availability) = &update.availability {
            spec["Availability"] = serde_json::Value::String(availability.clone());
        }
        if !update.labels.is_empty() {
            let mut labels = spec
                .get("Labels")
                .and_then(|l| l.as_object())
                .cloned()
                .unwrap_or_default();
            for (k, v) in &update.labels {
                if v.is_empty() {
                    labels.remove(k);
                } else {
                    labels.insert(k.clone(), serde_json::Value::String(v.clone()));
                }
            }
            spec["Labels"] = serde_json::Value::Object(labels);
        }
        self.request(
            &op,
            "POST",
            &format!("/nodes/{}/update?version={version}", encode(node)),
            Some(&spec),
        )
        .map(drop)
    }

    fn remove_node(&self, node: &str, force: bool) -> Result<(), EngineError> {
        self.request(
            &format!("remove node {node}"),
            "DELETE",
            &format!("/nodes/{}?force={force}", encode(node)),
            None,
        )
        .map(drop)
    }

    fn list_tasks(&self, filter: &TaskFilter) -> Result<Vec<SwarmTask>, EngineError> {
        let mut filters: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        if let Some(s) = &filter.service {
            filters.insert("service", vec![s]);
        }
        if let Some(n) = &filter.node {
            filters.insert("node", vec![n]);
        }
        if filter.desired_running {
            filters.insert("desired-state", vec!["running"]);
        }
        let filters = serde_json::to_string(&filters)
            .map_err(|e| fail("list tasks", None, format!("encode: {e}")))?;
        let tasks: Vec<Task> = self.get(
            "list tasks",
            &format!("/tasks?filters={}", encode(&filters)),
        )?;
        Ok(tasks.into_iter().map(task_of).collect())
    }

    fn create_service(&self, spec: &ServiceSpec) -> Result<String, EngineError> {
        let op = format!("create service {}", spec.name);
        let out = self.call(
            &op,
            "POST",
            "/services/create",
            Some(&service_json(spec)),
            auth_headers(spec.registry_auth.as_ref()),
        )?;
        let v: serde_json::Value =
            serde_json::from_slice(&out).map_err(|e| fail(&op, None, format!("decode: {e}")))?;
        Ok(v.get("ID")
            .and_then(|i| i.as_str())
            .unwrap_or_default()
            .to_string())
    }

    fn update_service(&self, name: &str, spec: &ServiceSpec) -> Result<(), EngineError> {
        let op = format!("update service {name}");
        let current: bollard::models::Service =
            self.get(&op, &format!("/services/{}", encode(name)))?;
        let version = current.version.and_then(|v| v.index).unwrap_or_default();
        // `registryAuthFrom=spec` (the default) keeps stored credentials
        // when none are sent.
        self.call(
            &op,
            "POST",
            &format!("/services/{}/update?version={version}", encode(name)),
            Some(&service_json(spec)),
            auth_headers(spec.registry_auth.as_ref()),
        )
        .map(drop)
    }

    fn scale_service(&self, name: &str, replicas: u64) -> Result<(), EngineError> {
        let op = format!("scale service {name}");
        let current: serde_json::Value = self.get(&op, &format!("/services/{}", encode(name)))?;
        let version = current["Version"]["Index"].as_u64().unwrap_or_default();
        let mut spec = current["Spec"].clone();
        spec["Mode"] = serde_json::json!({"Replicated": {"Replicas": replicas}});
        self.request(
            &op,
            "POST",
            &format!("/services/{}/update?version={version}", encode(name)),
            Some(&spec),
        )
        .map(drop)
    }

    fn inspect_service(&self, name: &str) -> Result<ServiceInfo, EngineError> {
        let op = format!("inspect service {name}");
        let s: bollard::models::Service = self.get(&op, &format!("/services/{}", encode(name)))?;
        Ok(service_of(s))
    }

    fn list_services(&self, label: &str) -> Result<Vec<ServiceInfo>, EngineError> {
        let filters = serde_json::json!({ "label": [label] }).to_string();
        let list: Vec<bollard::models::Service> = self.get(
            "list services",
            &format!("/services?filters={}", encode(&filters)),
        )?;
        Ok(list.into_iter().map(service_of).collect())
    }

    fn remove_service(&self, name: &str) -> Result<(), EngineError> {
        self.request(
            &format!("remove service {name}"),
            "DELETE",
            &format!("/services/{}", encode(name)),
            None,
        )
        .map(drop)
    }

    fn inspect_service_raw(&self, name: &str) -> Result<serde_json::Value, EngineError> {
        self.get(
            &format!("inspect service {name}"),
            &format!("/services/{}", encode(name)),
        )
    }

    fn push_image(
        &self,
        reference: &str,
        auth: Option<&RegistryAuth>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<String, EngineError> {
        crate::push::push(self, reference, auth, on_line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_replicas_counter_and_credentials() {
        let a = ServiceSpec {
            name: "a-web".into(),
            image: "r/a@sha256:1".into(),
            replicas: 1,
            ..ServiceSpec::default()
        };
        let b = ServiceSpec {
            replicas: 5,
            force_update: 3,
            registry_auth: Some(RegistryAuth {
                server: "r".into(),
                username: "u".into(),
                password: "p".into(),
            }),
            ..a.clone()
        };
        assert_eq!(spec_fingerprint(&a), spec_fingerprint(&b));
        let c = ServiceSpec {
            env: vec!["A=1".into()],
            ..a.clone()
        };
        assert_ne!(spec_fingerprint(&a), spec_fingerprint(&c));
    }

    #[test]
    fn extra_fields_and_limits_reach_the_engine_json() {
        let mut spec = ServiceSpec {
            pids_limit: 100,
            memory_limit: 1024,
            healthcheck: Some(ServiceHealthcheck {
                test: vec!["CMD".into(), "true".into()],
                interval: 2,
                ..ServiceHealthcheck::default()
            }),
            ..ServiceSpec::default()
        };
        spec.container_extra
            .insert("User".into(), serde_json::json!("app"));
        spec.task_extra
            .insert("LogDriver".into(), serde_json::json!({"Name": "none"}));
        let j = service_json(&spec);
        assert_eq!(j["TaskTemplate"]["ContainerSpec"]["User"], "app");
        assert_eq!(j["TaskTemplate"]["LogDriver"]["Name"], "none");
        spec.networks = vec!["net".into()];
        spec.network_aliases = vec!["app.web".into()];
        spec.mounts = vec![ServiceMount {
            source: "/srv".into(),
            target: "/data".into(),
            propagation: "rslave".into(),
            no_copy: true,
            ..ServiceMount::default()
        }];
        let j = service_json(&spec);
        assert_eq!(
            j["TaskTemplate"]["Networks"],
            serde_json::json!([{"Target": "net", "Aliases": ["app.web"]}])
        );
        let m = &j["TaskTemplate"]["ContainerSpec"]["Mounts"][0];
        assert_eq!(m["BindOptions"]["Propagation"], "rslave");
        assert!(m.get("VolumeOptions").is_none(), "{m}");
        assert_eq!(j["TaskTemplate"]["Resources"]["Limits"]["Pids"], 100);
        assert_eq!(
            j["TaskTemplate"]["ContainerSpec"]["Healthcheck"]["Test"],
            serde_json::json!(["CMD", "true"])
        );
        assert_eq!(
            j["TaskTemplate"]["ContainerSpec"]["Healthcheck"]["Interval"],
            2_000_000_000_i64
        );
    }

    #[test]
    fn volume_subpaths_and_global_jobs_reach_the_engine_json() {
        let mut spec = ServiceSpec {
            mounts: vec![ServiceMount {
                source: "data".into(),
                target: "/data".into(),
                volume: true,
                no_copy: true,
                subpath: "uploads".into(),
                ..ServiceMount::default()
            }],
            ..ServiceSpec::default()
        };
        let j = service_json(&spec);
        assert_eq!(
            j["TaskTemplate"]["ContainerSpec"]["Mounts"][0]["VolumeOptions"],
            serde_json::json!({"NoCopy": true, "Subpath": "uploads"})
        );
        assert!(j["Mode"]["Replicated"].is_object(), "{j}");
        spec.global_job = true;
        let j = service_json(&spec);
        assert_eq!(j["Mode"], serde_json::json!({"GlobalJob": {}}));
        assert!(j.get("UpdateConfig").is_none(), "{j}");
    }
}
