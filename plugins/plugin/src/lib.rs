//! The plugin plugin: listing, installing, enabling and disabling plugins.

pub mod list;

use dokku_trigger::plugin::no_triggers;
use dokku_trigger::CorePlugin;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "plugin",
    description: "dokku core plugin plugin",
    summary: "Manage installed plugins",
    namespace: None,
    commands: &[],
    default: None,
    register: no_triggers,
};
