//! One module per `network:*` command.

pub mod report;
pub mod set;
