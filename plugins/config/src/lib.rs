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
use dokku_trigger::plugin::{cmd, Bare};
use dokku_trigger::CorePlugin;

/// The commands.
const COMMANDS: &[Command] = &[
    cmd("config:show", commands::show::run),
    cmd("config:bundle", commands::bundle::run),
    cmd("config:clear", commands::clear::run),
    cmd("config:export", commands::export::run),
    cmd("config:get", commands::get::run),
    cmd("config:keys", commands::keys::run),
    cmd("config:set", commands::set::run),
    cmd("config:unset", commands::unset::run),
    cmd("config:import", commands::import::run),
];

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core config plugin",
    summary: "Manage global and app-specific config vars",
    commands: COMMANDS,
    help: &[
        "config (<app>|--global), Pretty-print an app or global environment",
        "config:bundle [--merged] (<app>|--global), Bundle environment into tarfile",
        "config:clear [--no-restart] (<app>|--global), Clears environment variables",
        "config:export [--format=FORMAT] [--merged] (<app>|--global), Export a global or app environment",
        "config:get [--quoted] (<app>|--global) KEY, Display a global or app-specific config value",
        "config:import [--no-restart] [--replace] (<app>|--global) [FILE|-], Import environment from file",
        "config:keys [--merged] (<app>|--global), Show keys set in environment",
        "config:show [--merged] (<app>|--global), Show keys set in environment",
        "config:set [--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...], Set one or more config vars",
        "config:unset [--no-restart] (<app>|--global) KEY1 [KEY2 ...], Unset one or more config vars",
    ],
    bare: Bare::Run {
        run: commands::show::run,
        help_flag: true,
    },
    register: hooks::register,
    ..CorePlugin::DEFAULTS
};
