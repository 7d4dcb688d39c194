//! Build records on disk: `$DOKKU_LIB_ROOT/data/builds/<app>/<id>.json`
//! beside the captured `<id>.log`, ids that sort by start time, the
//! display status, and retention.

use std::path::{Path, PathBuf};

use dokku_core::time::{now_unix, Utc};
use dokku_core::{fsutil, Error, Paths, Result};
use serde::{Deserialize, Serialize};

/// Sources recorded as `build` (they produce a new image); the rest are
/// `deploy`.
const BUILD_SOURCES: &[&str] = &[
    "git-hook",
    "ps:rebuild",
    "git:sync",
    "git:from-archive",
    "git:from-image",
    "git:load-image",
];

/// Every source a record may name; anything else is `unknown`.
pub const KNOWN_SOURCES: &[&str] = &[
    "git-hook",
    "ps:rebuild",
    "ps:restart",
    "ps:start",
    "deploy",
    "config-redeploy",
    "git:sync",
    "git:from-archive",
    "git:from-image",
    "git:load-image",
];

/// One build, as stored (field order is the file's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub app: String,
    pub kind: String,
    pub pid: i64,
    pub started_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    pub status: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
}

/// The kind of a build from its source.
pub fn kind_of(source: &str) -> &'static str {
    if BUILD_SOURCES.contains(&source) {
        "build"
    } else {
        "deploy"
    }
}

/// Whether a process is alive on this host.
pub fn pid_alive(pid: i64) -> bool {
    pid > 0 && Path::new(&format!("/proc/{pid}")).exists()
}

impl Record {
    /// The status shown to users: a running record whose process is gone
    /// is `abandoned`.
    pub fn display_status(&self) -> String {
        if self.status == "running" && !pid_alive(self.pid) {
            "abandoned".into()
        } else {
            self.status.clone()
        }
    }

    /// Whether the build is still going.
    pub fn is_live(&self) -> bool {
        self.status == "running" && pid_alive(self.pid)
    }
}

/// `$DOKKU_LIB_ROOT/data/builds`.
pub fn root(paths: &Paths) -> PathBuf {
    paths.lib_root.join("data").join("builds")
}

/// The records directory of an app.
pub fn dir(paths: &Paths, app: &str) -> PathBuf {
    root(paths).join(app)
}

/// The record file of a build.
pub fn json_path(paths: &Paths, app: &str, id: &str) -> PathBuf {
    dir(paths, app).join(format!("{id}.json"))
}

/// The log file of a build.
pub fn log_path(paths: &Paths, app: &str, id: &str) -> PathBuf {
    dir(paths, app).join(format!("{id}.log"))
}

/// Whether `id` can name a record file (no path tricks).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn base36(mut n: u64, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A new id: 8 base36 digits of the millisecond clock, then 6 random ones.
pub fn generate_id() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let mut random = [0u8; 8];
    let filled = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut random))
        .is_ok();
    let r = if filled {
        u64::from_le_bytes(random)
    } else {
        u64::from(std::process::id()) ^ ms.rotate_left(17)
    };
    format!("{}{}", base36(ms, 8), base36(r % 36u64.pow(6), 6))
}

/// Read one record.
pub fn read(paths: &Paths, app: &str, id: &str) -> Option<Record> {
    if !valid_id(id) {
        return None;
    }
    let text = std::fs::read_to_string(json_path(paths, app, id)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Write a record atomically (0644).
pub fn write(paths: &Paths, r: &Record) -> Result<()> {
    let mut text = serde_json::to_string_pretty(r).map_err(|e| Error::other("build record", e))?;
    text.push('\n');
    fsutil::write_atomic(&json_path(paths, &r.app, &r.id), text.as_bytes(), 0o644)
}

/// Every record of an app, newest first.
pub fn list(paths: &Paths, app: &str) -> Vec<Record> {
    let mut ids: Vec<String> = std::fs::read_dir(dir(paths, app))
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".json"))
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort_by(|a, b| b.cmp(a));
    ids.iter().filter_map(|id| read(paths, app, id)).collect()
}

/// A new running record.
pub fn start(paths: &Paths, app: &str, id: &str, pid: i64, source: &str) -> Result<Record> {
    let r = Record {
        id: id.to_string(),
        app: app.to_string(),
        kind: kind_of(source).to_string(),
        pid,
        started_at: Utc::now().iso8601(),
        finished_at: None,
        status: "running".into(),
        source: source.to_string(),
        exit_code: None,
    };
    write(paths, &r)?;
    Ok(r)
}

/// Close a record with `status` and `exit_code`, now.
pub fn finish(paths: &Paths, mut r: Record, status: &str, exit_code: i32) -> Result<Record> {
    r.status = status.to_string();
    r.exit_code = Some(exit_code);
    r.finished_at = Some(Utc::now().iso8601());
    write(paths, &r)?;
    Ok(r)
}

/// Reap abandoned records (finalized as `failed`) and keep the newest
/// `retention` finished ones; live builds always stay.
pub fn prune(paths: &Paths, app: &str, retention: usize) -> Result<()> {
    let mut kept = 0usize;
    for r in list(paths, app) {
        if r.is_live() {
            continue;
        }
        let r = if r.status == "running" {
            let code = r.exit_code.unwrap_or(1);
            finish(paths, r, "failed", code)?
        } else {
            r
        };
        kept += 1;
        if kept > retention {
            for p in [json_path(paths, app, &r.id), log_path(paths, app, &r.id)] {
                match std::fs::remove_file(&p) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io("remove", p, e)),
                }
            }
        }
    }
    Ok(())
}

/// Go's duration form of whole seconds: `45s`, `1m14s`, `2h0m5s`.
pub fn duration(started: &str, finished: &str) -> String {
    let (Some(a), Some(b)) = (parse_iso(started), parse_iso(finished)) else {
        return String::new();
    };
    let s = (b - a).max(0);
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    if h > 0 {
        format!("{h}h{m}m{sec}s")
    } else if m > 0 {
        format!("{m}m{sec}s")
    } else {
        format!("{sec}s")
    }
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SSZ`.
pub fn parse_iso(s: &str) -> Option<i64> {
    dokku_core::time::parse_utc(s)
}

/// Seconds since the epoch, now (for tests of retention by time).
pub fn now() -> i64 {
    now_unix()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_time_and_are_base36() {
        let a = generate_id();
        std::thread::sleep(std::time::Duration::from_millis(3));
        let b = generate_id();
        assert_eq!(a.len(), 14);
        assert!(a < b, "{a} {b}");
        assert!(valid_id(&a));
        assert!(!valid_id("../x") && !valid_id("A") && !valid_id(""));
    }

    #[test]
    fn durations_and_times() {
        assert_eq!(
            duration("2026-04-30T13:50:00Z", "2026-04-30T13:51:14Z"),
            "1m14s"
        );
        assert_eq!(
            duration("2026-04-30T13:50:00Z", "2026-04-30T13:50:09Z"),
            "9s"
        );
        assert_eq!(
            duration("2026-04-30T13:50:00Z", "2026-04-30T15:50:05Z"),
            "2h0m5s"
        );
        assert_eq!(
            parse_iso(&Utc::from_unix(1_796_195_456).iso8601()),
            Some(1_796_195_456)
        );
    }

    #[test]
    fn records_round_trip_and_prune() {
        let (_d, paths) = dokku_core::Paths::temp();
        let r = start(&paths, "app", "0000000a000001", 0, "git-hook").expect("start");
        assert_eq!(r.kind, "build");
        let text = std::fs::read_to_string(json_path(&paths, "app", &r.id)).expect("json");
        assert!(text.starts_with("{\n  \"id\": \"0000000a000001\",\n  \"app\": \"app\",\n  \"kind\": \"build\",\n  \"pid\": 0,\n  \"started_at\": \""), "{text}");
        assert!(!text.contains("finished_at") && !text.contains("exit_code"));
        assert_eq!(r.display_status(), "abandoned");
        for i in 2..6 {
            let id = format!("0000000a00000{i}");
            let r = start(&paths, "app", &id, 0, "ps:restart").expect("start");
            finish(&paths, r, "succeeded", 0).expect("finish");
        }
        prune(&paths, "app", 2).expect("prune");
        let left: Vec<String> = list(&paths, "app").into_iter().map(|r| r.id).collect();
        assert_eq!(left, ["0000000a000005", "0000000a000004"]);
    }
}
