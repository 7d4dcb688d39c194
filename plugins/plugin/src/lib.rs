//! The plugin plugin: listing, installing, enabling, disabling, updating and
//! removing plugins, firing triggers by name, and laying down the core
//! plugin metadata and the shell library that bash plugins source.
//!
//! On disk it follows Dokku's layout: every plugin has a directory (or, for
//! core plugins, a symlink into the core tree) under `PLUGIN_AVAILABLE_PATH`,
//! and an enabled plugin also has `PLUGIN_ENABLED_PATH/<name>` pointing at
//! it.

pub mod archive;
pub mod commands;
pub mod core;
pub mod fire;
pub mod fsroot;
pub mod git;
pub mod install;
pub mod list;
pub mod manage;
pub mod name;
pub mod source;
pub mod update;

#[cfg(test)]
mod shell_tests;

use dokku_trigger::plugin::no_triggers;
use dokku_trigger::plugin::HelpStyle;
use dokku_trigger::CorePlugin;

pub use crate::core::install_core_metadata;

/// The version written into core plugins' `plugin.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "plugin",
    description: "dokku core plugin plugin",
    summary: "Manage installed plugins",
    commands: commands::COMMANDS,
    help_style: HelpStyle::Bash,
    help: &[
        "plugin:disable <name>, Disable an installed plugin (third-party only)",
        "plugin:enable <name>, Enable a previously disabled plugin",
        "plugin:install [--core|--git-url] [--committish branch|commit|commit] [--name custom-plugin-name] [--skip-install-trigger], Optionally download git-url (and pin to the specified branch/commit/tag) & run install trigger for active plugins (or only core ones)",
        "plugin:install-dependencies [--core], Run install-dependencies trigger for active plugins (or only core ones)",
        "plugin:list [--format stdout|json], Print active plugins",
        "plugin:trigger <args...>, Trigger an arbitrary plugin hook",
        "plugin:uninstall <name>, Uninstall a plugin (third-party only)",
        "plugin:update [name [branch|commit|tag]], Optionally update named plugin from git (and pin to the specified branch/commit/tag) & run update trigger for active plugins",
    ],
    register: no_triggers,
    ..CorePlugin::DEFAULTS
};
