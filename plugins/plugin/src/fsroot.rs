//! File writes for plugin code. Plugin files and the shell library are run
//! and sourced by root (`plugin:*` commands fire triggers as root), so unlike
//! state files they are never handed to the system user: what is created
//! here belongs to the user running the install.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use dokku_core::{Error, Result};

/// Create a directory and its missing parents.
pub fn create_dir_all(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))
}

/// Replace `path` with `data` in one rename, with permissions `mode`,
/// leaving it (and any parent created) to the user running the install.
pub fn write_file(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    dokku_core::fsutil::write_atomic_unowned(path, data, mode)
}

/// Copy a tree (files with their modes, directories, symlinks as links),
/// skipping top-level entries named in `skip`. `to` must not exist.
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    fs::create_dir(to).map_err(|e| Error::io("create directory", to, e))?;
    let entries = fs::read_dir(from).map_err(|e| Error::io("read directory", from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read directory", from, e))?;
        if skip.iter().any(|s| entry.file_name() == *s) {
            continue;
        }
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let ft = entry.file_type().map_err(|e| Error::io("stat", &src, e))?;
        if ft.is_symlink() {
            let target = fs::read_link(&src).map_err(|e| Error::io("readlink", &src, e))?;
            std::os::unix::fs::symlink(&target, &dst).map_err(|e| Error::io("symlink", &dst, e))?;
        } else if ft.is_dir() {
            copy_tree(&src, &dst, &[])?;
        } else if ft.is_file() {
            fs::copy(&src, &dst).map_err(|e| Error::io("copy", &src, e))?;
        }
    }
    if let Ok(meta) = fs::metadata(from) {
        let mode = meta.permissions().mode() & 0o777;
        fs::set_permissions(to, fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io("chmod", to, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_keeps_modes_and_links_and_skips() {
        let d = tempfile::tempdir().expect("tempdir");
        let src = d.path().join("src");
        fs::create_dir_all(src.join("sub")).expect("mkdir");
        fs::create_dir_all(src.join(".git")).expect("mkdir");
        fs::write(src.join("sub/run"), "#!/bin/sh\n").expect("write");
        fs::set_permissions(src.join("sub/run"), fs::Permissions::from_mode(0o755)).expect("chmod");
        std::os::unix::fs::symlink("sub/run", src.join("commands")).expect("link");
        let dst = d.path().join("dst");
        copy_tree(&src, &dst, &[".git"]).expect("copy");
        assert!(!dst.join(".git").exists());
        assert_eq!(
            fs::metadata(dst.join("sub/run"))
                .expect("stat")
                .permissions()
                .mode()
                & 0o777,
            0o755
        );
        assert_eq!(
            fs::read_link(dst.join("commands")).expect("link"),
            Path::new("sub/run")
        );
        assert!(copy_tree(&src, &dst, &[]).is_err(), "target must not exist");
    }

    #[test]
    fn write_replaces_whole_file() {
        let d = tempfile::tempdir().expect("tempdir");
        let f = d.path().join("a/b/plugin.toml");
        write_file(&f, b"one", 0o644).expect("write");
        write_file(&f, b"two", 0o755).expect("write");
        assert_eq!(fs::read(&f).expect("read"), b"two");
        assert_eq!(
            fs::metadata(&f).expect("stat").permissions().mode() & 0o777,
            0o755
        );
        assert_eq!(
            fs::read_dir(d.path().join("a/b")).expect("dir").count(),
            1,
            "no temporary left"
        );
    }
}
