//! The install step: property root, then `DOKKU_APP_TYPE` and
//! `DOKKU_SKIP_CLEANUP` moved into builder properties; on the host's
//! installation, the daily `docker builder prune` (a systemd timer, or a
//! cron entry where systemd does not run).

use dokku_core::{system, Result};
use dokku_trigger::migrate::{self, verbatim};
use dokku_trigger::Ctx;

use crate::props::PLUGIN;

/// `/etc/systemd/system/docker-builder-prune.service`.
pub fn prune_service(user: &str) -> String {
    format!(
        "[Unit]\nDescription=Prune the docker build cache\nRequires=docker.service\nAfter=docker.service\n\n[Service]\nType=oneshot\nUser={user}\nExecStart=docker builder prune -f\n"
    )
}

/// `/etc/systemd/system/docker-builder-prune.timer`.
pub const PRUNE_TIMER: &str = "[Unit]\nDescription=Prune the docker build cache daily\n\n[Timer]\nOnCalendar=Mon..Sun 04:05\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n";

/// `/etc/cron.d/docker-builder-prune`, where systemd does not run.
pub fn prune_cron(user: &str) -> String {
    format!(
        "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n5 4 * * * {user} docker builder prune >>/var/log/dokku/builder-prune.log 2>&1\n"
    )
}

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    if system::is_host_install(&ctx.paths.system_user, &ctx.paths.dokku_root) {
        let user = &ctx.paths.system_user;
        system::Schedule {
            name: "docker-builder-prune",
            service: &prune_service(user),
            timer: PRUNE_TIMER,
            cron: &prune_cron(user),
        }
        .install()?;
    }
    migrate::ensure_property_root(ctx, PLUGIN)?;
    migrate::ensure_env_migrated(ctx)?;
    migrate::config_to_property_everywhere(
        ctx,
        PLUGIN,
        "DOKKU_APP_TYPE",
        "detected",
        false,
        verbatim,
    )?;
    migrate::config_to_property_everywhere(
        ctx,
        PLUGIN,
        "DOKKU_SKIP_CLEANUP",
        "skip-cleanup",
        true,
        verbatim,
    )
}
