//! The install step: the property root, then the deprecated config
//! variables of older releases moved into checks properties.

use dokku_core::property::Properties;
use dokku_core::Result;
use dokku_trigger::migrate::{self, verbatim, Owner};
use dokku_trigger::Ctx;

use crate::store::{ALL, PLUGIN};

/// Variables moved by the generic migration: (variable, property, also the
/// global environment).
const MOVES: &[(&str, &str, bool)] = &[
    ("DOKKU_WAIT_TO_RETIRE", "wait-to-retire", true),
    ("DOKKU_CHECKS_DISABLED", "disabled", false),
    ("DOKKU_CHECKS_SKIPPED", "skipped", false),
    ("DOKKU_CHECKS_WAIT", "wait", true),
    ("DOKKU_CHECKS_TIMEOUT", "timeout", true),
    ("DOKKU_CHECKS_ATTEMPTS", "attempts", true),
    ("DOKKU_DEFAULT_CHECKS_WAIT", "default-wait", true),
];

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, PLUGIN)?;
    migrate::ensure_env_migrated(ctx)?;
    old_switches(ctx)?;
    for (var, property, global) in MOVES {
        migrate::config_to_property_everywhere(ctx, PLUGIN, var, property, *global, verbatim)?;
    }
    Ok(())
}

/// The 0.5/0.6-era switches: `DOKKU_SKIP_ALL_CHECKS=true` disables checks,
/// `DOKKU_SKIP_DEFAULT_CHECKS=true` and `DOKKU_CHECKS_ENABLED=0` skip them.
/// A global switch applies to every app. These are written whatever the
/// property held, as Dokku's older migration did.
fn old_switches(ctx: &Ctx) -> Result<()> {
    const SKIP_ALL: &str = "DOKKU_SKIP_ALL_CHECKS";
    const SKIP_DEFAULT: &str = "DOKKU_SKIP_DEFAULT_CHECKS";
    const ENABLED: &str = "DOKKU_CHECKS_ENABLED";
    let global_skip_all = migrate::config_value(ctx, Owner::Global, SKIP_ALL)?;
    let global_skip_default = migrate::config_value(ctx, Owner::Global, SKIP_DEFAULT)?;
    let props = Properties::new(&ctx.paths, PLUGIN);
    let log = |var: &str, property: &str, app: &str| {
        ctx.out.info1(&format!(
            "Migrating {var} to checks {property} property for {app}. Use 'dokku checks:set {app} {property} {ALL}' to manage this going forward."
        ));
    };
    for app in dokku_core::apps::list(&ctx.paths) {
        let owner = Owner::App(&app);
        let skip_all = migrate::config_value(ctx, owner, SKIP_ALL)?;
        let skip_default = migrate::config_value(ctx, owner, SKIP_DEFAULT)?;
        if skip_all == "true" || (skip_all.is_empty() && global_skip_all == "true") {
            log(SKIP_ALL, "disabled", &app);
            props.write(&app, "disabled", ALL)?;
        } else if skip_default == "true"
            || (skip_default.is_empty() && global_skip_default == "true")
        {
            log(SKIP_DEFAULT, "skipped", &app);
            props.write(&app, "skipped", ALL)?;
        }
        for var in [SKIP_ALL, SKIP_DEFAULT] {
            if !migrate::config_value(ctx, owner, var)?.is_empty() {
                migrate::unset_config(ctx, owner, var)?;
            }
        }
        let enabled = migrate::config_value(ctx, owner, ENABLED)?;
        if !enabled.is_empty() {
            if enabled == "0" {
                log(ENABLED, "skipped", &app);
                props.write(&app, "skipped", ALL)?;
            }
            migrate::unset_config(ctx, owner, ENABLED)?;
        }
    }
    for var in [SKIP_ALL, SKIP_DEFAULT] {
        if !migrate::config_value(ctx, Owner::Global, var)?.is_empty() {
            migrate::unset_config(ctx, Owner::Global, var)?;
        }
    }
    Ok(())
}
