//! A swarm app's services in full: `ps:inspect` (`scheduler-inspect`,
//! the services as `docker service inspect` describes them, env values
//! masked as the local scheduler masks its containers'), the full specs
//! `scheduler-swarm:show-service` adds, and the cluster rows of
//! `scheduler-swarm:report --global`.

use dokku_core::report::Rows;
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;
use serde_json::Value;

use crate::cluster;
use crate::deploy::{APP_LABEL, PROCESS_LABEL};
use crate::run::TYPE_LABEL;

/// Env names whose values are shown.
const SHOWN: [&str; 5] = ["PATH", "PORT", "DYNO", "HOME", "HOSTNAME"];

/// Mask the env values of a service description.
pub fn mask(service: &mut Value) {
    let container = &mut service["Spec"]["TaskTemplate"]["ContainerSpec"];
    if let Some(env) = container.get_mut("Env").and_then(Value::as_array_mut) {
        for e in env.iter_mut() {
            let masked = e.as_str().and_then(|s| match s.split_once('=') {
                Some((k, _)) if !SHOWN.contains(&k) && k != "DOKKU_APP_TYPE" => {
                    Some(format!("{k}=XXXXXXXX"))
                }
                _ => None,
            });
            if let Some(m) = masked {
                *e = Value::String(m);
            }
        }
    }
}

/// Drop a service description's pull options: the registry credentials,
/// should an engine report them, are never printed.
fn without_credentials(mut service: Value) -> Value {
    if let Some(c) = service["Spec"]["TaskTemplate"]["ContainerSpec"].as_object_mut() {
        c.remove("PullOptions");
    }
    service
}

/// Print the app's services as a JSON array, sorted by name.
pub fn inspect(ctx: &Ctx, app: &str) -> Result<()> {
    let mut all = services(ctx, app, None)?;
    all.iter_mut().for_each(mask);
    let text = serde_json::to_string_pretty(&Value::Array(all)).unwrap_or_else(|_| "[]".into());
    ctx.out.line(&text);
    Ok(())
}

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
                manager = format!("{}:{}", st.node_addr, cluster::MANAGER_PORT);
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
/// with `process`), as `docker service inspect` shows them, one-off runs
/// left out.
pub fn services(ctx: &Ctx, app: &str, process: Option<&str>) -> Result<Vec<Value>> {
    cluster::manager(ctx)?;
    let mut list: Vec<Value> = crate::logs::workloads(ctx)?
        .services_raw(&format!("{APP_LABEL}={app}"))
        .map_err(|e| Error::other("docker", e))?
        .into_iter()
        .filter(|v| {
            let labels = &v["Spec"]["Labels"];
            labels[TYPE_LABEL].as_str() != Some("run")
                && process.is_none_or(|p| labels[PROCESS_LABEL].as_str() == Some(p))
        })
        .map(without_credentials)
        .collect();
    list.sort_by(|a, b| a["Spec"]["Name"].as_str().cmp(&b["Spec"]["Name"].as_str()));
    Ok(list)
}

/// A service's full spec as indented JSON lines.
pub fn spec_lines(ctx: &Ctx, service: &str) -> Result<Vec<String>> {
    let v = cluster::manager(ctx)?
        .inspect_service_raw(service)
        .map(without_credentials)
        .map_err(|e| Error::other("docker", e))?;
    let text = serde_json::to_string_pretty(&v["Spec"])
        .map_err(|e| Error::other("encode service spec", e))?;
    Ok(text.lines().map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values_are_masked_and_credentials_dropped() {
        let mut v = serde_json::json!({"Spec": {"TaskTemplate": {"ContainerSpec": {
            "Env": ["SECRET=x", "PORT=5000", "DOKKU_APP_TYPE=web", "EMPTY"],
            "PullOptions": {"RegistryAuth": "x"}
        }}}});
        v = without_credentials(v);
        mask(&mut v);
        let c = &v["Spec"]["TaskTemplate"]["ContainerSpec"];
        assert_eq!(
            c["Env"],
            serde_json::json!([
                "SECRET=XXXXXXXX",
                "PORT=5000",
                "DOKKU_APP_TYPE=web",
                "EMPTY"
            ])
        );
        assert!(c.get("PullOptions").is_none());
    }
}
