//! One module per `scheduler-swarm:*` command.

pub mod cluster_add;
pub mod cluster_list;
pub mod cluster_remove;
pub mod initialize;
pub mod refresh_routes;
pub mod report;
pub mod set;
pub mod show_service;
pub mod uninstall;
pub mod watch;
