//! Where domains live, as with Dokku: an app's domains one per line in
//! `$DOKKU_ROOT/<app>/VHOST`, the global domains in `$DOKKU_ROOT/VHOST`.
//! An app whose `VHOST` file does not exist yet gets the defaults from the
//! global domains. Disabled vhosts are recorded in the domains `disabled`
//! property (an app `NO_VHOST=1` env var from older installs counts too).

use std::path::PathBuf;

use dokku_core::property::Properties;
use dokku_core::{fsutil, Paths, Result};
use dokku_trigger::deploy::first_answer;
use dokku_trigger::proxy::NginxHostname;
use dokku_trigger::triggers::ConfigGet;
use dokku_trigger::Ctx;

use crate::validate;

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "domains";

fn app_file(paths: &Paths, app: &str) -> PathBuf {
    paths.app_dir(app).join("VHOST")
}

fn global_file(paths: &Paths) -> PathBuf {
    paths.dokku_root.join("VHOST")
}

fn read_list(path: &std::path::Path) -> Option<Vec<String>> {
    let text = fsutil::read_optional(path).ok().flatten()?;
    Some(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

fn write_list(path: &std::path::Path, items: &[String]) -> Result<()> {
    let mut s = String::new();
    for i in items {
        s.push_str(i);
        s.push('\n');
    }
    fsutil::write_atomic(path, s.as_bytes(), 0o644)
}

/// The global domains.
pub fn global(paths: &Paths) -> Vec<String> {
    read_list(&global_file(paths)).unwrap_or_default()
}

/// Replace the global domains; an empty list removes the file.
pub fn set_global(paths: &Paths, domains: &[String]) -> Result<()> {
    let _lock = dokku_core::lock::StateLock::acquire(paths, "--global")?;
    if domains.is_empty() {
        return fsutil::remove_file(&global_file(paths));
    }
    write_list(&global_file(paths), domains)
}

/// The domains stored for an app, `None` when its file was never written.
pub fn stored(paths: &Paths, app: &str) -> Option<Vec<String>> {
    read_list(&app_file(paths, app))
}

/// Replace an app's domains (an empty file when `domains` is empty).
pub fn set_app(paths: &Paths, app: &str, domains: &[String]) -> Result<()> {
    let _lock = dokku_core::lock::StateLock::acquire(paths, app)?;
    write_list(&app_file(paths, app), domains)
}

/// Forget an app's domains file, so the defaults apply again.
pub fn remove_app_file(paths: &Paths, app: &str) -> Result<()> {
    fsutil::remove_file(&app_file(paths, app))
}

/// The default domain of an app under one global domain: an answer of
/// `nginx-hostname`, else the app name itself when it looks like a full
/// domain, else `<app>.<global>`.
pub fn default_vhost(ctx: &Ctx, app: &str, global: &str) -> String {
    let t = NginxHostname {
        app: app.to_string(),
        subdomain: app.to_string(),
        vhost: global.to_string(),
    };
    if let Some(h) = ctx.bus.collect(ctx, &t).ok().and_then(first_answer) {
        return h;
    }
    if app.contains('.') {
        return app.to_string();
    }
    format!("{app}.{global}")
}

/// The default domains of an app: one per global domain that is a name.
pub fn defaults(ctx: &Ctx, app: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for g in global(&ctx.paths) {
        if validate::is_ip(&g) {
            continue;
        }
        let d = default_vhost(ctx, app, &g);
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// An app's configured domains: its file, else the defaults.
pub fn app_domains(ctx: &Ctx, app: &str) -> Vec<String> {
    stored(&ctx.paths, app).unwrap_or_else(|| defaults(ctx, app))
}

/// Whether vhosts are enabled for an app.
pub fn vhost_enabled(ctx: &Ctx, app: &str) -> bool {
    if Properties::new(&ctx.paths, PLUGIN)
        .get_str(app, "disabled")
        .trim()
        == "true"
    {
        return false;
    }
    let no_vhost = ctx
        .bus
        .collect(
            ctx,
            &ConfigGet {
                app: app.to_string(),
                key: "NO_VHOST".into(),
            },
        )
        .ok()
        .and_then(first_answer);
    no_vhost.as_deref() != Some("1")
}

/// Record whether vhosts are enabled for an app.
pub fn set_vhost_enabled(paths: &Paths, app: &str, enabled: bool) -> Result<()> {
    Properties::new(paths, PLUGIN).set_enabled(app, enabled)
}

/// The domains an app answers on: none when its vhosts are disabled.
pub fn served(ctx: &Ctx, app: &str) -> Vec<String> {
    if vhost_enabled(ctx, app) {
        app_domains(ctx, app)
    } else {
        Vec::new()
    }
}
