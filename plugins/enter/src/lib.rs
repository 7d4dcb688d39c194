//! The enter plugin: run a command, or a shell, in one of an app's running
//! containers. The container belongs to the app's scheduler, reached
//! through the `scheduler-enter` trigger.

pub mod commands;

use dokku_trigger::plugin::{no_triggers, Command};
use dokku_trigger::plugin::{Bare, HelpStyle};
use dokku_trigger::CorePlugin;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "enter",
    description: "dokku core enter plugin",
    summary: "Enter running app containers",
    commands: &[Command {
        name: "enter",
        takes_app: true,
        run: commands::enter::run,
    }],
    help_style: HelpStyle::Bash,
    help: &[
        "enter <app> [<container-type> || --container-id <container-id>], Connect to a specific app container",
    ],
    bare: Bare::Run {
        run: commands::enter::run,
        help_flag: false,
    },
    register: no_triggers,
    ..CorePlugin::DEFAULTS
};
