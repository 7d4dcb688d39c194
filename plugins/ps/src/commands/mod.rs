//! One module per `ps:*` command.

pub mod inspect;
pub mod rebuild;
pub mod report;
pub mod restart;
pub mod restore;
pub mod retire;
pub mod scale;
pub mod set;
pub mod start;
pub mod stop;
