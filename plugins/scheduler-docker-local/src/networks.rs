//! The network properties of an app applied to its deployed containers
//! (asked of the network plugin through `network-get-property`): the
//! `<app>.<proc>` aliases (and `<app>.<proc>.<tld>`) on user networks,
//! publishing the web port with `bind-all-interfaces`, and joining the
//! `attach-post-create` and `attach-post-deploy` networks.

use dokku_core::{Error, Result};
use dokku_docker::{ContainerEngine, ContainerSpec, PortBinding, Protocol};
use dokku_trigger::proxy::NetworkGetProperty;
use dokku_trigger::Ctx;

/// The computed value of one network property of an app.
pub fn property(ctx: &Ctx, app: &str, key: &str) -> Result<String> {
    NetworkGetProperty::value(ctx, app, key)
}

/// The networks a property names (comma- or space-separated).
fn names(value: &str) -> impl Iterator<Item = &str> {
    value
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Whether a `--network` value is a user-defined network, where aliases
/// resolve (not the default bridge, the host, none, or another
/// container's stack).
fn is_user_network(network: &str) -> bool {
    !matches!(network, "" | "bridge" | "default" | "host" | "none")
        && !network.starts_with("container:")
}

/// The aliases of a process type's containers.
pub fn aliases(ctx: &Ctx, app: &str, proc_type: &str) -> Result<Vec<String>> {
    NetworkGetProperty::aliases(ctx, app, proc_type)
}

/// Complete a deploy container's spec: aliases on its initial network,
/// and the web port published on every interface with
/// `bind-all-interfaces`.
pub fn prepare(
    ctx: &Ctx,
    app: &str,
    proc_type: &str,
    port: u16,
    spec: &mut ContainerSpec,
) -> Result<()> {
    if spec.network.as_deref().is_some_and(is_user_network) {
        spec.network_aliases = aliases(ctx, app, proc_type)?;
    }
    let host = spec.network.as_deref() == Some("host");
    if proc_type == "web" && !host && property(ctx, app, "bind-all-interfaces")? == "true" {
        spec.ports.push(PortBinding {
            container_port: port,
            protocol: Protocol::Tcp,
            host_ip: None,
            host_port: None,
        });
    }
    Ok(())
}

/// Join a container to the networks the property `key`
/// (`attach-post-create` or `attach-post-deploy`) names, with the process
/// type's aliases; networks it is already on are skipped.
pub fn attach(
    ctx: &Ctx,
    engine: &dyn ContainerEngine,
    app: &str,
    proc_type: &str,
    id: &str,
    key: &str,
) -> Result<()> {
    let value = property(ctx, app, key)?;
    if value.is_empty() {
        return Ok(());
    }
    let aliases = aliases(ctx, app, proc_type)?;
    let joined = engine
        .inspect_container(id)
        .map_err(|e| Error::other("inspect container", e))?
        .networks;
    for network in names(&value) {
        if joined.contains_key(network) {
            continue;
        }
        engine
            .connect_network(network, id, &aliases)
            .map_err(|e| Error::other("connect network", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_networks() {
        for n in ["bridge", "host", "none", "default", "container:abc", ""] {
            assert!(!is_user_network(n), "{n}");
        }
        assert!(is_user_network("test-net"));
        assert_eq!(names("a, b c").collect::<Vec<_>>(), vec!["a", "b", "c"]);
    }
}
