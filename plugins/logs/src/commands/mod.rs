//! One module per `logs` command.

pub mod failed;
pub mod logs;
pub mod report;
pub mod set;
