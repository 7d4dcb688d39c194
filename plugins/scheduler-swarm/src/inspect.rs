//! `ps:inspect` (`scheduler-inspect`) of a swarm app: its services as the
//! engine describes them (`docker service inspect`), env values masked as
//! the local scheduler masks its containers'.

use dokku_core::{Error, Result};
use dokku_trigger::Ctx;
use serde_json::Value;

use crate::cluster;
use crate::deploy::services;

/// Env names whose values are shown.
const SHOWN: [&str; 5] = ["PATH", "PORT", "DYNO", "HOME", "HOSTNAME"];

/// Mask the env values of a service description and drop pull options
/// (credentials, should an engine report them).
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
    if let Some(c) = container.as_object_mut() {
        c.remove("PullOptions");
    }
}

/// Print the app's services as a JSON array, sorted by name.
pub fn inspect(ctx: &Ctx, app: &str) -> Result<()> {
    let s = cluster::manager(ctx)?;
    let mut list = services(s, app)?;
    list.sort_by(|a, b| a.name.cmp(&b.name));
    let mut all = Vec::new();
    for svc in list {
        let mut v = s
            .inspect_service_raw(&svc.id)
            .map_err(|e| Error::other("docker", e))?;
        mask(&mut v);
        all.push(v);
    }
    let text = serde_json::to_string_pretty(&Value::Array(all)).unwrap_or_else(|_| "[]".into());
    ctx.out.line(&text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values_are_masked() {
        let mut v = serde_json::json!({"Spec": {"TaskTemplate": {"ContainerSpec": {
            "Env": ["SECRET=x", "PORT=5000", "DOKKU_APP_TYPE=web", "EMPTY"],
            "PullOptions": {"RegistryAuth": "x"}
        }}}});
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
