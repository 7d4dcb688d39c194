//! `scheduler-swarm:watch`: keeps every swarm app's routes on its running
//! web tasks while nobody reads the app's status. When Swarm replaces a
//! task (a node lost, a task that died), the new one runs elsewhere or on
//! another port, and nginx must be pointed at it.
//!
//! One long-lived process per host, kept alive by what the install step
//! writes: a systemd service started by a timer every minute, or a cron
//! line every minute where systemd does not run. A second watcher finds
//! the lock (`flock` on `<plugin data>/watch.lock`) held and exits at once,
//! so starting it again and again is harmless and a dead one comes back
//! within a minute. Each round rewrites the web records of every swarm app
//! from its running tasks (nginx rebuilt only for apps whose records
//! changed, apps being deployed left alone), then waits for the manager's
//! next `node` or `service` event (a node going down, a service updated)
//! or [`ROUND`], whichever comes first: tasks themselves have no events on
//! a manager, so a task rescheduled after a node loss is seen by the
//! rounds that follow. With no app on the swarm, or when this host has not
//! been its manager for a minute, it ends, to be started again a minute
//! later.

use std::time::Duration;

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

/// The longest wait between two rounds.
pub const ROUND: Duration = Duration::from_secs(5);
/// The rounds in a row without a manager after which the watcher ends.
const PATIENCE: u32 = 12;

/// One round: the routes of every swarm app brought in line.
pub fn round(ctx: &Ctx) {
    for app in apps::list(&ctx.paths) {
        match crate::routes::refresh(ctx, &app) {
            Ok(true) => ctx.out.verbose_quiet(&format!("Routes of {app} updated")),
            Ok(false) => {}
            Err(e) => ctx
                .out
                .warn(&format!("Unable to refresh the routes of {app}: {e}")),
        }
    }
}

/// Wait for the manager's next node or service event, or `ROUND`.
fn wait_for_news(ctx: &Ctx) {
    let waited = crate::logs::workloads(ctx).and_then(|w| {
        let until = dokku_core::time::now_unix() + i64::try_from(ROUND.as_secs()).unwrap_or(5);
        w.events(&["node", "service"], until, &mut |_| false)
            .map_err(|e| Error::other("docker", e))
    });
    if waited.is_err() {
        std::thread::sleep(ROUND);
    }
}

/// Whether any app is scheduled on the swarm (no engine asked).
fn any_swarm_app(ctx: &Ctx) -> bool {
    apps::list(&ctx.paths).iter().any(|app| {
        dokku_trigger::deploy::scheduler_of(ctx, app).is_ok_and(|s| s == crate::SCHEDULER)
    })
}

/// `scheduler-swarm:watch`: run while there is something to watch (an
/// app on the swarm, this host its manager), else return at once: the
/// timer or cron line that starts it every minute brings it back. It also
/// returns at once when another watcher runs.
pub fn watch(ctx: &Ctx) -> Result<()> {
    if !any_swarm_app(ctx) {
        return Ok(());
    }
    use nix::fcntl::{Flock, FlockArg};
    let dir = ctx.paths.plugin_data_dir(crate::NAME);
    dokku_core::fsutil::ensure_dir(&dir)?;
    let path = dir.join("watch.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("open", &path, e))?;
    let _held = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(held) => held,
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => return Ok(()),
        Err((_, e)) => return Err(Error::io("lock", &path, std::io::Error::from(e))),
    };
    // A manager that does not answer (a node being lost, the engine
    // restarting) is waited for, up to a minute.
    let mut failed = 0;
    while any_swarm_app(ctx) && failed < PATIENCE {
        if crate::cluster::manager(ctx).is_ok() {
            failed = 0;
            round(ctx);
            wait_for_news(ctx);
        } else {
            failed += 1;
            std::thread::sleep(ROUND);
        }
    }
    Ok(())
}

/// `/etc/systemd/system/dokku-scheduler-swarm-watch.service`.
pub fn service_unit(dokku: &std::path::Path, user: &str) -> String {
    format!(
        "[Unit]\nDescription=Dokku swarm routes watcher\nRequires=docker.service\nAfter=docker.service\n\n[Service]\nType=simple\nUser={user}\nExecStart={} scheduler-swarm:watch\n\n[Install]\nWantedBy=docker.service\n",
        dokku.display()
    )
}

/// `/etc/systemd/system/dokku-scheduler-swarm-watch.timer`: (re)starts the
/// watcher at boot and every minute (nothing happens while it runs).
pub const TIMER_UNIT: &str = "[Unit]\nDescription=Keep dokku-scheduler-swarm-watch.service running\n\n[Timer]\nOnBootSec=1min\nOnCalendar=minutely\n\n[Install]\nWantedBy=timers.target\n";

/// `/etc/cron.d/dokku-scheduler-swarm-watch`, where systemd does not run.
pub fn cron_file(dokku: &std::path::Path, user: &str) -> String {
    format!(
        "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n* * * * * {user} {} scheduler-swarm:watch >> /var/log/dokku/scheduler-swarm-watch.log 2>&1\n",
        dokku.display()
    )
}

/// The install step: on the host installation, what keeps the watcher
/// running.
pub fn install(ctx: &Ctx) -> Result<()> {
    if !dokku_core::system::is_host_install(&ctx.paths.system_user, &ctx.paths.dokku_root) {
        return Ok(());
    }
    let dokku = dokku_core::system::dokku_binary();
    let user = &ctx.paths.system_user;
    dokku_core::system::Schedule {
        name: "dokku-scheduler-swarm-watch",
        service: &service_unit(&dokku, user),
        timer: TIMER_UNIT,
        cron: &cron_file(&dokku, user),
    }
    .install()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_run_the_watcher_as_the_dokku_user() {
        let dokku = std::path::Path::new("/usr/bin/dokku");
        let unit = service_unit(dokku, "dokku");
        assert!(unit.contains("\nUser=dokku\n"), "{unit}");
        assert!(
            unit.contains("\nExecStart=/usr/bin/dokku scheduler-swarm:watch\n"),
            "{unit}"
        );
        assert!(TIMER_UNIT.contains("OnCalendar=minutely"));
        assert!(cron_file(dokku, "dokku")
            .contains("* * * * * dokku /usr/bin/dokku scheduler-swarm:watch >> "));
    }
}
