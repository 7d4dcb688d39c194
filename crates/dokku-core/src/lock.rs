//! Per-app locks that serialise read-modify-write cycles on an app's state.
//!
//! The lock is an advisory `flock` on a file under the lib root; the kernel
//! drops it when the process dies, so a killed command never leaves an app
//! locked. (This is not Dokku's deploy lock, which is a visible file that
//! `apps:lock` creates and `apps:unlock` removes.)

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;

use nix::fcntl::{Flock, FlockArg};

use crate::error::{Error, Result};
use crate::fsutil::ensure_dir;
use crate::paths::Paths;

/// Held while an app's state is being read and rewritten.
#[derive(Debug)]
pub struct StateLock {
    _lock: Flock<File>,
}

impl StateLock {
    /// Block until the state lock of `app` (or `--global`) is ours.
    pub fn acquire(paths: &Paths, app: &str) -> Result<Self> {
        let dir = paths.lock_dir();
        ensure_dir(&dir)?;
        let path = dir.join(format!("{app}.lock"));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o644)
            .open(&path)
            .map_err(|e| Error::io("open lock", &path, e))?;
        crate::system::chown_to_system(&path);
        let lock = Flock::lock(file, FlockArg::LockExclusive)
            .map_err(|(_, e)| Error::io("lock", &path, std::io::Error::from(e)))?;
        Ok(StateLock { _lock: lock })
    }
}
