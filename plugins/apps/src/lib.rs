//! The apps plugin: creating, listing, renaming, cloning, locking and
//! destroying apps.

use dokku_trigger::plugin::no_triggers;
use dokku_trigger::CorePlugin;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "apps",
    description: "dokku core apps plugin",
    summary: "Manage apps",
    namespace: None,
    commands: &[],
    default: None,
    register: no_triggers,
};
