//! Install-time moves of deprecated `DOKKU_*` config variables into plugin
//! properties. The environment is read and changed only through the config
//! triggers, and `config-migrate-env` runs first so that variables still in
//! an older `ENV` file are seen whatever order the install steps run in.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::Result;

use crate::deploy::first_answer;
use crate::triggers::{ConfigGet, ConfigGetGlobal, ConfigMigrateEnv, ConfigUnset};
use crate::Ctx;

/// Whose variable: one app's, or the global one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    /// The host-wide environment.
    Global,
    /// One app's own environment.
    App(&'a str),
}

impl Owner<'_> {
    fn name(&self) -> &str {
        match self {
            Owner::Global => GLOBAL,
            Owner::App(app) => app,
        }
    }
}

/// Drain older `ENV` files before any deprecated variable is read.
pub fn ensure_env_migrated(ctx: &Ctx) -> Result<()> {
    ctx.bus.notify(ctx, &ConfigMigrateEnv {})
}

/// The value of `var` in the owner's own environment (no merging), empty
/// when unset.
pub fn config_value(ctx: &Ctx, owner: Owner<'_>, var: &str) -> Result<String> {
    let answers = match owner {
        Owner::Global => ctx.bus.collect(ctx, &ConfigGetGlobal { key: var.into() })?,
        Owner::App(app) => ctx.bus.collect(
            ctx,
            &ConfigGet {
                app: app.into(),
                key: var.into(),
            },
        )?,
    };
    Ok(first_answer(answers).unwrap_or_default())
}

/// Remove `var` from the owner's environment, without a restart.
pub fn unset_config(ctx: &Ctx, owner: Owner<'_>, var: &str) -> Result<()> {
    ctx.bus.notify(
        ctx,
        &ConfigUnset {
            global: owner == Owner::Global,
            app: match owner {
                Owner::Global => String::new(),
                Owner::App(app) => app.to_string(),
            },
            key: var.into(),
            restart: String::new(),
        },
    )
}

/// The line logged when a deprecated variable becomes a property.
pub fn deprecated_message(
    plugin: &str,
    owner: Owner<'_>,
    var: &str,
    property: &str,
    value: &str,
) -> String {
    match owner {
        Owner::Global => format!(
            "Migrating deprecated global {var} to {plugin} {property} property. Use 'dokku {plugin}:set --global {property} {value}' to manage this going forward."
        ),
        Owner::App(app) => format!(
            "Migrating deprecated {var} to {plugin} {property} property for {app}. Use 'dokku {plugin}:set {app} {property} {value}' to manage this going forward."
        ),
    }
}

/// Move `var` of `owner` into the property `property` of `plugin` (stored
/// as `convert(value)`): only when the variable is set and the property is
/// not, with Dokku's log line. The variable is unset either way, as it no
/// longer has any effect.
pub fn config_to_property(
    ctx: &Ctx,
    plugin: &str,
    owner: Owner<'_>,
    var: &str,
    property: &str,
    convert: impl Fn(&str) -> String,
) -> Result<()> {
    let value = config_value(ctx, owner, var)?;
    if value.is_empty() {
        return Ok(());
    }
    let props = Properties::new(&ctx.paths, plugin);
    if !props.exists(owner.name(), property) {
        let stored = convert(&value);
        ctx.out
            .info1(&deprecated_message(plugin, owner, var, property, &stored));
        props.write(owner.name(), property, &stored)?;
    }
    unset_config(ctx, owner, var)
}

/// [`config_to_property`] for every app, then (when `global`) for the
/// global environment.
pub fn config_to_property_everywhere(
    ctx: &Ctx,
    plugin: &str,
    var: &str,
    property: &str,
    global: bool,
    convert: impl Fn(&str) -> String,
) -> Result<()> {
    for app in dokku_core::apps::list(&ctx.paths) {
        config_to_property(ctx, plugin, Owner::App(&app), var, property, &convert)?;
    }
    if global {
        config_to_property(ctx, plugin, Owner::Global, var, property, &convert)?;
    }
    Ok(())
}

/// The value unchanged.
pub fn verbatim(v: &str) -> String {
    v.to_string()
}

/// The property root of `plugin` (`$DOKKU_LIB_ROOT/config/<plugin>`), 0755
/// and owned by the system user, as every plugin's install step leaves it.
pub fn ensure_property_root(ctx: &Ctx, plugin: &str) -> Result<()> {
    let dir = ctx.paths.plugin_config_dir(plugin);
    dokku_core::fsutil::ensure_dir(&dir)?;
    dokku_core::fsutil::set_permissions(&dir, 0o755)
}

/// `$DOKKU_LIB_ROOT/data/<plugin>/` and one directory per app in it, 0755
/// and owned by the system user (Dokku's `SetupAppData`).
pub fn ensure_app_data_dirs(ctx: &Ctx, plugin: &str) -> Result<()> {
    let root = ctx.paths.plugin_data_dir(plugin);
    dokku_core::fsutil::ensure_dir(&root)?;
    dokku_core::fsutil::set_permissions(&root, 0o755)?;
    for app in dokku_core::apps::list(&ctx.paths) {
        let dir = root.join(&app);
        dokku_core::fsutil::ensure_dir(&dir)?;
        dokku_core::fsutil::set_permissions(&dir, 0o755)?;
    }
    Ok(())
}

/// Hand a property tree to the system user with Dokku's modes: directories
/// 0755, property files 0600 (for trees an older version left root-owned).
pub fn reown_property_tree(dir: &std::path::Path) -> Result<()> {
    dokku_core::fsutil::set_permissions(dir, 0o755)?;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => reown_property_tree(&path)?,
            Ok(t) if t.is_file() => dokku_core::fsutil::set_permissions(&path, 0o600)?,
            _ => {}
        }
    }
    Ok(())
}
