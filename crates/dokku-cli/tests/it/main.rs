//! Integration tests of the `dokku` binary: each test gets fresh temporary
//! DOKKU_ROOT and DOKKU_LIB_ROOT directories and runs the built binary.

mod harness;

mod apps;
mod cli;
mod config;
mod cron;
mod help;
mod layout;
mod plugin;
mod plugin_robustness;
mod registry;
mod reports;
mod shlib;

mod docker_options;
mod storage;

mod swarm;
mod swarm_harness;

mod packaging;
mod ssh;
mod ssh_keys;
mod ssh_push;

mod buildpacks;
mod builds;
mod deploy;
mod git;
mod git_auth;
mod processes;
mod run_logs;

mod community;
mod network;
mod nginx;
mod runtime;
mod standard;
mod traffic;
mod trigger_spy;
mod triggers;
mod vector;
