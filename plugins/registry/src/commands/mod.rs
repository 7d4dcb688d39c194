//! One module per `registry:*` command.

pub mod login;
pub mod logout;
pub mod report;
pub mod set;
