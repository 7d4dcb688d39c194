//! One module per `scheduler-docker-local:*` command.

pub mod report;
pub mod set;
