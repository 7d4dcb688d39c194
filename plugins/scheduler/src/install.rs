//! The install step: property root, then `DOKKU_SCHEDULER` and
//! `DOKKU_APP_SHELL` moved into scheduler properties.

use dokku_core::Result;
use dokku_trigger::migrate::{self, verbatim};
use dokku_trigger::Ctx;

use crate::PLUGIN_NAME;

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, PLUGIN_NAME)?;
    migrate::ensure_env_migrated(ctx)?;
    for (var, property) in [
        ("DOKKU_SCHEDULER", "selected"),
        ("DOKKU_APP_SHELL", "shell"),
    ] {
        migrate::config_to_property_everywhere(ctx, PLUGIN_NAME, var, property, true, verbatim)?;
    }
    Ok(())
}
