//! The events plugin: `events:on` / `events:off` switch the event log
//! through an rc file in `$DOKKU_ROOT/.dokkurc/`; `events` shows its last
//! lines (or follows it with `-t`); `events:list` names the triggers that
//! are logged. The logging itself happens on the trigger bus
//! (`dokku_trigger::events`), for every trigger call.

use std::io::{BufRead, Read, Seek, SeekFrom, Write};
use std::path::Path;

use dokku_core::{fsutil, system, Error, Result};
use dokku_trigger::plugin::{Bare, Command, HelpStyle};
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "20_events",
    description: "dokku core events plugin",
    summary: "Manage event logging",
    namespace: Some("events"),
    commands: &[
        Command {
            name: "events:list",
            takes_app: false,
            run: list,
        },
        Command {
            name: "events:on",
            takes_app: false,
            run: on,
        },
        Command {
            name: "events:off",
            takes_app: false,
            run: off,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "events [-t], Show the last events (-t follows)",
        "events:list, List logged events",
        "events:off, Disable events logger",
        "events:on, Enable events logger",
    ],
    bare: Bare::Run {
        run: show,
        help_flag: true,
    },
    register,
};

/// Every trigger name Dokku documents: the calls the log records.
const TRIGGER_NAMES: &str = include_str!("trigger-names.txt");

/// The syslog rule that routes Dokku's event lines to the events log.
const RSYSLOG_CONF: &str = ":syslogtag, contains, \"dokku-event\" /var/log/dokku/events.log\n";

/// Rotation of Dokku's logs.
const LOGROTATE_CONF: &str = "/var/log/dokku/*.log {\n  daily\n  missingok\n  rotate 7\n  compress\n  delaycompress\n  notifempty\n  copytruncate\n}\n";

fn register(bus: &mut Bus) {
    bus.on_install("20_events", install);
}

/// The install step: the logs directory and an events log writable by
/// the system user's group; on a system install (run as root against
/// `/etc`), the syslog rule and the log rotation, when missing.
fn install(ctx: &Ctx) -> Result<()> {
    let dir = &ctx.paths.logs_dir;
    fsutil::ensure_dir(dir)?;
    fsutil::set_mode(dir, 0o775)?;
    let log = dokku_trigger::events::log_file(ctx);
    if !log.exists() {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(|e| Error::io("create", &log, e))?;
        system::chown_to_system(&log);
    }
    fsutil::set_mode(&log, 0o664)?;
    for p in [dir.as_path(), log.as_path()] {
        give_to_group(p);
    }
    if system::is_root() && ctx.paths.lib_root == Path::new("/var/lib/dokku") {
        write_if_lacking(
            Path::new("/etc/rsyslog.d/99-dokku.conf"),
            RSYSLOG_CONF,
            "dokku-event",
        )?;
        write_if_lacking(Path::new("/etc/logrotate.d/dokku"), LOGROTATE_CONF, "")?;
    }
    Ok(())
}

/// Dokku's ownership of the logs directory and the events log: group
/// `dokku`, and, except on arch, debian and raspbian, owner `syslog` (when
/// that user exists). Only root changes owners.
fn give_to_group(path: &Path) {
    if !system::is_root() {
        return;
    }
    let Some((_, gid)) = system::system_ids() else {
        return;
    };
    let distro = std::env::var("DOKKU_DISTRO").unwrap_or_default();
    let owner = if matches!(distro.as_str(), "arch" | "debian" | "raspbian") {
        None
    } else {
        nix::unistd::User::from_name("syslog")
            .ok()
            .flatten()
            .map(|u| u.uid)
    };
    let _ = nix::unistd::chown(path, owner, Some(nix::unistd::Gid::from_raw(gid)));
}

/// Write `text` to a system file that is missing, or that lacks `marker`
/// (an empty marker: only when missing). Its directory must exist: a host
/// without rsyslog or logrotate gets no file.
fn write_if_lacking(path: &Path, text: &str, marker: &str) -> Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    if !parent.is_dir() {
        return Ok(());
    }
    let current = std::fs::read_to_string(path).ok();
    let lacking = match &current {
        None => true,
        Some(c) => !marker.is_empty() && !c.contains(marker),
    };
    if lacking {
        fsutil::write_atomic_unowned(path, text.as_bytes(), 0o644)?;
    }
    Ok(())
}

fn on(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    ctx.switch_rc("DOKKU_EVENTS", true, "Enabling dokku events logger")
}

fn off(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    ctx.switch_rc("DOKKU_EVENTS", false, "Disabling dokku events logger")
}

fn list(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    ctx.out.info2("Events currently logged");
    for name in TRIGGER_NAMES.lines().filter(|l| !l.is_empty()) {
        ctx.out.line(name);
    }
    Ok(())
}

/// `events [-t]`: the last 100 lines of the log, or follow it.
fn show(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let log = dokku_trigger::events::log_file(ctx);
    let Ok(mut f) = std::fs::File::open(&log) else {
        return Ok(());
    };
    let follow = argv.iter().any(|a| a == "-t");
    let mut text = String::new();
    f.read_to_string(&mut text)
        .map_err(|e| Error::io("read", &log, e))?;
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(100);
    for l in &lines[start..] {
        ctx.out.line(l);
    }
    if !follow {
        return Ok(());
    }
    let mut pos = f
        .stream_position()
        .map_err(|e| Error::io("read", &log, e))?;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        // A rotated (truncated) log is read again from its start.
        let len = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
        if len < pos {
            pos = 0;
        }
        f.seek(SeekFrom::Start(pos))
            .map_err(|e| Error::io("read", &log, e))?;
        let mut reader = std::io::BufReader::new(&f);
        let mut buf = String::new();
        loop {
            let n = reader
                .read_line(&mut buf)
                .map_err(|e| Error::io("read", &log, e))?;
            // Only whole lines are shown; a partial one is read again.
            if n == 0 || !buf.ends_with('\n') {
                break;
            }
            ctx.out.write_out(&buf);
            pos += n as u64;
            buf.clear();
        }
        let _ = std::io::stdout().flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_trigger_is_listed() {
        let names: Vec<&str> = TRIGGER_NAMES.lines().collect();
        assert!(names.contains(&"post-deploy") && names.contains(&"install"));
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }
}
