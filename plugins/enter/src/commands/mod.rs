//! The `enter` command.

pub mod enter;
