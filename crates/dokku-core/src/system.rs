//! The system user and group Dokku runs as, and ownership of what it writes.

use std::path::Path;
use std::sync::OnceLock;

use nix::unistd::{Gid, Group, Uid, User};

/// Uid and gid of the configured system user, when it exists.
pub fn system_ids() -> Option<(u32, u32)> {
    static IDS: OnceLock<Option<(u32, u32)>> = OnceLock::new();
    *IDS.get_or_init(|| {
        let user = std::env::var("DOKKU_SYSTEM_USER").unwrap_or_else(|_| "dokku".into());
        let group = std::env::var("DOKKU_SYSTEM_GROUP").unwrap_or_else(|_| user.clone());
        let u = User::from_name(&user).ok().flatten()?;
        let gid = Group::from_name(&group)
            .ok()
            .flatten()
            .map(|g| g.gid)
            .unwrap_or(u.gid);
        Some((u.uid.as_raw(), gid.as_raw()))
    })
}

/// Whether this process runs as root.
pub fn is_root() -> bool {
    Uid::effective().is_root()
}

/// When running as root, hand `path` to the system user so the `dokku`
/// account can rewrite it later. A no-op for other users or when the system
/// user does not exist.
pub fn chown_to_system(path: &Path) {
    if !is_root() {
        return;
    }
    if let Some((uid, gid)) = system_ids() {
        if uid == 0 {
            return;
        }
        let _ = nix::unistd::chown(path, Some(Uid::from_raw(uid)), Some(Gid::from_raw(gid)));
    }
}

/// The name of the user running this process.
pub fn current_user_name() -> String {
    User::from_uid(Uid::effective())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| Uid::effective().to_string())
}

/// Home directory of a named user.
pub fn home_of(user: &str) -> Option<std::path::PathBuf> {
    User::from_name(user).ok().flatten().map(|u| u.dir)
}

/// Whether this is the host's installation: root runs it and the system
/// user's home is `dokku_root` (a scratch installation in temporary
/// directories must not touch `/etc`).
pub fn is_host_install(system_user: &str, dokku_root: &Path) -> bool {
    is_root() && home_of(system_user).is_some_and(|h| h == dokku_root)
}

/// Write a sudoers file (0440, root-owned) when `visudo` accepts it (or
/// is missing); an invalid one is not installed.
pub fn write_sudoers(path: &Path, text: &str) -> crate::Result<()> {
    let tmp = path.with_extension("dokku-new");
    crate::fsutil::write_atomic_unowned(&tmp, text.as_bytes(), 0o440)?;
    let valid = std::process::Command::new("visudo")
        .arg("-cf")
        .arg(&tmp)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(true);
    if !valid {
        crate::fsutil::remove_file(&tmp)?;
        return Ok(());
    }
    std::fs::rename(&tmp, path).map_err(|e| crate::Error::io("rename", &tmp, e))
}
