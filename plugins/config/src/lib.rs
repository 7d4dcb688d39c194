//! The config plugin: app and global environment variables, stored in the
//! config plugin's `ENV` property file, changed by the `config:*` commands
//! and handed to other plugins through the `config-*` triggers.
//!
//! Plugins never call this crate; [`envfile`] is public so the file format
//! can be tested and reasoned about on its own.

pub mod bundle;
pub mod commands;
pub mod decode;
pub mod envfile;
pub mod format;
pub mod hooks;
pub mod ops;
pub mod restart;
pub mod store;

use dokku_trigger::plugin::Command;
use dokku_trigger::CorePlugin;

const fn cmd(
    name: &'static str,
    args: &'static str,
    help: &'static str,
    run: dokku_trigger::plugin::RunFn,
) -> Command {
    Command {
        name,
        args,
        help,
        takes_app: true,
        run,
    }
}

/// The commands, in help order. `config:import` works but, as in Dokku's
/// command table, is not listed.
const COMMANDS: &[Command] = &[
    cmd(
        "config:show",
        "(<app>|--global)",
        "Pretty-print an app or global environment",
        commands::show::run,
    ),
    cmd(
        "config:bundle",
        "(<app>|--global) [--merged]",
        "Bundle environment into tarfile",
        commands::bundle::run,
    ),
    cmd(
        "config:clear",
        "(<app>|--global)",
        "Clears environment variables",
        commands::clear::run,
    ),
    cmd(
        "config:export",
        "(<app>|--global) [--format <format>]",
        "Export a global or app environment",
        commands::export::run,
    ),
    cmd(
        "config:get",
        "(<app>|--global) KEY",
        "Display a global or app-specific config value",
        commands::get::run,
    ),
    cmd(
        "config:keys",
        "(<app>|--global) [--merged]",
        "Show keys set in environment",
        commands::keys::run,
    ),
    cmd(
        "config:set",
        "[--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...]",
        "Set one or more config vars",
        commands::set::run,
    ),
    cmd(
        "config:unset",
        "[--no-restart] (<app>|--global) KEY1 [KEY2 ...]",
        "Unset one or more config vars",
        commands::unset::run,
    ),
    cmd("config:import", "", "", commands::import::run),
];

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core config plugin",
    summary: "Manage global and app-specific config vars",
    namespace: None,
    commands: COMMANDS,
    default: Some(commands::show::run),
    register: hooks::register,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_dokku_commands() {
        insta::assert_snapshot!(PLUGIN.help_text(), @r"
        Usage: dokku config[:COMMAND]

        Manage global and app-specific config vars

        Additional commands:
            config:show (<app>|--global)                                                          Pretty-print an app or global environment
            config:bundle (<app>|--global) [--merged]                                             Bundle environment into tarfile
            config:clear (<app>|--global)                                                         Clears environment variables
            config:export (<app>|--global) [--format <format>]                                    Export a global or app environment
            config:get (<app>|--global) KEY                                                       Display a global or app-specific config value
            config:keys (<app>|--global) [--merged]                                               Show keys set in environment
            config:set [--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...]  Set one or more config vars
            config:unset [--no-restart] (<app>|--global) KEY1 [KEY2 ...]                          Unset one or more config vars
        ");
    }
}
