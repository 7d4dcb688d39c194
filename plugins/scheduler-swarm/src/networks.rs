//! Networks of swarm apps. Services can only join swarm-scoped networks,
//! so `network:create` makes attachable overlay networks once this host is
//! a swarm manager (the network plugin asks the engine). A swarm app's
//! tasks join, when created, every network its `initial-network`,
//! `attach-post-create` and `attach-post-deploy` properties name: a task
//! cannot join a network later, so the three mean the same here; a
//! `--network` docker option of a process type adds its network. On a
//! network the service answers by its name `<app>-<process>` (DNS
//! round-robin over its tasks).

use dokku_core::{Error, Result};
use dokku_trigger::proxy::NetworkGetProperty;
use dokku_trigger::Ctx;

/// The network properties a swarm app's tasks join.
pub const PROPERTIES: [&str; 3] = [
    "initial-network",
    "attach-post-create",
    "attach-post-deploy",
];

/// The user networks named by property values (comma- or
/// space-separated), in order, without repeats; the engine's own
/// `bridge`/`host`/`none` are not joined.
pub fn names(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        for n in v.split([',', ' ', '\t']).map(str::trim) {
            if n.is_empty() || matches!(n, "bridge" | "default" | "host" | "none") {
                continue;
            }
            if !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        }
    }
    out
}

/// The networks the app's tasks join (with `extra`, those of `--network`
/// options), each checked to be a swarm network.
pub fn for_app(ctx: &Ctx, app: &str, extra: &[String]) -> Result<Vec<String>> {
    let mut values = PROPERTIES
        .iter()
        .map(|k| NetworkGetProperty::value(ctx, app, k))
        .collect::<Result<Vec<String>>>()?;
    values.extend(extra.iter().cloned());
    let wanted = names(&values);
    let engine = ctx.engine()?;
    for n in &wanted {
        match engine.inspect_network(n) {
            Ok(info) if info.scope == "swarm" => {}
            Ok(_) => {
                return Err(Error::fail(format!(
                    "Network {n} is not a swarm network: swarm services join overlay networks only (network:create makes one once the swarm is initialized)"
                )))
            }
            Err(e) if e.is_not_found() => {
                return Err(Error::fail(format!("Network {n} does not exist")))
            }
            Err(e) => return Err(Error::other("inspect network", e)),
        }
    }
    Ok(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_named_once_without_the_engines_own() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            names(&v(&["bridge", "a,b", "b c", ""])),
            v(&["a", "b", "c"])
        );
    }
}
