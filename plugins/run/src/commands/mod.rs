//! One module per `run` command.

pub mod detached;
pub mod list;
pub mod logs;
pub mod retire;
pub mod run;
pub mod stop;
