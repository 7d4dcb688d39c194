//! Where an app's port mappings live: the configured ones in the ports
//! `map` property and the ones detected from the deployed image in
//! `map-detected`, one mapping per line.

use dokku_core::property::Properties;
use dokku_core::{Paths, Result};
use dokku_trigger::deploy::first_answer;
use dokku_trigger::proxy::{answer_is_true, CertsExists, CertsForce, ProxyGetProperty};
use dokku_trigger::Ctx;

use crate::portmap::{self, PortMap};

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "ports";

/// The container port of a web process when the image exposes none.
pub const DEFAULT_CONTAINER_PORT: u16 = 5000;

fn read_list(paths: &Paths, app: &str, key: &str) -> Vec<PortMap> {
    let items = Properties::new(paths, PLUGIN)
        .list_get(app, key)
        .unwrap_or_default();
    items
        .iter()
        .flat_map(|l| l.split_whitespace())
        .filter_map(|s| portmap::parse(s).ok())
        .collect()
}

fn write_list(paths: &Paths, app: &str, key: &str, maps: &[PortMap]) -> Result<()> {
    let props = Properties::new(paths, PLUGIN);
    let _lock = dokku_core::lock::StateLock::acquire(paths, app)?;
    if maps.is_empty() {
        return props.delete(app, key);
    }
    dokku_core::fsutil::ensure_dir(&props.app_dir(app))?;
    props.list_write(
        app,
        key,
        &maps.iter().map(ToString::to_string).collect::<Vec<_>>(),
    )
}

/// The configured mappings (`ports:set|add|remove|clear`).
pub fn configured(paths: &Paths, app: &str) -> Vec<PortMap> {
    read_list(paths, app, "map")
}

/// Replace the configured mappings; an empty list clears them.
pub fn set_configured(paths: &Paths, app: &str, maps: &[PortMap]) -> Result<()> {
    write_list(paths, app, "map", maps)
}

/// The detected mappings as stored, without the default.
pub fn stored_detected(paths: &Paths, app: &str) -> Vec<PortMap> {
    read_list(paths, app, "map-detected")
}

/// Replace the detected mappings; an empty list falls back to the default.
pub fn set_detected(paths: &Paths, app: &str, maps: &[PortMap]) -> Result<()> {
    write_list(paths, app, "map-detected", maps)
}

fn proxy_port(ctx: &Ctx, app: &str, key: &str, default: u16) -> u16 {
    let t = ProxyGetProperty {
        app: app.to_string(),
        key: key.to_string(),
    };
    ctx.bus
        .collect(ctx, &t)
        .ok()
        .and_then(first_answer)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The detected mappings: what the last deployed image exposed, else
/// `http:<proxy-port|80>:5000`.
pub fn detected(ctx: &Ctx, app: &str) -> Vec<PortMap> {
    let stored = read_list(&ctx.paths, app, "map-detected");
    if !stored.is_empty() {
        return stored;
    }
    vec![PortMap::new(
        "http",
        proxy_port(ctx, app, "proxy-port", 80),
        DEFAULT_CONTAINER_PORT,
    )]
}

/// Whether the app has (or is told to assume) a TLS certificate.
pub fn has_certificate(ctx: &Ctx, app: &str) -> bool {
    let exists = ctx
        .bus
        .collect(
            ctx,
            &CertsExists {
                app: app.to_string(),
            },
        )
        .map(|a| answer_is_true(a, false))
        .unwrap_or(false);
    exists
        || ctx
            .bus
            .collect(
                ctx,
                &CertsForce {
                    app: app.to_string(),
                },
            )
            .map(|a| answer_is_true(a, false))
            .unwrap_or(false)
}

/// The mappings in effect: the configured ones, else the detected ones;
/// with a certificate and no https mapping yet, each `http:<proxy-port>`
/// mapping gains an `https:<proxy-ssl-port|443>` twin.
pub fn effective(ctx: &Ctx, app: &str) -> Vec<PortMap> {
    let mut maps = configured(&ctx.paths, app);
    if maps.is_empty() {
        maps = detected(ctx, app);
    }
    if maps.iter().any(|m| m.scheme == "https") || !has_certificate(ctx, app) {
        return maps;
    }
    let http_port = proxy_port(ctx, app, "proxy-port", 80);
    let ssl_port = proxy_port(ctx, app, "proxy-ssl-port", 443);
    let twins: Vec<PortMap> = maps
        .iter()
        .filter(|m| m.scheme == "http" && m.host_port == http_port)
        .map(|m| PortMap::new("https", ssl_port, m.container_port))
        .collect();
    for t in twins {
        if !maps.iter().any(|m| m.listen_key() == t.listen_key()) {
            maps.push(t);
        }
    }
    maps
}

/// `post-certs-update`: each `http:80` mapping gains an `https:443` one to
/// the same container port, written to the configured mappings, unless an
/// `https:443` mapping is there already (apps terminating TLS themselves
/// keep theirs).
pub fn add_ssl_maps(ctx: &Ctx, app: &str) -> Result<()> {
    let mut maps = configured(&ctx.paths, app);
    if maps.is_empty() {
        maps = detected(ctx, app);
    }
    if maps
        .iter()
        .any(|m| m.scheme == "https" && m.host_port == 443)
    {
        return Ok(());
    }
    let twins: Vec<PortMap> = maps
        .iter()
        .filter(|m| m.scheme == "http" && m.host_port == 80)
        .map(|m| PortMap::new("https", 443, m.container_port))
        .collect();
    if twins.is_empty() {
        return Ok(());
    }
    maps.extend(twins);
    set_configured(&ctx.paths, app, &maps)
}

/// `post-certs-remove`: the configured `https:443` mappings go.
pub fn remove_ssl_maps(ctx: &Ctx, app: &str) -> Result<()> {
    let maps = configured(&ctx.paths, app);
    let kept: Vec<PortMap> = maps
        .iter()
        .filter(|m| !(m.scheme == "https" && m.host_port == 443))
        .cloned()
        .collect();
    if kept.len() == maps.len() {
        return Ok(());
    }
    set_configured(&ctx.paths, app, &kept)
}

/// The mappings an image calls for: each exposed TCP port on itself for
/// images built from a Dockerfile, else none (the default applies).
pub fn from_image(exposed_ports: &[String], builder: &str) -> Vec<PortMap> {
    if !(builder.is_empty() || builder == "dockerfile") {
        return Vec::new();
    }
    let mut ports: Vec<u16> = exposed_ports
        .iter()
        .filter_map(|p| {
            let (n, proto) = p.split_once('/').unwrap_or((p.as_str(), "tcp"));
            (proto == "tcp").then(|| n.parse().ok()).flatten()
        })
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
        .into_iter()
        .map(|p| PortMap::new("http", p, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_ports() {
        let exposed = vec![
            "8080/tcp".to_string(),
            "53/udp".to_string(),
            "3000/tcp".to_string(),
        ];
        assert_eq!(
            portmap::join(&from_image(&exposed, "dockerfile")),
            "http:3000:3000 http:8080:8080"
        );
        assert_eq!(
            portmap::join(&from_image(&exposed, "")),
            "http:3000:3000 http:8080:8080"
        );
        assert!(from_image(&exposed, "herokuish").is_empty());
        assert!(from_image(&[], "dockerfile").is_empty());
    }
}
