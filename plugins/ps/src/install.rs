//! The install step: property root and per-app data directories, the
//! pre-0.38 scale files removed, and the deprecated config variables moved
//! into ps properties.

use dokku_core::{apps, fsutil, Result};
use dokku_trigger::migrate::{self, verbatim};
use dokku_trigger::Ctx;

use crate::store::PLUGIN;

/// Variables moved into properties: (variable, property, also global).
const MOVES: &[(&str, &str, bool)] = &[
    ("DOKKU_DOCKER_STOP_TIMEOUT", "stop-timeout-seconds", false),
    ("DOKKU_SKIP_DEPLOY", "skip-deploy", true),
    ("DOKKU_START_CMD", "start-cmd", false),
    ("DOKKU_DOCKERFILE_START_CMD", "dockerfile-start-cmd", false),
];

/// `DOKKU_APP_RESTORE`: `0` means do not restore, anything else restore.
fn restore_value(v: &str) -> String {
    if v == "0" { "false" } else { "true" }.to_string()
}

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, PLUGIN)?;
    migrate::ensure_app_data_dirs(ctx, PLUGIN)?;
    for app in apps::list(&ctx.paths) {
        for name in ["DOKKU_SCALE", "DOKKU_SCALE.extracted"] {
            fsutil::remove_file(&ctx.paths.app_dir(&app).join(name))?;
        }
    }
    migrate::ensure_env_migrated(ctx)?;
    migrate::config_to_property_everywhere(
        ctx,
        PLUGIN,
        "DOKKU_APP_RESTORE",
        "restore",
        false,
        restore_value,
    )?;
    for (var, property, global) in MOVES {
        migrate::config_to_property_everywhere(ctx, PLUGIN, var, property, *global, verbatim)?;
    }
    Ok(())
}
