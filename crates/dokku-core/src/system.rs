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

/// The running dokku binary, the path unit files and cron entries name
/// (`/usr/bin/dokku` when it cannot be found out).
pub fn dokku_binary() -> std::path::PathBuf {
    std::env::current_exe().unwrap_or_else(|_| "/usr/bin/dokku".into())
}

/// Whether systemd runs this host (its runtime directory exists).
pub fn has_systemd() -> bool {
    Path::new("/run/systemd/system").is_dir()
}

/// Write a host configuration file as root's, 0644 (unit files, cron
/// entries).
pub fn write_host_file(path: &Path, text: &str) -> crate::Result<()> {
    crate::fsutil::write_atomic_unowned(path, text.as_bytes(), 0o644)?;
    let _ = nix::unistd::chown(path, Some(Uid::from_raw(0)), Some(Gid::from_raw(0)));
    Ok(())
}

/// Run `systemctl` quietly; failures are ignored (a host where it cannot
/// act keeps the files for the next boot).
pub fn systemctl(args: &[&str]) {
    let _ = std::process::Command::new("systemctl")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

/// A job the host runs on a schedule, installed as Dokku's install steps
/// do: with systemd, `/etc/systemd/system/<name>.service` and
/// `<name>.timer` (re-enabled, enabled and started); otherwise
/// `/etc/cron.d/<name>`. Files are root-owned, 0644.
pub struct Schedule<'a> {
    /// Unit and cron file name.
    pub name: &'a str,
    /// The `.service` unit.
    pub service: &'a str,
    /// The `.timer` unit.
    pub timer: &'a str,
    /// The cron file.
    pub cron: &'a str,
}

impl Schedule<'_> {
    /// Install the schedule on this host.
    pub fn install(&self) -> crate::Result<()> {
        self.install_at(has_systemd(), Path::new("/etc"))
    }

    /// Install under `etc`, as for a host with or without systemd.
    pub fn install_at(&self, systemd: bool, etc: &Path) -> crate::Result<()> {
        if systemd {
            let dir = etc.join("systemd/system");
            write_host_file(&dir.join(format!("{}.service", self.name)), self.service)?;
            write_host_file(&dir.join(format!("{}.timer", self.name)), self.timer)?;
            systemctl(&["daemon-reload"]);
            systemctl(&["--quiet", "reenable", self.name]);
            systemctl(&["--quiet", "enable", &format!("{}.timer", self.name)]);
            systemctl(&["start", &format!("{}.timer", self.name)]);
        } else {
            write_host_file(&etc.join("cron.d").join(self.name), self.cron)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod schedule_tests {
    use super::*;

    #[test]
    fn cron_without_systemd_units_with_it() {
        let d = tempfile::tempdir().expect("tempdir");
        let s = Schedule {
            name: "job",
            service: "S\n",
            timer: "T\n",
            cron: "C\n",
        };
        s.install_at(false, d.path()).expect("cron");
        assert_eq!(
            std::fs::read_to_string(d.path().join("cron.d/job")).expect("read"),
            "C\n"
        );
        assert!(!d.path().join("systemd").exists());
        // (systemctl is not run against a scratch tree's units: only the
        // files are checked here.)
    }
}
