//! The logs plugin: an app's container output (`logs`, `logs:failed`,
//! through the `scheduler-logs*` triggers) and the logs properties
//! (`logs:report`, `logs:set`, the `logs-get-property` trigger). The
//! vector log shipper itself (`logs:vector-*`) is not part of this
//! implementation: its properties are stored and reported only.

pub mod commands;
pub mod store;

use dokku_trigger::deploy::LogsGetProperty;
use dokku_trigger::plugin::{cmd, Bare, HelpStyle};
use dokku_trigger::triggers::{ContainerArgs, DockerArgsProcessDeploy};
use dokku_trigger::{Bus, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core logs plugin",
    summary: "Manage log integration for an app",
    namespace: None,
    commands: &[
        cmd("logs", c::logs::run,
        ),
        cmd("logs:failed", c::failed::run,
        ),
        cmd("logs:report", c::report::run,
        ),
        cmd("logs:set", c::set::run,
        ),
    ],
    help_style: HelpStyle::Go,
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
};

/// Whether a log driver takes the `max-size` option: the two that write
/// local files.
pub fn rotates(driver: &str) -> bool {
    matches!(driver, "json-file" | "local")
}

fn register(bus: &mut Bus) {
    bus.on::<LogsGetProperty, _>(store::PLUGIN, |ctx, t: &LogsGetProperty| {
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
    bus.on::<dokku_trigger::triggers::Install, _>(
        store::PLUGIN,
        |ctx, _t: &dokku_trigger::triggers::Install| install(ctx),
    );
    store::REPORT.register(bus, store::PLUGIN);
}

/// The install step: property root, `data/logs/` and `data/logs/<app>/`,
/// and the vector file sink's `$DOKKU_LOGS_DIR/apps` (0755, the system
/// user's).
fn install(ctx: &dokku_trigger::Ctx) -> dokku_core::Result<()> {
    dokku_trigger::migrate::ensure_property_root(ctx, store::PLUGIN)?;
    dokku_trigger::migrate::ensure_app_data_dirs(ctx, store::PLUGIN)?;
    let apps_dir = ctx.paths.logs_dir.join("apps");
    dokku_core::fsutil::ensure_dir(&apps_dir)?;
    dokku_core::fsutil::set_permissions(&apps_dir, 0o755)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_file_drivers_rotate() {
        assert!(rotates("json-file"));
        assert!(rotates("local"));
        assert!(!rotates("journald"));
        assert!(!rotates("syslog"));
        assert!(!rotates("none"));
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
