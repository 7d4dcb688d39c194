//! One module per `apps:*` command: each turns arguments into a call of
//! [`crate::ops`].

pub mod clone;
pub mod create;
pub mod destroy;
pub mod exists;
pub mod list;
pub mod lock;
pub mod locked;
pub mod rename;
pub mod report;
pub mod set;
pub mod unlock;
