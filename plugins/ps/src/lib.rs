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

use dokku_trigger::plugin::{cmd, Bare, HelpStyle};
use dokku_trigger::CorePlugin;

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core ps plugin",
    summary: "Manage app processes",
    namespace: None,
    commands: &[
        cmd("ps:inspect", c::inspect::run,
        ),
        cmd("ps:rebuild", c::rebuild::run,
        ),
        cmd("ps:report", c::report::run,
        ),
        cmd("ps:restart", c::restart::run,
        ),
        cmd("ps:restore", c::restore::run,
        ),
        cmd("ps:retire", c::retire::run),
        cmd("ps:scale", c::scale::run,
        ),
        cmd("ps:set", c::set::run,
        ),
        cmd("ps:start", c::start::run,
        ),
        cmd("ps:stop", c::stop::run,
        ),
    ],
    help_style: HelpStyle::Go,
    help: &[
        "ps:inspect <app>, Displays a sanitized version of docker inspect for an app",
        "ps:rebuild [--parallel count] [--all|<app>], Rebuilds an app from source",
        "ps:report [<app>] [<flag>], Displays a process report for one or more apps",
        "ps:restart [--parallel count] [--all|<app>] [<process-name>], Restart an app",
        "ps:restore [<app>], Start previously running apps e.g. after reboot",
        "ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...], Get/Set how many instances of a given process to run",
        "ps:set <app> <key> <value>, Set or clear a ps property for an app",
        "ps:start [--parallel count] [--all|<app>], Start an app",
        "ps:stop [--parallel count] [--all|<app>], Stop an app",
        "",
    ],
    bare: Bare::Help,
    register: hooks::register,
};
