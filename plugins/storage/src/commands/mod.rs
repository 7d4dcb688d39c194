//! One module per `storage:*` command: each turns arguments into a call of
//! the plugin's operations.

pub mod annotations_report;
pub mod annotations_set;
pub mod create;
pub mod destroy;
pub mod ensure_directory;
pub mod exec;
pub mod info;
pub mod labels_report;
pub mod labels_set;
pub mod list;
pub mod list_entries;
pub mod migrate;
pub mod mount;
pub mod report;
pub mod set;
pub mod unmount;
pub mod wait;

use dokku_core::{Error, Result};

/// The first positional argument: an entry name, required.
pub fn entry_arg(p: &dokku_core::args::Parsed, missing: &str) -> Result<String> {
    p.arg(0)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .ok_or_else(|| Error::fail(missing.to_string()))
}
