//! One module per `certs:*` command.

pub mod add;
pub mod generate;
pub mod remove;
pub mod report;
pub mod show;
