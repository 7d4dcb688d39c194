//! The cluster: this host's engine as the first manager, nodes joined over
//! ssh, listed, drained and removed.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use dokku_core::{Error, Result};
use dokku_docker::{NodeUpdate, SwarmEngine, SwarmNode, TaskFilter};
use dokku_trigger::Ctx;

use crate::ssh::{self, HostKeys, SshUrl};

/// The node label holding the ssh address a node was added with.
pub const SSH_URL_LABEL: &str = "com.dokku.scheduler-swarm.ssh-url";

/// The port managers listen on for the cluster.
pub const MANAGER_PORT: u16 = 2377;

/// The error when the engine is reached in a way the swarm calls cannot
/// use (`ssh://`, `https://`).
pub const NO_SWARM_CALLS: &str =
    "The docker engine connection does not support swarm calls (a unix socket or tcp address is needed)";

/// The engine's swarm calls, or Dokku's error.
pub fn swarm(ctx: &Ctx) -> Result<&dyn SwarmEngine> {
    ctx.engine()?
        .swarm()
        .ok_or_else(|| Error::fail(NO_SWARM_CALLS))
}

fn engine_err(e: dokku_docker::EngineError) -> Error {
    Error::other("docker", e)
}

/// This engine as an active manager, else Dokku's error.
pub fn manager(ctx: &Ctx) -> Result<&dyn SwarmEngine> {
    let s = swarm(ctx)?;
    let state = s.swarm_state().map_err(engine_err)?;
    if !state.active() {
        return Err(Error::fail(
            "Swarm cluster not initialized, run scheduler-swarm:initialize first",
        ));
    }
    if !state.is_manager {
        return Err(Error::fail(
            "This host is not a manager of its swarm cluster",
        ));
    }
    Ok(s)
}

/// `scheduler-swarm:initialize`: this host's engine becomes the first
/// manager, advertising `server_ip` or the configured interface.
pub fn initialize(ctx: &Ctx, server_ip: Option<&str>) -> Result<()> {
    let s = swarm(ctx)?;
    let state = s.swarm_state().map_err(engine_err)?;
    if state.active() {
        ctx.out.info1(&format!(
            "Swarm cluster already initialized (node {})",
            state.node_id
        ));
        return Ok(());
    }
    let advertise = match server_ip {
        Some(ip) => {
            ip.parse::<std::net::IpAddr>()
                .map_err(|_| Error::fail(format!("Invalid server ip: {ip}")))?;
            ip.to_string()
        }
        None => crate::SCHEMA.computed(&ctx.paths, "--global", "network-interface"),
    };
    ctx.out.info1("Initializing swarm cluster");
    let id = s
        .swarm_init(&advertise, &format!("0.0.0.0:{MANAGER_PORT}"))
        .map_err(engine_err)?;
    ctx.out.verbose(&format!("Node {id} is the first manager"));
    Ok(())
}

/// `--role` of cluster:add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Manager,
    Worker,
}

impl Role {
    /// Parse `--role`.
    pub fn parse(s: Option<&str>) -> Result<Role> {
        match s {
            None | Some("worker") => Ok(Role::Worker),
            Some("manager") => Ok(Role::Manager),
            Some(other) => Err(Error::fail(format!(
                "Invalid role: {other} (expected manager or worker)"
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Worker => "worker",
        }
    }
}

fn safe_token(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn safe_addr(a: &str) -> bool {
    !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | '[' | ']'))
}

/// `scheduler-swarm:cluster:add`.
pub fn add(ctx: &Ctx, url: &str, role: Role, insecure: bool) -> Result<()> {
    let url = SshUrl::parse(url)?;
    let s = manager(ctx)?;
    let state = s.swarm_state().map_err(engine_err)?;
    let tokens = s.swarm_join_tokens().map_err(engine_err)?;
    let token = match role {
        Role::Manager => tokens.manager,
        Role::Worker => tokens.worker,
    };
    let join_addr = format!("{}:{MANAGER_PORT}", state.node_addr);
    if !safe_token(&token) || !safe_addr(&join_addr) {
        return Err(Error::fail(
            "Unexpected join token or manager address from the engine",
        ));
    }
    let keys = if insecure {
        HostKeys::AcceptNew
    } else {
        HostKeys::Known
    };
    let root = &ctx.paths.dokku_root;
    ctx.out.info1(&format!(
        "Joining {} to the swarm cluster as a {}",
        url.to_url(),
        role.name()
    ));
    let remote_state = ssh::run(
        root,
        &url,
        keys,
        &["docker", "info", "--format", "'{{.Swarm.LocalNodeState}}'"],
    )?;
    if !remote_state.success {
        return Err(Error::fail(format!(
            "Unable to reach the docker engine on {}: {}",
            url.to_url(),
            remote_state.stderr.trim()
        )));
    }
    if remote_state.stdout.trim() != "inactive" {
        return Err(Error::fail(format!(
            "The docker engine on {} is already part of a swarm",
            url.to_url()
        )));
    }
    let joined = ssh::run(
        root,
        &url,
        HostKeys::Known,
        &["docker", "swarm", "join", "--token", &token, &join_addr],
    )?;
    if !joined.success {
        return Err(Error::fail(format!(
            "Unable to join {} to the swarm cluster: {}",
            url.to_url(),
            joined.stderr.trim()
        )));
    }
    let id = ssh::run(
        root,
        &url,
        HostKeys::Known,
        &["docker", "info", "--format", "'{{.Swarm.NodeID}}'"],
    )?;
    let id = id.stdout.trim().to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::fail(format!(
            "Unable to read the swarm node id of {}",
            url.to_url()
        )));
    }
    let labels = BTreeMap::from([(SSH_URL_LABEL.to_string(), url.to_url())]);
    s.update_node(
        &id,
        &NodeUpdate {
            labels,
            ..NodeUpdate::default()
        },
    )
    .map_err(engine_err)?;
    ctx.out
        .verbose(&format!("Node {id} joined as a {}", role.name()));
    Ok(())
}

/// The columns of cluster:list, in order.
const COLUMNS: [&str; 7] = [
    "id",
    "hostname",
    "role",
    "state",
    "availability",
    "address",
    "leader",
];

fn row(n: &SwarmNode) -> [String; 7] {
    [
        n.id.clone(),
        n.hostname.clone(),
        n.role.clone(),
        n.state.clone(),
        n.availability.clone(),
        n.addr.clone(),
        n.leader.to_string(),
    ]
}

/// `scheduler-swarm:cluster:list [--format json|stdout]`.
pub fn list(ctx: &Ctx, format: Option<&str>) -> Result<()> {
    let json = match format {
        None | Some("stdout") => false,
        Some("json") => true,
        Some(other) => return Err(Error::fail(format!("Invalid format specified: {other}"))),
    };
    let s = manager(ctx)?;
    let mut nodes = s.list_nodes().map_err(engine_err)?;
    nodes.sort_by(|a, b| (&a.hostname, &a.id).cmp(&(&b.hostname, &b.id)));
    if json {
        let list: Vec<serde_json::Value> = nodes
            .iter()
            .map(|n| {
                let mut o = serde_json::Map::new();
                for (k, v) in COLUMNS.iter().zip(row(n)) {
                    o.insert((*k).to_string(), serde_json::Value::String(v));
                }
                o.insert("leader".into(), serde_json::Value::Bool(n.leader));
                o.insert(
                    "ssh_url".into(),
                    serde_json::Value::String(
                        n.labels.get(SSH_URL_LABEL).cloned().unwrap_or_default(),
                    ),
                );
                serde_json::Value::Object(o)
            })
            .collect();
        ctx.out.line(&serde_json::Value::Array(list).to_string());
        return Ok(());
    }
    let mut rows: Vec<Vec<String>> = vec![COLUMNS.iter().map(|c| c.to_string()).collect()];
    rows.extend(nodes.iter().map(|n| row(n).to_vec()));
    ctx.out.write_out(&dokku_output::columnize(&rows, "", "  "));
    Ok(())
}

/// Find a node by id, unique id prefix, hostname or address.
pub fn find_node(s: &dyn SwarmEngine, wanted: &str) -> Result<SwarmNode> {
    let nodes = s.list_nodes().map_err(engine_err)?;
    let exact: Vec<&SwarmNode> = nodes
        .iter()
        .filter(|n| n.id == wanted || n.hostname == wanted || n.addr == wanted)
        .collect();
    let matches = if exact.is_empty() {
        nodes
            .iter()
            .filter(|n| !wanted.is_empty() && n.id.starts_with(wanted))
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::fail(format!(
            "Node {wanted} not found in the swarm cluster"
        ))),
        _ => Err(Error::fail(format!(
            "Node {wanted} is ambiguous, use the node id"
        ))),
    }
}

fn running_tasks_on(s: &dyn SwarmEngine, node: &str) -> Result<usize> {
    let tasks = s
        .list_tasks(&TaskFilter {
            node: Some(node.to_string()),
            desired_running: false,
            ..TaskFilter::default()
        })
        .map_err(engine_err)?;
    Ok(tasks
        .iter()
        .filter(|t| {
            matches!(
                t.state.as_str(),
                "running" | "starting" | "preparing" | "assigned" | "accepted" | "ready"
            )
        })
        .count())
}

/// `scheduler-swarm:cluster:remove <node>`: drain, wait for its tasks to
/// move, leave (over ssh, when the node was added with an address), remove.
pub fn remove(ctx: &Ctx, wanted: &str) -> Result<()> {
    if wanted.is_empty() {
        return Err(Error::fail("Please specify a node to remove"));
    }
    let s = manager(ctx)?;
    let state = s.swarm_state().map_err(engine_err)?;
    let node = find_node(s, wanted)?;
    if node.id == state.node_id {
        return Err(Error::fail(
            "Refusing to remove this host's own node, use scheduler-swarm:uninstall",
        ));
    }
    ctx.out.info1(&format!("Draining node {}", node.id));
    s.update_node(
        &node.id,
        &NodeUpdate {
            availability: Some("drain".into()),
            ..NodeUpdate::default()
        },
    )
    .map_err(engine_err)?;
    let timeout = Duration::from_secs(crate::deploy_timeout(ctx, "--global"));
    let start = Instant::now();
    while node.state == "ready" && running_tasks_on(s, &node.id)? > 0 {
        if start.elapsed() > timeout {
            ctx.out
                .warn("Timed out waiting for tasks to leave the node, removing it anyway");
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    if node.role == "manager" {
        ctx.out.verbose("Demoting the node to a worker");
        s.update_node(
            &node.id,
            &NodeUpdate {
                role: Some("worker".into()),
                ..NodeUpdate::default()
            },
        )
        .map_err(engine_err)?;
    }
    let mut left = false;
    if let Some(url) = node.labels.get(SSH_URL_LABEL) {
        match SshUrl::parse(url) {
            Ok(url) => {
                let r = ssh::run(
                    &ctx.paths.dokku_root,
                    &url,
                    HostKeys::Known,
                    &["docker", "swarm", "leave"],
                )?;
                left = r.success;
                if !r.success {
                    ctx.out.warn(&format!(
                        "Unable to make {} leave the swarm: {}",
                        url.to_url(),
                        r.stderr.trim()
                    ));
                }
            }
            Err(_) => ctx
                .out
                .warn(&format!("Ignoring the invalid ssh url label {url}")),
        }
    }
    if left {
        // The managers see the node go down shortly after it left.
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            match s.inspect_node(&node.id) {
                Ok(n) if n.state == "down" => break,
                Ok(_) => std::thread::sleep(Duration::from_millis(300)),
                Err(_) => break,
            }
        }
    }
    let down = s
        .inspect_node(&node.id)
        .map(|n| n.state == "down")
        .unwrap_or(true);
    s.remove_node(&node.id, !down).map_err(engine_err)?;
    ctx.out.verbose(&format!("Node {} removed", node.id));
    Ok(())
}

/// `scheduler-swarm:uninstall`: every node added over ssh leaves, then this
/// host's engine leaves the swarm.
pub fn uninstall(ctx: &Ctx) -> Result<()> {
    let s = swarm(ctx)?;
    let state = s.swarm_state().map_err(engine_err)?;
    if !state.active() {
        ctx.out
            .info1("Swarm cluster not initialized, nothing to uninstall");
        return Ok(());
    }
    ctx.out.info1("Removing the swarm cluster");
    if state.is_manager {
        for node in s.list_nodes().map_err(engine_err)? {
            if node.id == state.node_id {
                continue;
            }
            if let Some(url) = node
                .labels
                .get(SSH_URL_LABEL)
                .and_then(|u| SshUrl::parse(u).ok())
            {
                let r = ssh::run(
                    &ctx.paths.dokku_root,
                    &url,
                    HostKeys::Known,
                    &["docker", "swarm", "leave", "--force"],
                )?;
                if !r.success {
                    ctx.out.warn(&format!(
                        "Unable to make {} leave the swarm: {}",
                        url.to_url(),
                        r.stderr.trim()
                    ));
                }
            }
        }
    }
    s.swarm_leave(true).map_err(engine_err)?;
    ctx.out.verbose("This host left the swarm cluster");
    Ok(())
}
