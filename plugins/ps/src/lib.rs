//! The ps plugin: an app's processes. It reads the Procfile, keeps the
//! scale and the process settings (restart policy, stop timeout...), runs
//! the release-and-deploy pipeline and the lifecycle commands (start, stop,
//! restart, rebuild, restore), and answers the `ps-*`, `procfile-*`,
//! `release-and-deploy`, `deploy`, `app-restart` and `app-rebuild`
//! triggers. Containers themselves belong to the app's scheduler.

pub mod commands;
pub mod hooks;
pub mod install;
pub mod parallel;
pub mod pipeline;
pub mod procfile;
pub mod report;
pub mod scale;
pub mod store;

use dokku_trigger::plugin::{Command, RunFn};
use dokku_trigger::CorePlugin;

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
    description: "dokku core ps plugin",
    summary: "Manage the processes of an app",
    namespace: None,
    commands: &[
        cmd(
            "ps:inspect",
            "<app>",
            "Shows docker inspect of the app's containers, secrets masked",
            c::inspect::run,
        ),
        cmd(
            "ps:rebuild",
            "[--parallel count] [--all|<app>]",
            "Builds and deploys an app again from its source",
            c::rebuild::run,
        ),
        cmd(
            "ps:report",
            "[<app>] [<flag>]",
            "Shows the process settings and state of one or every app",
            c::report::run,
        ),
        cmd(
            "ps:restart",
            "[--parallel count] [--all|<app>] [<process-name>]",
            "Replaces an app's containers with fresh ones",
            c::restart::run,
        ),
        cmd(
            "ps:restore",
            "[<app>]",
            "Brings back apps that ran before the server restarted",
            c::restore::run,
        ),
        cmd("ps:retire", "[<app>]", "", c::retire::run),
        cmd(
            "ps:scale",
            "[--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]",
            "Shows or changes how many containers each process type runs",
            c::scale::run,
        ),
        cmd(
            "ps:set",
            "[--global|<app>] <key> <value>",
            "Sets or clears a ps property",
            c::set::run,
        ),
        cmd(
            "ps:start",
            "[--parallel count] [--all|<app>]",
            "Starts a stopped app",
            c::start::run,
        ),
        cmd(
            "ps:stop",
            "[--parallel count] [--all|<app>]",
            "Stops an app's containers",
            c::stop::run,
        ),
    ],
    default: None,
    register: hooks::register,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_layout() {
        insta::assert_snapshot!(PLUGIN.help_text(), @r#"
            Usage: dokku ps[:COMMAND]

            Manage the processes of an app

            Additional commands:
                ps:inspect <app>                                                           Shows docker inspect of the app's containers, secrets masked
                ps:rebuild [--parallel count] [--all|<app>]                                Builds and deploys an app again from its source
                ps:report [<app>] [<flag>]                                                 Shows the process settings and state of one or every app
                ps:restart [--parallel count] [--all|<app>] [<process-name>]               Replaces an app's containers with fresh ones
                ps:restore [<app>]                                                         Brings back apps that ran before the server restarted
                ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]  Shows or changes how many containers each process type runs
                ps:set [--global|<app>] <key> <value>                                      Sets or clears a ps property
                ps:start [--parallel count] [--all|<app>]                                  Starts a stopped app
                ps:stop [--parallel count] [--all|<app>]                                   Stops an app's containers
            "#);
    }
}
