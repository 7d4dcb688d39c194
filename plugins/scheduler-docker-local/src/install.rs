//! The install step: property root and data directory, then, on the host
//! installation only, what runs `ps:retire` every five minutes (a systemd
//! service and timer, or a cron entry where systemd does not run) and the
//! sudoers entry letting the system user run the healthchecker.

use std::path::{Path, PathBuf};

use dokku_core::{fsutil, system, Result};
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
    if !system::is_host_install(&ctx.paths.system_user, &ctx.paths.dokku_root) {
        return Ok(());
    }
    let user = &ctx.paths.system_user;
    let dokku = system::dokku_binary();
    fsutil::remove_file(Path::new("/etc/sudoers.d/dokku-cron"))?;
    if let Some(checker) = find_on_path("docker-container-healthchecker") {
        system::write_sudoers(
            Path::new("/etc/sudoers.d/dokku-docker-container-healthchecker"),
            &format!(
                "%{} ALL=(ALL) NOPASSWD:{}\n",
                ctx.paths.system_group,
                checker.display()
            ),
        )?;
    }
    system::Schedule {
        name: "dokku-retire",
        service: &retire_service(&dokku, user),
        timer: RETIRE_TIMER,
        cron: &retire_cron(&dokku, user),
    }
    .install()
}
