//! The root-only storage operations, for the dokku user to run through
//! sudo. Called as `dokku-storage-helper chown <name> <uid> | chmod <name>
//! <mode> | remove <name>`, or, through the links the install lays at
//! Dokku's paths (`$PLUGIN_AVAILABLE_PATH/storage/bin/`), as
//! `chown-storage-dir <dir> <id>`, `chmod-storage-dir <dir> <mode>` and
//! `destroy-storage-dir <dir>`. Every argument is checked again here, and
//! under sudo the storage root is Dokku's default
//! `/var/lib/dokku/data/storage` whatever the environment says (the
//! sudoers file keeps `DOKKU_LIB_ROOT`, as Dokku's does, but a root
//! helper taking its confinement from the caller would confine nothing).

use std::process::ExitCode;

use dokku_core::Paths;
use dokku_output::Output;
use dokku_storage::helpers::{apply, RootOp};

fn main() -> ExitCode {
    let out = Output::stdio(false);
    let mut argv = std::env::args();
    let program = argv
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_default();
    let args: Vec<String> = argv.collect();
    let paths = if std::env::var_os("SUDO_UID").is_some() {
        Paths::for_roots(
            std::path::Path::new("/home/dokku"),
            std::path::Path::new("/var/lib/dokku"),
        )
    } else {
        Paths::from_env()
    };
    let root = dokku_storage::entry::storage_root(&paths);
    let result = RootOp::from_dokku_args(&program, &root, &args)
        .unwrap_or_else(|| RootOp::from_args(&args))
        .and_then(|op| apply(&root, &op));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.warn(&e.to_string());
            ExitCode::FAILURE
        }
    }
}
