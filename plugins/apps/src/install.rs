//! The install step: property root and per-app data directories, deploy
//! locks left where older builds kept them, `created-at` for apps that
//! lack it, and the deprecated global autocreation switch.

use std::os::unix::fs::MetadataExt;

use dokku_core::property::Properties;
use dokku_core::{apps, fsutil, Result};
use dokku_trigger::migrate::{self, verbatim, Owner};
use dokku_trigger::Ctx;

use crate::ops::PLUGIN;

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, PLUGIN)?;
    migrate::ensure_app_data_dirs(ctx, PLUGIN)?;
    let props = Properties::new(&ctx.paths, PLUGIN);
    for app in apps::list(&ctx.paths) {
        let old = apps::legacy_deploy_lock_path(&ctx.paths, &app);
        if old.is_file() {
            let new = apps::deploy_lock_path(&ctx.paths, &app);
            if new.exists() {
                fsutil::remove_file(&old)?;
            } else {
                std::fs::rename(&old, &new)
                    .map_err(|e| dokku_core::Error::io("rename", &old, e))?;
                dokku_core::system::chown_to_system(&new);
            }
        }
        if !props.exists(&app, "created-at") {
            let mtime = std::fs::metadata(ctx.paths.app_dir(&app))
                .map(|m| m.mtime().max(0))
                .unwrap_or(0);
            props.write(&app, "created-at", &mtime.to_string())?;
        }
    }
    migrate::ensure_env_migrated(ctx)?;
    migrate::config_to_property(
        ctx,
        PLUGIN,
        Owner::Global,
        "DOKKU_DISABLE_APP_AUTOCREATION",
        "disable-autocreation",
        verbatim,
    )
}
