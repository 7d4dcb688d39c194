//! The logs plugin: an app's container output (`logs`, `logs:failed`,
//! through the `scheduler-logs*` triggers) and the logs properties
//! (`logs:report`, `logs:set`, the `logs-get-property` trigger). The
//! vector log shipper itself (`logs:vector-*`) is not part of this
//! implementation: its properties are stored and reported only.

pub mod commands;
pub mod store;

use dokku_trigger::deploy::LogsGetProperty;
use dokku_trigger::plugin::{Command, RunFn};
use dokku_trigger::{Bus, CorePlugin};

use commands as c;

const fn cmd(name: &'static str, args: &'static str, help: &'static str, run: RunFn) -> Command {
    Command {
        name,
        args,
        help,
        takes_app: true,
        run,
    }
}

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core logs plugin",
    summary: "Show the output of an app's containers",
    namespace: None,
    commands: &[
        cmd(
            "logs",
            "<app> [-h|--help] [-t|--tail] [-n|--num num] [-q|--quiet] [-p|--ps process]",
            "Shows recent output of the app's containers",
            c::logs::run,
        ),
        cmd(
            "logs:failed",
            "--all|<app>",
            "Shows the output of containers from failed deploys",
            c::failed::run,
        ),
        cmd(
            "logs:report",
            "[<app>] [<flag>]",
            "Shows the logs settings of one or every app",
            c::report::run,
        ),
        cmd(
            "logs:set",
            "[--global|<app>] <key> <value>",
            "Sets or clears a logs property",
            c::set::run,
        ),
    ],
    default: Some(c::logs::run),
    register,
};

fn register(bus: &mut Bus) {
    bus.on::<LogsGetProperty, _>(store::PLUGIN, |ctx, t: &LogsGetProperty| {
        Ok(store::computed(&ctx.paths, &t.app, &t.key))
    });
    store::REPORT.register(bus, store::PLUGIN);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_layout() {
        insta::assert_snapshot!(PLUGIN.help_text(), @r#"
        Usage: dokku logs[:COMMAND]

        Show the output of an app's containers

        Additional commands:
            logs <app> [-h|--help] [-t|--tail] [-n|--num num] [-q|--quiet] [-p|--ps process]  Shows recent output of the app's containers
            logs:failed --all|<app>                                                           Shows the output of containers from failed deploys
            logs:report [<app>] [<flag>]                                                      Shows the logs settings of one or every app
            logs:set [--global|<app>] <key> <value>                                           Sets or clears a logs property
        "#);
    }
}
