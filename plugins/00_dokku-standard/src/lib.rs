//! Dokku's standard plugin: host-wide commands such as `dokku report`.

use dokku_trigger::plugin::no_triggers;
use dokku_trigger::CorePlugin;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "00_dokku-standard",
    description: "dokku core standard plugin",
    summary: "",
    namespace: Some("report"),
    commands: &[],
    default: None,
    register: no_triggers,
};
