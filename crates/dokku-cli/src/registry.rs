//! The one list of core plugins compiled into the binary.

use dokku_trigger::{Bus, Command, CorePlugin};

/// Every core plugin, in no particular order.
pub fn core_plugins() -> Vec<&'static CorePlugin> {
    vec![
        &dokku_standard::PLUGIN,
        &dokku_apps::PLUGIN,
        &dokku_config::PLUGIN,
        &dokku_plugin::PLUGIN,
        &dokku_docker_options::PLUGIN,
        &dokku_storage::PLUGIN,
        &dokku_git::PLUGIN,
        &dokku_builder::PLUGIN,
        &dokku_builder_dockerfile::PLUGIN,
        &dokku_builder_null::PLUGIN,
        &dokku_builder_herokuish::PLUGIN,
        &dokku_builder_pack::PLUGIN,
        &dokku_app_json::PLUGIN,
        &dokku_cron::PLUGIN,
        &dokku_ssh_keys::PLUGIN,
        &dokku_scheduler::PLUGIN,
        &dokku_scheduler_docker_local::PLUGIN,
        &dokku_ps::PLUGIN,
        &dokku_checks::PLUGIN,
        &dokku_network::PLUGIN,
        &dokku_proxy::PLUGIN,
        &dokku_ports::PLUGIN,
        &dokku_domains::PLUGIN,
        &dokku_certs::PLUGIN,
        &dokku_nginx_vhosts::PLUGIN,
        &dokku_run::PLUGIN,
        &dokku_enter::PLUGIN,
        &dokku_logs::PLUGIN,
        &dokku_events::PLUGIN,
        &dokku_trace::PLUGIN,
        &dokku_repo::PLUGIN,
        &dokku_builds::PLUGIN,
        &dokku_shell::PLUGIN,
        &dokku_buildpacks::PLUGIN,
        &dokku_resource::PLUGIN,
        &dokku_registry::PLUGIN,
        &dokku_scheduler_null::PLUGIN,
        &dokku_scheduler_swarm::PLUGIN,
    ]
}

/// Find the core plugin owning a command namespace. A plugin whose
/// namespace differs from its name answers to the namespace only
/// (`nginx:help`, not `nginx-vhosts:help`), as in Dokku.
pub fn by_namespace(ns: &str) -> Option<&'static CorePlugin> {
    core_plugins().into_iter().find(|p| p.ns() == ns)
}

/// The help of a host-wide command of the standard plugin
/// (`dokku version:help`).
pub fn topic_help(topic: &str) -> Option<String> {
    core_plugins().into_iter().find_map(|p| p.topic_help(topic))
}

/// Find a core command by its exact name, for commands outside any
/// namespace (git's `git-receive-pack`, `git-upload-pack`).
pub fn command(name: &str) -> Option<&'static Command> {
    core_plugins().into_iter().find_map(|p| p.command(name))
}

/// A bus with every core plugin's handlers registered.
pub fn bus() -> Bus {
    let mut bus = Bus::new();
    for p in core_plugins() {
        bus.add_core(p);
    }
    bus
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every plugin's help page, rendered in process, is the page Dokku
    /// prints (the texts the integration test `help` also checks through
    /// the binary): one place instead of a snapshot per plugin crate.
    #[test]
    fn every_help_page_is_dokkus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/help");
        let mut checked = 0;
        for p in core_plugins() {
            let page = dir.join(format!("{}.txt", p.ns()));
            let Ok(want) = std::fs::read_to_string(&page) else {
                // Plugins without a topic of their own (the standard
                // plugin's host-wide commands) have no page.
                assert!(p.summary.is_empty(), "no page for {}", p.ns());
                continue;
            };
            assert_eq!(p.help_text(), want, "{}", p.ns());
            checked += 1;
        }
        assert!(checked > 30, "only {checked} pages compared");
    }
}
