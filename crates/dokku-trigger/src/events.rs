//! The event log: with `DOKKU_EVENTS` set (`events:on`), every trigger
//! call is recorded as one line in `$DOKKU_EVENTS_LOGFILE`
//! (`$DOKKU_LOGS_DIR/events.log`), in the syslog form Dokku's events
//! plugin produces through rsyslog. We append the line ourselves, so the
//! log works where no syslog daemon runs.

use std::io::Write;
use std::path::PathBuf;

use dokku_core::time::Utc;

use crate::Ctx;

/// Whether events are being logged.
pub fn enabled() -> bool {
    std::env::var("DOKKU_EVENTS")
        .map(|v| !v.is_empty())
        .unwrap_or(false)
}

/// The event log file.
pub fn log_file(ctx: &Ctx) -> PathBuf {
    std::env::var("DOKKU_EVENTS_LOGFILE")
        .ok()
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| ctx.paths.logs_dir.join("events.log"))
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// The line for one trigger call.
pub fn line(stamp: &str, host: &str, pid: u32, name: &str, args: &[String]) -> String {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    format!(
        "{stamp} {host} dokku-event[{pid}]: INVOKED: {name}( {} ) NAME={} FINGERPRINT={} DOKKU_PID={}\n",
        args.join(" "),
        var("NAME"),
        var("FINGERPRINT"),
        var("DOKKU_PID"),
    )
}

/// Trace a trigger call, and record it when events are on. A log that cannot be written
/// loses the line; the command goes on.
pub fn record(ctx: &Ctx, name: &str, args: &[String]) {
    // Under `--trace`, every trigger call shows as the plugn call it
    // stands for.
    tracing::debug!("+ plugn trigger {name} {}", args.join(" "));
    if !enabled() {
        return;
    }
    let text = line(
        &Utc::now().syslog(),
        &hostname(),
        std::process::id(),
        name,
        args,
    );
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_file(ctx))
    {
        let _ = f.write_all(text.as_bytes());
    }
}
