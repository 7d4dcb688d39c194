//! One module per `network:*` command.

pub mod create;
pub mod destroy;
pub mod exists;
pub mod info;
pub mod list;
pub mod rebuild;
pub mod rebuildall;
pub mod report;
pub mod set;
