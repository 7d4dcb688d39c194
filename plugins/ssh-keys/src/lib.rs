//! The ssh-keys plugin: the public keys allowed to run dokku commands and
//! push over ssh, kept in `$DOKKU_ROOT/.ssh/authorized_keys` in the form
//! Dokku's sshcommand writes.

pub mod authorized_keys;
pub mod commands;
pub mod keygen;
pub mod ops;

use dokku_trigger::plugin::no_triggers;
use dokku_trigger::plugin::HelpStyle;
use dokku_trigger::{Command, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "ssh-keys",
    description: "dokku core ssh-keys plugin",
    summary: "Manage public ssh keys used for deployment",
    commands: &[
        Command {
            name: "ssh-keys:add",
            takes_app: false,
            run: c::add::run,
        },
        Command {
            name: "ssh-keys:list",
            takes_app: false,
            run: c::list::run,
        },
        Command {
            name: "ssh-keys:remove",
            takes_app: false,
            run: c::remove::run,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "ssh-keys:add <name> [/path/to/key], Add a new public key by pipe or path",
        "ssh-keys:list [--format text|json] [<name>], List of all authorized dokku public ssh keys",
        "ssh-keys:remove [--fingerprint fingerprint|<name>], Remove SSH public key by name",
    ],
    register: no_triggers,
    ..CorePlugin::DEFAULTS
};
