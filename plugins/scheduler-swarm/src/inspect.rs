//! The cluster and services in full: the `scheduler-swarm:report` rows of
//! the cluster (`--global`), and the full service specs
//! `scheduler-swarm:show-service` adds.

use dokku_core::report::Rows;
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

/// The cluster rows of the global report. Empty values when this host is
/// not in a swarm or its engine cannot tell.
pub fn cluster_rows(ctx: &Ctx) -> Result<Rows> {
    let mut state = String::new();
    let mut node_id = String::new();
    let mut manager = String::new();
    let mut nodes = Vec::new();
    if let Some(s) = ctx.engine().ok().and_then(|e| e.swarm()) {
        if let Ok(st) = s.swarm_state() {
            state = st.local_state.clone();
            node_id = st.node_id.clone();
            if st.active() && st.is_manager {
                manager = format!("{}:{}", st.node_addr, crate::cluster::MANAGER_PORT);
                let mut list = s.list_nodes().unwrap_or_default();
                list.sort_by(|a, b| (&a.addr, &a.id).cmp(&(&b.addr, &b.id)));
                nodes = list
                    .iter()
                    .map(|n| format!("{} {} {}", n.addr, n.role, n.state))
                    .collect();
            }
        }
    }
    Ok(vec![
        ("--scheduler-swarm-cluster-state".into(), state),
        ("--scheduler-swarm-manager-address".into(), manager),
        ("--scheduler-swarm-node-id".into(), node_id),
        (
            "--scheduler-swarm-node-count".into(),
            if nodes.is_empty() {
                String::new()
            } else {
                nodes.len().to_string()
            },
        ),
        ("--scheduler-swarm-nodes".into(), nodes.join(", ")),
    ])
}

/// The engine's full record of the app's services (one process type's
/// with `process`), as `docker service inspect` shows them.
pub fn services(ctx: &Ctx, app: &str, process: Option<&str>) -> Result<Vec<serde_json::Value>> {
    let w = crate::logs::workloads(ctx)?;
    let mut list = w
        .services_raw(&format!("{}={app}", crate::deploy::APP_LABEL))
        .map_err(|e| Error::other("docker", e))?;
    list.retain(|v| {
        let labels = &v["Spec"]["Labels"];
        labels[crate::run::TYPE_LABEL].as_str() != Some("run")
            && process.is_none_or(|p| labels[crate::deploy::PROCESS_LABEL].as_str() == Some(p))
    });
    list.sort_by(|a, b| a["Spec"]["Name"].as_str().cmp(&b["Spec"]["Name"].as_str()));
    Ok(list)
}

/// A service's full spec as indented JSON lines.
pub fn spec_lines(ctx: &Ctx, service: &str) -> Result<Vec<String>> {
    let w = crate::logs::workloads(ctx)?;
    let v = w
        .service_raw(service)
        .map_err(|e| Error::other("docker", e))?;
    let text = serde_json::to_string_pretty(&v["Spec"])
        .map_err(|e| Error::other("encode service spec", e))?;
    Ok(text.lines().map(str::to_string).collect())
}
