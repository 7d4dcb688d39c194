//! One module per `ssh-keys:*` command: each reads its arguments and calls
//! [`crate::ops`].

pub mod add;
pub mod list;
pub mod remove;
