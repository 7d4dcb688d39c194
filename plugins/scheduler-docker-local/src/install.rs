//! The install step: property root and data directory, then, on the host
//! installation only, what runs `ps:retire` every five minutes (a systemd
//! service and timer, or a cron entry where systemd does not run) and the
//! sudoers entry letting the system user run the healthchecker.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_core::{fsutil, Result};
use dokku_trigger::migrate;
use dokku_trigger::Ctx;

use crate::store::PLUGIN;

/// `/etc/systemd/system/dokku-retire.service`.
pub fn retire_service(dokku: &Path, user: &str) -> String {
    format!(
        "[Unit]\nDescription=Dokku retire service\nRequires=docker.service\nAfter=docker.service\n\n[Service]\nType=oneshot\nUser={user}\nExecStart={} ps:retire\nSuccessExitStatus=137\n\n[Install]\nWantedBy=docker.service\n",
        dokku.display()
    )
}

/// `/etc/systemd/system/dokku-retire.timer`.
pub const RETIRE_TIMER: &str = "[Unit]\nDescription=Run dokku-retire.service every 5 minutes\n\n[Timer]\nOnCalendar=*:0/5\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n";

/// `/etc/cron.d/dokku-retire`, where systemd does not run.
pub fn retire_cron(dokku: &Path, user: &str) -> String {
    format!(
        "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n*/5 * * * * {user} {} ps:retire >> /var/log/dokku/retire.log 2>&1\n",
        dokku.display()
    )
}

/// Whether this is the host's installation (the system user's home is
/// `DOKKU_ROOT`), as opposed to a scratch one in temporary directories,
/// which must not touch `/etc`.
fn is_host_install(ctx: &Ctx) -> bool {
    dokku_core::system::is_root()
        && dokku_core::system::home_of(&ctx.paths.system_user)
            .is_some_and(|h| h == ctx.paths.dokku_root)
}

fn dokku_binary() -> PathBuf {
    std::env::current_exe().unwrap_or_else(|_| PathBuf::from("/usr/bin/dokku"))
}

fn systemctl(args: &[&str]) {
    let _ = Command::new("systemctl")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|c| c.is_file())
    })
}

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, PLUGIN)?;
    let data = ctx.paths.plugin_data_dir(PLUGIN);
    fsutil::ensure_dir(&data)?;
    fsutil::set_permissions(&data, 0o755)?;
    if !is_host_install(ctx) {
        return Ok(());
    }
    let user = &ctx.paths.system_user;
    let dokku = dokku_binary();
    fsutil::remove_file(Path::new("/etc/sudoers.d/dokku-cron"))?;
    if let Some(checker) = find_on_path("docker-container-healthchecker") {
        let path = Path::new("/etc/sudoers.d/dokku-docker-container-healthchecker");
        let line = format!("%{user} ALL=(ALL) NOPASSWD:{}\n", checker.display());
        fsutil::write_atomic(path, line.as_bytes(), 0o440)?;
        let _ = std::os::unix::fs::chown(path, Some(0), Some(0));
    }
    if Path::new("/run/systemd/system").is_dir() {
        let dir = Path::new("/etc/systemd/system");
        let service = dir.join("dokku-retire.service");
        let timer = dir.join("dokku-retire.timer");
        fsutil::write_atomic(&service, retire_service(&dokku, user).as_bytes(), 0o644)?;
        fsutil::write_atomic(&timer, RETIRE_TIMER.as_bytes(), 0o644)?;
        for p in [&service, &timer] {
            let _ = std::os::unix::fs::chown(p, Some(0), Some(0));
        }
        systemctl(&["daemon-reload"]);
        systemctl(&["--quiet", "reenable", "dokku-retire"]);
        systemctl(&["--quiet", "enable", "dokku-retire.timer"]);
        systemctl(&["start", "dokku-retire.timer"]);
    } else if Path::new("/etc/cron.d").is_dir() {
        let path = Path::new("/etc/cron.d/dokku-retire");
        fsutil::write_atomic(path, retire_cron(&dokku, user).as_bytes(), 0o644)?;
        let _ = std::os::unix::fs::chown(path, Some(0), Some(0));
    }
    Ok(())
}
