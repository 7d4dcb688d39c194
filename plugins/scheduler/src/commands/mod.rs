//! One module per `scheduler:*` command.

pub mod report;
pub mod set;
