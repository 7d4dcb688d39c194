//! Docker networks as the `network:*` commands see them: create, destroy,
//! exists, info, list, and the checks `network:set` applies to network
//! names.

use std::io::BufRead;

use dokku_core::{Error, Result};
use dokku_docker::{ContainerEngine, EngineError, NetworkInfo, NetworkSpec};
use dokku_trigger::Ctx;
use serde_json::{json, Value};

/// The label `network:create` puts on the networks it creates; its
/// presence is what makes a network Dokku-managed.
pub const MANAGED_LABEL: &str = "com.dokku.network-name";

/// How `network:info` and `network:list` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable lines.
    Text,
    /// JSON for automation.
    Json,
}

impl Format {
    /// Parse `--format`; absent means text.
    pub fn parse(value: Option<&str>) -> Result<Format> {
        match value {
            None | Some("text") => Ok(Format::Text),
            Some("json") => Ok(Format::Json),
            Some(_) => Err(Error::fail(
                "Invalid format specified, use either text or json",
            )),
        }
    }
}

/// Whether docker accepts `name` as a network name: a letter or digit,
/// then letters, digits, `_`, `.` or `-`.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn engine_err(what: &'static str) -> impl Fn(EngineError) -> Error {
    move |e| Error::other(what, e)
}

/// The engine's own words for a refusal (`network ... has active
/// endpoints`), else the error with its context.
fn refusal(e: EngineError) -> Error {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = s.to_string();
        source = s.source();
    }
    Error::fail(text)
}

/// Whether a network of that name (or id) exists.
pub fn exists(engine: &dyn ContainerEngine, name: &str) -> Result<bool> {
    match engine.inspect_network(name) {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(engine_err("inspect network")(e)),
    }
}

fn require_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::fail("No network name specified"));
    }
    Ok(())
}

/// `network:create`: an attachable bridge network labelled as Dokku's.
pub fn create(ctx: &Ctx, name: &str) -> Result<()> {
    require_name(name)?;
    if !is_valid_name(name) {
        return Err(Error::fail(format!(
            "Invalid network name specified: {name}"
        )));
    }
    let engine = ctx.engine()?;
    if exists(engine, name)? {
        return Err(Error::fail(format!(
            "network with name {name} already exists"
        )));
    }
    ctx.out.info1_quiet(&format!("Creating network {name}"));
    let spec = NetworkSpec {
        name: name.to_string(),
        driver: Some(driver(engine).into()),
        attachable: true,
        labels: [(MANAGED_LABEL.to_string(), name.to_string())].into(),
    };
    engine.create_network(&spec).map_err(refusal)?;
    Ok(())
}

/// The driver of new networks: `bridge`, or on a swarm manager an
/// attachable `overlay`, which both standalone containers and the swarm
/// scheduler's services can join.
fn driver(engine: &dyn ContainerEngine) -> &'static str {
    let manager = engine
        .swarm()
        .and_then(|s| s.swarm_state().ok())
        .is_some_and(|st| st.active() && st.is_manager);
    if manager {
        "overlay"
    } else {
        "bridge"
    }
}

/// `network:destroy`: asks for the name unless forced; the engine refuses
/// a network that still has containers.
pub fn destroy(ctx: &Ctx, name: &str, force: bool, input: &mut dyn BufRead) -> Result<()> {
    require_name(name)?;
    let engine = ctx.engine()?;
    if !exists(engine, name)? {
        return Err(Error::fail("Network does not exist"));
    }
    if !force {
        ctx.out.warn("WARNING: Potentially Destructive Action");
        ctx.out
            .warn(&format!("This command will destroy network {name}."));
        ctx.out.warn(&format!("To proceed, type \"{name}\""));
        ctx.confirm_typed(name, input)?;
    }
    ctx.out.info1_quiet(&format!("Destroying network {name}"));
    engine.remove_network(name).map_err(refusal)
}

/// `network:exists`: fails when the network does not exist.
pub fn check_exists(ctx: &Ctx, name: &str) -> Result<()> {
    require_name(name)?;
    if !exists(ctx.engine()?, name)? {
        return Err(Error::fail("Network does not exist"));
    }
    Ok(())
}

/// The 12-character short form of an id, as docker's listings show it.
fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

fn is_managed(n: &NetworkInfo) -> bool {
    n.labels.contains_key(MANAGED_LABEL)
}

/// One network as `network:info --format json` and `network:list --format
/// json` print it: one compact object, keys in Dokku's order.
pub fn to_json(n: &NetworkInfo) -> String {
    let fields: [(&str, Value); 9] = [
        ("CreatedAt", json!(n.created)),
        ("DokkuManaged", json!(is_managed(n))),
        ("Driver", json!(n.driver)),
        ("ID", json!(short_id(&n.id))),
        ("Internal", json!(n.internal)),
        ("IPv6", json!(n.ipv6)),
        ("Labels", json!(n.labels)),
        ("Name", json!(n.name)),
        ("Scope", json!(n.scope)),
    ];
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", json!(k)))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// `network:info`.
pub fn info(ctx: &Ctx, name: &str, format: Format) -> Result<()> {
    require_name(name)?;
    let n = match ctx.engine()?.inspect_network(name) {
        Ok(n) => n,
        Err(e) if e.is_not_found() => {
            return Err(Error::fail(format!("Network {name} does not exist")))
        }
        Err(e) => return Err(engine_err("inspect network")(e)),
    };
    match format {
        Format::Json => ctx.out.line(&to_json(&n)),
        Format::Text => {
            ctx.out.info2(&format!("{} network information", n.name));
            let managed = is_managed(&n).to_string();
            for (label, value) in [
                ("ID:", short_id(&n.id)),
                ("Name:", n.name.as_str()),
                ("Driver:", n.driver.as_str()),
                ("Scope:", n.scope.as_str()),
                ("Dokku managed:", managed.as_str()),
            ] {
                ctx.out.verbose(&format!("{label:<16}{value}"));
            }
        }
    }
    Ok(())
}

/// `network:list`: every network (or only Dokku's), sorted by name.
pub fn list(ctx: &Ctx, format: Format, managed_only: bool) -> Result<()> {
    let networks: Vec<NetworkInfo> = ctx
        .engine()?
        .list_networks()
        .map_err(engine_err("list networks"))?
        .into_iter()
        .filter(|n| !managed_only || is_managed(n))
        .collect();
    match format {
        Format::Json => {
            if networks.is_empty() {
                ctx.out.line("[]");
                return Ok(());
            }
            let rows: Vec<String> = networks
                .iter()
                .map(|n| format!("    {}", to_json(n)))
                .collect();
            ctx.out.line(&format!("[\n{}\n]", rows.join(",\n")));
        }
        Format::Text => {
            ctx.out.info2_quiet("Networks");
            for n in &networks {
                ctx.out.line(&n.name);
            }
        }
    }
    Ok(())
}

/// The networks a property value names: comma- or space-separated.
pub fn names(value: &str) -> Vec<String> {
    value
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Join a container to `networks` (without aliases), skipping those it
/// is already on.
pub fn attach(ctx: &Ctx, container: &str, networks: &[String]) -> Result<()> {
    if networks.is_empty() {
        return Ok(());
    }
    let engine = ctx.engine()?;
    let joined = engine
        .inspect_container(container)
        .map_err(engine_err("inspect container"))?
        .networks;
    for network in networks {
        if joined.contains_key(network) {
            continue;
        }
        engine
            .connect_network(network, container, &[])
            .map_err(engine_err("connect network"))?;
    }
    Ok(())
}

/// Check the networks a `network:set` value names: valid names of
/// existing networks (one for `initial-network`).
pub fn check_attach_value(ctx: &Ctx, value: &str) -> Result<()> {
    let wanted = names(value);
    let mut engine = None;
    for name in &wanted {
        if !is_valid_name(name) {
            return Err(Error::fail(format!(
                "Invalid network name specified for attach: {name}"
            )));
        }
        let e = match engine {
            Some(e) => e,
            None => *engine.insert(ctx.engine()?),
        };
        if !exists(e, name)? {
            return Err(Error::fail(format!("Network {name} does not exist")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_formats() {
        for ok in ["a", "test-network", "a_b.c-1", "9x"] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in ["", "-a", ".a", "a b", "a/b", "a;b", "é"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
        assert_eq!(names(" a,b  c,"), vec!["a", "b", "c"]);
        assert_eq!(Format::parse(None).ok(), Some(Format::Text));
        assert_eq!(Format::parse(Some("json")).ok(), Some(Format::Json));
        assert!(Format::parse(Some("yaml")).is_err());
    }

    #[test]
    fn json_keys_are_sorted_and_the_id_short() {
        let n = NetworkInfo {
            id: "f50fa882e7de0123456789".into(),
            name: "test-network".into(),
            driver: "bridge".into(),
            scope: "local".into(),
            created: "2024-02-25T01:55:24.275184461Z".into(),
            labels: [(MANAGED_LABEL.to_string(), "test-network".to_string())].into(),
            ..NetworkInfo::default()
        };
        insta::assert_snapshot!(to_json(&n), @r#"{"CreatedAt":"2024-02-25T01:55:24.275184461Z","DokkuManaged":true,"Driver":"bridge","ID":"f50fa882e7de","Internal":false,"IPv6":false,"Labels":{"com.dokku.network-name":"test-network"},"Name":"test-network","Scope":"local"}"#);
    }
}
