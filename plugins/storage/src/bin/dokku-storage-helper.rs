//! `dokku-storage-helper chown <name> <uid> | chmod <name> <mode> | remove <name>`:
//! the root-only storage operations, for the dokku user to run through
//! sudo. Every argument is checked again here, and under sudo the storage
//! root is Dokku's default `/var/lib/dokku/data/storage` whatever the
//! environment says.

use std::process::ExitCode;

use dokku_core::Paths;
use dokku_output::Output;
use dokku_storage::helpers::{apply, RootOp};

fn main() -> ExitCode {
    let out = Output::stdio(false);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let paths = if std::env::var_os("SUDO_UID").is_some() {
        Paths::for_roots(
            std::path::Path::new("/home/dokku"),
            std::path::Path::new("/var/lib/dokku"),
        )
    } else {
        Paths::from_env()
    };
    let result = RootOp::from_args(&args)
        .and_then(|op| apply(&dokku_storage::entry::storage_root(&paths), &op));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.warn(&e.to_string());
            ExitCode::FAILURE
        }
    }
}
