//! One module per `logs` command.

pub mod failed;
pub mod logs;
pub mod report;
pub mod set;
pub mod vector_logs;
pub mod vector_start;
pub mod vector_stop;
