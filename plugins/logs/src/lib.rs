//! The logs plugin: an app's container output (`logs`, `logs:failed`,
//! through the `scheduler-logs*` triggers) and the logs properties
//! (`logs:report`, `logs:set`, the `logs-get-property` trigger), and the
//! vector log shipper (`logs:vector-*`, its `vector.json` rewritten when a
//! sink changes and when apps come, go or change name).

pub mod commands;
pub mod sink;
pub mod store;
pub mod vector;

use dokku_core::fsutil;
use dokku_trigger::deploy::{LogsGetProperty, PostExtract, PreDeploy};
use dokku_trigger::migrate;
use dokku_trigger::plugin::{cmd, global_cmd, Bare};
use dokku_trigger::triggers::{
    ContainerArgs, DockerArgsProcessDeploy, PostAppClone, PostAppRename, PostCreate, PostDelete,
};
use dokku_trigger::{Bus, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core logs plugin",
    summary: "Manage log integration for an app",
    commands: &[
        cmd("logs", c::logs::run,
        ),
        cmd("logs:failed", c::failed::run,
        ),
        cmd("logs:report", c::report::run,
        ),
        cmd("logs:set", c::set::run,
        ),
        global_cmd("logs:vector-logs", c::vector_logs::run),
        global_cmd("logs:vector-start", c::vector_start::run),
        global_cmd("logs:vector-stop", c::vector_stop::run),
    ],
    help: &[
        "logs [-h|--help] [-t|--tail] [-n|--num num] [-q|--quiet] [-p|--ps process] <app>, Display recent log output",
        "logs:failed [--all|<app>], Shows the last failed deploy logs",
        "logs:report [<app>] [<flag>], Displays a logs report for one or more apps",
        "logs:set [--global|<app>] <key> <value>, Set or clear a logs property for an app",
        "logs:vector-logs [--num num] [--tail], Display vector log output",
        "logs:vector-start, Start the vector logging container",
        "logs:vector-stop, Stop the vector logging container",
    ],
    bare: Bare::Run {
        run: c::logs::run,
        help_flag: true,
    },
    register,
    ..CorePlugin::DEFAULTS
};

/// `$DOKKU_LIB_ROOT/data/logs/<app>` (0755).
fn app_data_dir(ctx: &dokku_trigger::Ctx, app: &str) -> dokku_core::Result<()> {
    dokku_core::apps::validate_name(app)?;
    let dir = ctx.paths.plugin_data_dir(store::PLUGIN).join(app);
    fsutil::ensure_dir(&dir)?;
    fsutil::set_permissions(&dir, 0o755)
}

/// The install step: the property root, `data/logs` with a directory per
/// app, and `$DOKKU_LOGS_DIR/apps` for file sinks (0755, the system user's).
fn install(ctx: &dokku_trigger::Ctx) -> dokku_core::Result<()> {
    migrate::ensure_property_root(ctx, store::PLUGIN)?;
    migrate::ensure_app_data_dirs(ctx, store::PLUGIN)?;
    let apps_dir = vector::apps_log_dir(&ctx.paths);
    fsutil::ensure_dir(&apps_dir)?;
    fsutil::set_permissions(&apps_dir, 0o755)?;
    dokku_core::system::chown_to_system(&apps_dir);
    Ok(())
}

/// Whether a log driver takes the `max-size` option: the two that write
/// local files.
pub fn rotates(driver: &str) -> bool {
    matches!(driver, "json-file" | "local")
}

fn register(bus: &mut Bus) {
    bus.on::<LogsGetProperty, _>(store::PLUGIN, |ctx, t: &LogsGetProperty| {
        if store::SCHEMA.prop(&t.key).is_none() {
            return Err(dokku_core::Error::fail("Invalid logs property specified"));
        }
        Ok(store::computed(&ctx.paths, &t.app, &t.key))
    });
    // Deployed containers rotate their log files at the computed max-size;
    // `unlimited` leaves the option out, and so does a daemon whose log
    // driver has no such option (the container could not be created).
    bus.on::<DockerArgsProcessDeploy, _>(store::PLUGIN, |ctx, t: &DockerArgsProcessDeploy| {
        let max_size = store::computed(&ctx.paths, &t.app, "max-size");
        let mut args = ContainerArgs::default();
        if max_size == "unlimited" || max_size.is_empty() {
            return Ok(args);
        }
        let driver = ctx
            .engine()?
            .default_log_driver()
            .map_err(|e| dokku_core::Error::other("docker", e))?;
        if rotates(&driver) {
            args.options.push(format!("--log-opt max-size={max_size}"));
        }
        Ok(args)
    });
    // The daemon's default log driver is asked by every container a deploy
    // creates (above); asking it beside the deploy's first steps keeps the
    // engine's slow `info` off the path to the container.
    fn warm_log_driver(ctx: &dokku_trigger::Ctx, app: &str) -> dokku_core::Result<()> {
        let max_size = store::computed(&ctx.paths, app, "max-size");
        if max_size == "unlimited" || max_size.is_empty() {
            return Ok(());
        }
        ctx.in_background(|engine| {
            let _ = engine.default_log_driver();
        })
    }
    bus.on::<PostExtract, _>(store::PLUGIN, |ctx, t: &PostExtract| {
        warm_log_driver(ctx, &t.app)
    });
    bus.on::<PreDeploy, _>(store::PLUGIN, |ctx, t: &PreDeploy| {
        warm_log_driver(ctx, &t.app)
    });
    bus.on_install(store::PLUGIN, install);
    // Each app has a data directory, and the vector configuration follows
    // the apps: a new or cloned app may bring sinks, a destroyed one takes
    // its own away (its properties are still there while post-delete
    // runs), a renamed one ships under its new name.
    bus.on::<PostCreate, _>(store::PLUGIN, |ctx, t: &PostCreate| {
        app_data_dir(ctx, &t.app)?;
        vector::refresh_config(&ctx.paths, None)
    });
    bus.on::<PostDelete, _>(store::PLUGIN, |ctx, t: &PostDelete| {
        vector::refresh_config(&ctx.paths, Some(&t.app))?;
        fsutil::remove_dir_all(&ctx.paths.plugin_data_dir(store::PLUGIN).join(&t.app))
    });
    bus.on::<PostAppRename, _>(store::PLUGIN, |ctx, t: &PostAppRename| {
        app_data_dir(ctx, &t.new_app)?;
        vector::refresh_config(&ctx.paths, None)
    });
    bus.on::<PostAppClone, _>(store::PLUGIN, |ctx, t: &PostAppClone| {
        app_data_dir(ctx, &t.new_app)?;
        vector::refresh_config(&ctx.paths, None)
    });
    store::REPORT.register(bus, store::PLUGIN);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_file_drivers_rotate() {
        for driver in ["json-file", "local"] {
            assert!(rotates(driver), "{driver}");
        }
        for driver in ["journald", "syslog", "none"] {
            assert!(!rotates(driver), "{driver}");
        }
    }

    #[test]
    fn help_layout() {
        insta::assert_snapshot!(PLUGIN.help_text(), @r#"
        Usage: dokku logs[:COMMAND]

        Manage log integration for an app

        Additional commands:
            logs [-h|--help] [-t|--tail] [-n|--num num] [-q|--quiet] [-p|--ps process] <app>  Display recent log output
            logs:failed [--all|<app>]                                                         Shows the last failed deploy logs
            logs:report [<app>] [<flag>]                                                      Displays a logs report for one or more apps
            logs:set [--global|<app>] <key> <value>                                           Set or clear a logs property for an app
            logs:vector-logs [--num num] [--tail]                                             Display vector log output
            logs:vector-start                                                                 Start the vector logging container
            logs:vector-stop                                                                  Stop the vector logging container
        "#);
    }
}
