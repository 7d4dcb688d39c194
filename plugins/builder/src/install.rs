//! The install step: property root, then `DOKKU_APP_TYPE` and
//! `DOKKU_SKIP_CLEANUP` moved into builder properties.

use dokku_core::Result;
use dokku_trigger::migrate::{self, verbatim};
use dokku_trigger::Ctx;

use crate::props::PLUGIN;

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, PLUGIN)?;
    migrate::ensure_env_migrated(ctx)?;
    migrate::config_to_property_everywhere(
        ctx,
        PLUGIN,
        "DOKKU_APP_TYPE",
        "detected",
        false,
        verbatim,
    )?;
    migrate::config_to_property_everywhere(
        ctx,
        PLUGIN,
        "DOKKU_SKIP_CLEANUP",
        "skip-cleanup",
        true,
        verbatim,
    )
}
