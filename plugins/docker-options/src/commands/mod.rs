//! One module per `docker-options:*` command: each turns arguments into a
//! call of [`crate::ops`].

pub mod add;
pub mod clear;
pub mod list;
pub mod remove;
pub mod report;
