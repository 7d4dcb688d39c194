//! The install step: property root and data directory, `DOKKU_DEPLOY_BRANCH`
//! moved into the `deploy-branch` property (silently, overwriting, as
//! Dokku's older migration does), and `$DOKKU_ROOT/.netrc` kept private.

use dokku_core::property::Properties;
use dokku_core::{fsutil, Result};
use dokku_trigger::migrate::{self, Owner};
use dokku_trigger::Ctx;

use crate::props::PLUGIN;

const VAR: &str = "DOKKU_DEPLOY_BRANCH";

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, PLUGIN)?;
    let data = ctx.paths.plugin_data_dir(PLUGIN);
    fsutil::ensure_dir(&data)?;
    fsutil::set_permissions(&data, 0o755)?;
    migrate::ensure_env_migrated(ctx)?;
    let props = Properties::new(&ctx.paths, PLUGIN);
    let apps = dokku_core::apps::list(&ctx.paths);
    let owners = std::iter::once(Owner::Global).chain(apps.iter().map(|a| Owner::App(a)));
    for owner in owners {
        let value = migrate::config_value(ctx, owner, VAR)?;
        if value.is_empty() {
            continue;
        }
        let name = match owner {
            Owner::Global => dokku_core::property::GLOBAL,
            Owner::App(app) => app,
        };
        props.write(name, "deploy-branch", &value)?;
        migrate::unset_config(ctx, owner, VAR)?;
    }
    let netrc = ctx.paths.dokku_root.join(".netrc");
    if netrc.is_file() {
        fsutil::set_permissions(&netrc, 0o600)?;
    }
    Ok(())
}
