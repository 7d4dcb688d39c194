//! The install step: property root and per-app data directories, the
//! pre-0.38 scale files removed, and the deprecated config variables moved
//! into ps properties.

use dokku_core::property::Properties;
use dokku_core::{apps, fsutil, Result};
use dokku_trigger::migrate::{self, verbatim};
use dokku_trigger::triggers::{DockerOptionsList, DockerOptionsRemove};
use dokku_trigger::Ctx;

use crate::store::{DEFAULT_RESTART_POLICY, PLUGIN};

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
    for app in apps::list(&ctx.paths) {
        restart_option_to_property(ctx, &app)?;
    }
    Ok(())
}

/// The restart policy a `--restart` docker option names, if it is one.
fn restart_policy_of(option: &str) -> Option<&str> {
    let o = option.trim();
    o.strip_prefix("--restart=")
        .or_else(|| o.strip_prefix("--restart "))
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\''))
        .filter(|v| !v.is_empty())
}

/// A deploy-phase `--restart=<policy>` docker option (how older versions
/// kept the policy) becomes the `restart-policy` property when it differs
/// from the default and none is set; the option goes either way.
fn restart_option_to_property(ctx: &Ctx, app: &str) -> Result<()> {
    let options = ctx.bus.collect(
        ctx,
        &DockerOptionsList {
            app: app.to_string(),
        },
    )?;
    for o in options.into_iter().flatten() {
        if o.phase != "deploy" {
            continue;
        }
        let Some(policy) = restart_policy_of(&o.option) else {
            continue;
        };
        let props = Properties::new(&ctx.paths, PLUGIN);
        if policy != DEFAULT_RESTART_POLICY && !props.exists(app, "restart-policy") {
            props.write(app, "restart-policy", policy)?;
        }
        ctx.bus.notify(
            ctx,
            &DockerOptionsRemove {
                app: app.to_string(),
                phase: o.phase.clone(),
                process_type: o.process_type.clone(),
                options: vec![o.option.clone()],
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::restart_policy_of;

    #[test]
    fn restart_options() {
        assert_eq!(restart_policy_of("--restart=always"), Some("always"));
        assert_eq!(
            restart_policy_of("--restart unless-stopped"),
            Some("unless-stopped")
        );
        assert_eq!(
            restart_policy_of("--restart='on-failure:5'"),
            Some("on-failure:5")
        );
        assert_eq!(restart_policy_of("--restart-x"), None);
        assert_eq!(restart_policy_of("-v /a:/b"), None);
    }
}
