//! The config plugin: app and global environment variables.

use dokku_trigger::plugin::no_triggers;
use dokku_trigger::CorePlugin;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "config",
    description: "dokku core config plugin",
    summary: "Manage global and app-specific config vars",
    namespace: None,
    commands: &[],
    default: None,
    register: no_triggers,
};
