//! The ssh-keys plugin: the public keys allowed to run dokku commands and
//! push over ssh, kept in `$DOKKU_ROOT/.ssh/authorized_keys` in the form
//! Dokku's sshcommand writes.

pub mod authorized_keys;
pub mod commands;
pub mod keygen;
pub mod ops;

use dokku_trigger::plugin::no_triggers;
use dokku_trigger::{Command, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "ssh-keys",
    description: "dokku core ssh-keys plugin",
    summary: "Manage which public ssh keys can reach Dokku",
    namespace: None,
    commands: &[
        Command {
            name: "ssh-keys:add",
            args: "<name> [<key-file>]",
            help: "Allow a public key in, read from a file or from stdin",
            takes_app: false,
            run: c::add::run,
        },
        Command {
            name: "ssh-keys:list",
            args: "[--format text|json] [<name>]",
            help: "Show the allowed keys, all or one name's",
            takes_app: false,
            run: c::list::run,
        },
        Command {
            name: "ssh-keys:remove",
            args: "<name>|--fingerprint <fingerprint>",
            help: "Revoke keys by name or by fingerprint",
            takes_app: false,
            run: c::remove::run,
        },
    ],
    default: None,
    register: no_triggers,
};
