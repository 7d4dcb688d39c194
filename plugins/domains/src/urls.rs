//! The URLs an app answers on through its proxy: one per domain and
//! http(s) port mapping, the port omitted when it is the scheme's default.

use dokku_core::fsutil;
use dokku_trigger::proxy::{answer_is_true, port_maps, CertsExists, ProxyIsEnabled};
use dokku_trigger::Ctx;

use crate::store;

fn hostname(ctx: &Ctx) -> String {
    let from_file = fsutil::read_optional(&ctx.paths.dokku_root.join("HOSTNAME"))
        .ok()
        .flatten()
        .unwrap_or_default();
    let h = from_file.trim();
    if !h.is_empty() {
        return h.to_string();
    }
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// Every URL of an app, http ones first; empty when its proxy is disabled.
pub fn urls(ctx: &Ctx, app: &str) -> Vec<String> {
    let a = app.to_string();
    if !ctx
        .bus
        .collect(ctx, &ProxyIsEnabled { app: a.clone() })
        .map(|v| answer_is_true(v, true))
        .unwrap_or(true)
    {
        return Vec::new();
    }
    let ssl = ctx
        .bus
        .collect(ctx, &CertsExists { app: a.clone() })
        .map(|v| answer_is_true(v, false))
        .unwrap_or(false);
    let maps = port_maps(ctx, app).unwrap_or_default();
    let mut domains = store::served(ctx, app);
    if domains.is_empty() {
        domains.push(hostname(ctx));
    }
    let mut out = Vec::new();
    for scheme in ["http", "https"] {
        if scheme == "https" && !ssl {
            continue;
        }
        for m in &maps {
            let mut parts = m.split(':');
            let (Some(s), Some(port)) = (parts.next(), parts.next()) else {
                continue;
            };
            if s != scheme {
                continue;
            }
            let default = if scheme == "http" { "80" } else { "443" };
            for d in &domains {
                let d = if d.contains(':') && !d.starts_with('[') {
                    format!("[{d}]")
                } else {
                    d.clone()
                };
                let url = if port == default {
                    format!("{scheme}://{d}")
                } else {
                    format!("{scheme}://{d}:{port}")
                };
                if !out.contains(&url) {
                    out.push(url);
                }
            }
        }
    }
    out
}
