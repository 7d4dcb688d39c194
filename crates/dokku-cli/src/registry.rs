//! The one list of core plugins compiled into the binary.

use dokku_trigger::{Bus, CorePlugin};

/// Every core plugin, in no particular order.
pub fn core_plugins() -> Vec<&'static CorePlugin> {
    vec![&dokku_standard::PLUGIN, &dokku_apps::PLUGIN, &dokku_config::PLUGIN, &dokku_plugin::PLUGIN]
}

/// Find the core plugin owning a command namespace.
pub fn by_namespace(ns: &str) -> Option<&'static CorePlugin> {
    core_plugins().into_iter().find(|p| p.ns() == ns || p.name == ns)
}

/// A bus with every core plugin's handlers registered.
pub fn bus() -> Bus {
    let _ = dokku_plugin::CORE_LIST.set(core_plugins().iter().map(|p| (p.name.to_string(), p.description.to_string())).collect());
    let mut bus = Bus::new();
    for p in core_plugins() {
        (p.register)(&mut bus);
    }
    bus
}
