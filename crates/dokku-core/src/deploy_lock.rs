//! The per-app deploy lock: Dokku's visible
//! `$DOKKU_LIB_ROOT/data/apps/<app>/.deploy.lock`.
//!
//! `apps:lock` creates the file empty to refuse deploys until `apps:unlock`.
//! A deploy creates it too, writes its pid into it and holds an `flock` on
//! it while it runs, so a second deploy of the same app is refused instead
//! of interleaving; the file is removed when the deploy ends. A file left
//! behind by a killed deploy (a pid inside, no `flock` held) is taken over.
//!
//! The lock is re-entrant within one process: the git plugin takes it for a
//! push and the deploy machinery takes it again for the deploy that follows.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use dokku_output::Output;
use nix::fcntl::{Flock, FlockArg};

use crate::apps::deploy_lock_path;
use crate::error::{Error, Result};
use crate::paths::Paths;

/// The warning printed before refusing a locked app.
pub fn locked_message(app: &str) -> String {
    format!("{app} currently has a deploy lock in place. Exiting...")
}

/// The failure that follows [`locked_message`].
pub const UNLOCK_HINT: &str = "Run 'apps:unlock' to release the existing deploy lock";

fn held() -> &'static Mutex<HashMap<PathBuf, usize>> {
    static HELD: OnceLock<Mutex<HashMap<PathBuf, usize>>> = OnceLock::new();
    HELD.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A held deploy lock; released (and its file removed) on drop.
#[derive(Debug)]
pub struct DeployLock {
    path: PathBuf,
    /// The flock and the inode it is on; `None` for a re-entrant hold.
    inner: Option<(Flock<File>, u64)>,
}

fn refuse(out: &Output, app: &str) -> Error {
    out.warn(&locked_message(app));
    Error::fail(UNLOCK_HINT)
}

impl DeployLock {
    /// Take the deploy lock of `app`, or print Dokku's two lines and fail
    /// when the app is locked (`apps:lock`) or another deploy holds it.
    pub fn acquire(paths: &Paths, app: &str, out: &Output) -> Result<DeployLock> {
        crate::apps::validate_name(app)?;
        let path = deploy_lock_path(paths, app);
        {
            let mut map = held()
                .lock()
                .map_err(|_| Error::other("deploy lock", "poisoned"))?;
            if let Some(n) = map.get_mut(&path) {
                *n += 1;
                return Ok(DeployLock { path, inner: None });
            }
        }
        if let Some(dir) = path.parent() {
            crate::fsutil::ensure_dir(dir)?;
        }
        let (file, fresh) = match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o644)
            .open(&path)
        {
            Ok(f) => (f, true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let f = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(&path)
                    .map_err(|e| Error::io("open", &path, e))?;
                (f, false)
            }
            Err(e) => return Err(Error::io("create", &path, e)),
        };
        crate::system::chown_to_system(&path);
        let mut lock = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(l) => l,
            Err(_) => return Err(refuse(out, app)),
        };
        if !fresh {
            let mut content = String::new();
            let _ = lock.read_to_string(&mut content);
            if content.trim().is_empty() {
                // Created by apps:lock: the app is locked by hand.
                return Err(refuse(out, app));
            }
        }
        let write = |f: &mut Flock<File>| -> std::io::Result<u64> {
            f.set_len(0)?;
            f.seek(SeekFrom::Start(0))?;
            // The build id when a build is being recorded, else our pid, as
            // Dokku writes it.
            let owner = std::env::var("DOKKU_BUILD_ID")
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| std::process::id().to_string());
            f.write_all(format!("{owner}\n").as_bytes())?;
            f.sync_all()?;
            Ok(f.metadata()?.ino())
        };
        let ino = write(&mut lock).map_err(|e| Error::io("write", &path, e))?;
        held()
            .lock()
            .map_err(|_| Error::other("deploy lock", "poisoned"))?
            .insert(path.clone(), 1);
        Ok(DeployLock {
            path,
            inner: Some((lock, ino)),
        })
    }

    /// Whether this guard is the outermost hold of the lock.
    pub fn is_outermost(&self) -> bool {
        self.inner.is_some()
    }
}

impl Drop for DeployLock {
    fn drop(&mut self) {
        if let Ok(mut map) = held().lock() {
            if self.inner.is_none() {
                if let Some(n) = map.get_mut(&self.path) {
                    *n = n.saturating_sub(1);
                }
                return;
            }
            map.remove(&self.path);
        }
        if let Some((_lock, ino)) = self.inner.take() {
            // Remove the file only if it is still ours (apps:lock may have
            // replaced it meanwhile); the flock goes with the descriptor.
            if std::fs::metadata(&self.path)
                .map(|m| m.ino() == ino)
                .unwrap_or(false)
            {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, Paths) {
        let (d, paths) = crate::Paths::temp();
        std::fs::create_dir_all(paths.app_dir("app")).expect("app dir");
        (d, paths)
    }

    #[test]
    fn held_while_deploying_then_removed() {
        let (_d, paths) = setup();
        let (out, _) = Output::captured(false);
        let lock = DeployLock::acquire(&paths, "app", &out).expect("lock");
        let file = deploy_lock_path(&paths, "app");
        assert!(file.exists());
        let again = DeployLock::acquire(&paths, "app", &out).expect("re-entrant");
        assert!(!again.is_outermost());
        drop(again);
        assert!(file.exists());
        drop(lock);
        assert!(!file.exists());
    }

    #[test]
    fn a_manual_lock_refuses_and_a_stale_one_is_taken_over() {
        let (_d, paths) = setup();
        let (out, cap) = Output::captured(false);
        let file = deploy_lock_path(&paths, "app");
        assert!(file.ends_with("lib/data/apps/app/.deploy.lock"));
        std::fs::create_dir_all(file.parent().expect("dir")).expect("data dir");
        std::fs::write(&file, "").expect("apps:lock");
        let e = DeployLock::acquire(&paths, "app", &out).expect_err("locked");
        assert_eq!(e.to_string(), UNLOCK_HINT);
        assert_eq!(
            cap.stderr(),
            " !     app currently has a deploy lock in place. Exiting...\n"
        );
        assert!(file.exists(), "a manual lock stays");
        std::fs::write(&file, "12345\n").expect("stale");
        let lock = DeployLock::acquire(&paths, "app", &out).expect("take over");
        drop(lock);
        assert!(!file.exists());
    }
}
