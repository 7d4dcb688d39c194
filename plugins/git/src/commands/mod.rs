//! One module per `git` command: each turns arguments into a call of the
//! plugin's operations.

pub mod auth;
pub mod from_archive;
pub mod from_image;
pub mod hook;
pub mod initialize;
pub mod load_image;
pub mod receive_pack;
pub mod report;
pub mod set;
pub mod status;
pub mod sync;
pub mod unlock;
pub mod upload_pack;
