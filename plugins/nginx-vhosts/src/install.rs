//! The parts of the install step that lay files down: the plugin's
//! templates in its core plugin directory (where Dokku's package ships
//! them, and where the package scripts pick the default site from), the
//! `server_names_hash_bucket_size` include, and the deprecated
//! `DOKKU_NGINX_PORT` / `DOKKU_NGINX_SSL_PORT` variables moved into proxy
//! properties.

use std::path::Path;

use dokku_core::{fsutil, Result};
use dokku_trigger::migrate::{self, verbatim};
use dokku_trigger::Ctx;

use crate::template;

/// The include that lets long server names (60+ character app names with
/// extra domains) pass `nginx -t`.
pub const HASH_BUCKET_FILE: &str = "server_names_hash_bucket_size.conf";
/// Its content.
pub const HASH_BUCKET_CONF: &str = "server_names_hash_bucket_size 512;\n";
/// The catch-all for nginx older than 1.19.4 (no `ssl_reject_handshake`).
pub const DEFAULT_SITE_LEGACY: &str = include_str!("../templates/default-site-legacy.conf");

/// Every file of `templates/`, by name.
pub fn templates() -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = [
        ("nginx.conf.sigil", template::NGINX_CONF),
        ("dokku.conf.sigil", template::DOKKU_CONF),
        ("hsts.conf.sigil", template::HSTS_CONF),
        ("validate.conf.sigil", template::VALIDATE_CONF),
        ("default-site.conf", template::DEFAULT_SITE),
        ("default-site-legacy.conf", DEFAULT_SITE_LEGACY),
    ]
    .into_iter()
    .map(|(n, b)| (n, b.to_string()))
    .collect();
    v.extend(crate::pages::PAGES.iter().map(|(n, b)| (*n, b.clone())));
    v
}

/// Write the templates under `$PLUGIN_CORE_AVAILABLE_PATH/nginx-vhosts/`.
pub fn write_templates(ctx: &Ctx) -> Result<()> {
    let dir = ctx
        .paths
        .plugin_core_available
        .join(crate::PLUGIN.name)
        .join("templates");
    for (name, body) in templates() {
        let path = dir.join(name);
        if fsutil::read_optional(&path)?.as_deref() != Some(body.as_str()) {
            fsutil::write_atomic(&path, body.as_bytes(), 0o644)?;
        }
    }
    Ok(())
}

/// `<conf.d>/server_names_hash_bucket_size.conf`, only when missing (an
/// operator's own value is kept).
pub fn write_hash_bucket_include(conf_dir: &Path) -> Result<()> {
    let path = conf_dir.join(HASH_BUCKET_FILE);
    if path.exists() {
        return Ok(());
    }
    fsutil::write_atomic(&path, HASH_BUCKET_CONF.as_bytes(), 0o644)
}

/// Move the nginx-era port variables into the proxy plugin's properties.
pub fn migrate_ports(ctx: &Ctx) -> Result<()> {
    migrate::ensure_env_migrated(ctx)?;
    for (var, property) in [
        ("DOKKU_NGINX_PORT", "proxy-port"),
        ("DOKKU_NGINX_SSL_PORT", "proxy-ssl-port"),
    ] {
        migrate::config_to_property_everywhere(ctx, "proxy", var, property, false, verbatim)?;
    }
    Ok(())
}

/// Earlier builds kept the nginx properties under `config/nginx-vhosts/`;
/// Dokku keeps them under `config/nginx/`. Move every file that has no
/// counterpart at the new place, then drop the old tree.
pub fn move_property_root(ctx: &Ctx) -> Result<()> {
    let old = ctx.paths.plugin_config_dir(crate::props::PLUGIN);
    if !old.is_dir() {
        return Ok(());
    }
    let new = ctx.paths.plugin_config_dir(crate::props::STORE);
    if !new.exists() {
        std::fs::rename(&old, &new).map_err(|e| dokku_core::Error::io("rename", &old, e))?;
        return migrate::reown_property_tree(&new);
    }
    let scopes =
        std::fs::read_dir(&old).map_err(|e| dokku_core::Error::io("read directory", &old, e))?;
    for scope in scopes.flatten() {
        let Ok(files) = std::fs::read_dir(scope.path()) else {
            continue;
        };
        for file in files.flatten() {
            let target = new.join(scope.file_name()).join(file.file_name());
            if !target.exists() {
                fsutil::ensure_dir(&new.join(scope.file_name()))?;
                std::fs::rename(file.path(), &target)
                    .map_err(|e| dokku_core::Error::io("rename", file.path(), e))?;
            }
        }
    }
    fsutil::remove_dir_all(&old)?;
    migrate::reown_property_tree(&new)
}
