//! Crash-safe file writes: a write lands whole or not at all.
//!
//! Every state file is written to a temporary sibling, flushed to disk, then
//! renamed over the target, and the directory is synced, so a process killed
//! at any point leaves the old content or the new one, never a torn mix.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};
use crate::system::chown_to_system;

/// Create `dir` and its missing parents; every directory created is handed to
/// the system user.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut missing: Vec<PathBuf> = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
    for d in missing.iter().rev() {
        chown_to_system(d);
    }
    Ok(())
}

fn temp_name(target: &Path) -> PathBuf {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Replace `path` with `data` atomically (temp file, fsync, rename, fsync of
/// the directory), creating parent directories. `mode` sets the permissions.
pub fn write_atomic(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    let parent = parent_of(path)?;
    ensure_dir(parent)?;
    replace_file(path, parent, data, mode, true)
}

/// [`write_atomic`] for files that stay with the user writing them, such as
/// plugin code that root runs: neither the file nor the parents it creates
/// are handed to the system user.
pub fn write_atomic_unowned(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    let parent = parent_of(path)?;
    fs::create_dir_all(parent).map_err(|e| Error::io("create directory", parent, e))?;
    replace_file(path, parent, data, mode, false)
}

fn parent_of(path: &Path) -> Result<&Path> {
    path.parent()
        .ok_or_else(|| Error::other("write", format!("{} has no parent", path.display())))
}

/// Write a temporary sibling of `path` in `parent`, fsync it, rename it over
/// `path` and fsync the directory; the temporary file is removed on failure.
fn replace_file(path: &Path, parent: &Path, data: &[u8], mode: u32, hand_over: bool) -> Result<()> {
    let tmp = temp_name(path);
    let result = (|| -> Result<()> {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)
            .map_err(|e| Error::io("create", &tmp, e))?;
        f.write_all(data).map_err(|e| Error::io("write", &tmp, e))?;
        f.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io("chmod", &tmp, e))?;
        f.sync_all().map_err(|e| Error::io("sync", &tmp, e))?;
        drop(f);
        if hand_over {
            chown_to_system(&tmp);
        }
        fs::rename(&tmp, path).map_err(|e| Error::io("rename", path, e))?;
        if let Ok(d) = File::open(parent) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Dokku's `SetPermissions`: chmod `path` to `mode` and, when running as
/// root, hand it to the system user. Used at install to re-own what an
/// older version (or a root shell) left behind.
pub fn set_permissions(path: &Path, mode: u32) -> Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(|e| Error::io("chmod", path, e))?;
    chown_to_system(path);
    Ok(())
}

/// chmod `path` to `mode`, leaving its owner alone (files root keeps).
pub fn set_mode(path: &Path, mode: u32) -> Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(|e| Error::io("chmod", path, e))
}

/// Read a file to a string; `None` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// Remove a file; missing is fine.
pub fn remove_file(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", path, e)),
    }
}

/// Remove a directory tree; missing is fine.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove directory", path, e)),
    }
}

/// Copy a directory tree (files, directories and symlinks), keeping modes.
pub fn copy_dir_all(from: &Path, to: &Path) -> Result<()> {
    ensure_dir(to)?;
    let entries = fs::read_dir(from).map_err(|e| Error::io("read directory", from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read directory", from, e))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let ft = entry.file_type().map_err(|e| Error::io("stat", &src, e))?;
        if ft.is_symlink() {
            let target = fs::read_link(&src).map_err(|e| Error::io("readlink", &src, e))?;
            let _ = fs::remove_file(&dst);
            std::os::unix::fs::symlink(&target, &dst).map_err(|e| Error::io("symlink", &dst, e))?;
        } else if ft.is_dir() {
            copy_dir_all(&src, &dst)?;
        } else {
            fs::copy(&src, &dst).map_err(|e| Error::io("copy", &src, e))?;
            chown_to_system(&dst);
        }
    }
    if let Ok(meta) = fs::metadata(from) {
        let _ = fs::set_permissions(to, meta.permissions());
    }
    Ok(())
}

/// Whether `name` is one plain path segment: not empty, not `.` or `..`, no
/// slash and no NUL. Names from users pass this before they join a path.
pub fn is_single_segment(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains('/') && !name.contains('\0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a/b/file");
        write_atomic(&p, b"one", 0o600).expect("write");
        write_atomic(&p, b"two", 0o600).expect("write");
        assert_eq!(fs::read_to_string(&p).expect("read"), "two");
        let names: Vec<_> = fs::read_dir(p.parent().expect("parent"))
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1);
        let mode = fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn single_segment_rejects_traversal() {
        for bad in ["", ".", "..", "a/b", "../x", "a\0b", "/"] {
            assert!(!is_single_segment(bad), "{bad:?}");
        }
        assert!(is_single_segment("app-1.x"));
    }
}
