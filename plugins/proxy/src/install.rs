//! The install step: property root, then the deprecated proxy variables
//! moved into proxy properties.

use dokku_core::Result;
use dokku_trigger::migrate::{self, verbatim, Owner};
use dokku_trigger::Ctx;

use crate::store::PLUGIN;

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, PLUGIN)?;
    migrate::ensure_env_migrated(ctx)?;
    // The type has one name per app and another globally.
    migrate::config_to_property_everywhere(
        ctx,
        PLUGIN,
        "DOKKU_APP_PROXY_TYPE",
        "type",
        false,
        verbatim,
    )?;
    migrate::config_to_property(
        ctx,
        PLUGIN,
        Owner::Global,
        "DOKKU_PROXY_TYPE",
        "type",
        verbatim,
    )?;
    migrate::config_to_property_everywhere(
        ctx,
        PLUGIN,
        "DOKKU_DISABLE_PROXY",
        "disabled",
        false,
        |_| "true".to_string(),
    )?;
    for (var, property) in [
        ("DOKKU_PROXY_PORT", "proxy-port"),
        ("DOKKU_PROXY_SSL_PORT", "proxy-ssl-port"),
    ] {
        migrate::config_to_property_everywhere(ctx, PLUGIN, var, property, true, verbatim)?;
    }
    Ok(())
}
