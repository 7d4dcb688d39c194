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
