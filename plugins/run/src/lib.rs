//! The run plugin: one-off containers of an app. `run` and `run:detached`
//! start them, `run:list`, `run:logs`, `run:stop` and `run:retire` look
//! after them. The containers themselves belong to the app's scheduler,
//! reached through the `scheduler-run*` triggers.

pub mod commands;
pub mod container;

use dokku_trigger::plugin::no_triggers;
use dokku_trigger::plugin::{cmd, Bare, HelpStyle};
use dokku_trigger::CorePlugin;

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "run",
    description: "dokku core run plugin",
    summary: "Run a one-off process inside a container",
    namespace: None,
    commands: &[
        cmd("run", c::run::run,
        ),
        cmd("run:detached", c::detached::run,
        ),
        cmd("run:list", c::list::run,
        ),
        cmd("run:logs", c::logs::run,
        ),
        cmd("run:retire", c::retire::run),
        cmd("run:stop", c::stop::run,
        ),
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "run [-e|--env KEY=VALUE] [--no-tty] [--ttl-seconds SECONDS] <app> <cmd>, Run a command in a new container using the current app image",
        "run:detached [-e|-env KEY=VALUE] [--force-tty] [--ttl-seconds SECONDS] <app> <cmd>, Run a command in a new detached container using the current app image",
        "run:list [--format json|stdout] <app>, List all run containers for an app",
        "run:logs <app|--container CONTAINER> [-h] [-t] [-n num] [-q], Display recent log output for run containers",
        "run:retire [<app>], Stop all run containers for an app that have exceeded their active deadline",
        "run:stop <app|--container CONTAINER>, Stops all run containers for an app or a specified run container",
    ],
    bare: Bare::Run {
        run: c::run::run,
        help_flag: false,
    },
    register: no_triggers,
};
