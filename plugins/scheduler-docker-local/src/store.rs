//! What the scheduler keeps on disk: its properties, and the per-container
//! records Dokku keeps in the app directory (`CONTAINER.<proc>.<index>`
//! with the container id, `IP.<proc>.<index>`, `PORT.<proc>.<index>`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{fsutil, Paths, Result};

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "scheduler-docker-local";

/// The scheduler name this plugin answers to.
pub const SCHEDULER: &str = "docker-local";

/// What one deployed container left in the app directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// The container id.
    pub container_id: String,
    /// Its address.
    pub ip: String,
    /// Its port.
    pub port: String,
}

/// An app property, else the global one, else `default`.
pub fn computed(paths: &Paths, app: &str, key: &str, default: &str) -> String {
    let p = Properties::new(paths, PLUGIN);
    p.app_value(app, key).unwrap_or_else(|| {
        p.get_or(GLOBAL, key, default)
            .unwrap_or_else(|_| default.to_string())
    })
}

/// Whether containers get an init process; an image of linuxserver.io
/// gets none unless a value is set.
pub fn init_process(paths: &Paths, app: &str, image_vendor: Option<&str>) -> bool {
    let v = computed(paths, app, "init-process", "");
    if v.is_empty() {
        return image_vendor != Some("linuxserver.io");
    }
    v != "false"
}

/// How many process types deploy at once.
pub fn parallel_schedule_count(paths: &Paths, app: &str) -> usize {
    computed(paths, app, "parallel-schedule-count", "1")
        .trim()
        .parse::<usize>()
        .unwrap_or(1)
        .max(1)
}

fn file(paths: &Paths, app: &str, kind: &str, dyno: &str) -> PathBuf {
    paths.app_dir(app).join(format!("{kind}.{dyno}"))
}

/// Record a container of `dyno` (`web.1`).
pub fn record(paths: &Paths, app: &str, dyno: &str, r: &Record) -> Result<()> {
    fsutil::write_atomic(
        &file(paths, app, "CONTAINER", dyno),
        r.container_id.as_bytes(),
        0o644,
    )?;
    fsutil::write_atomic(&file(paths, app, "IP", dyno), r.ip.as_bytes(), 0o644)?;
    fsutil::write_atomic(&file(paths, app, "PORT", dyno), r.port.as_bytes(), 0o644)
}

/// Forget the container of `dyno`.
pub fn forget(paths: &Paths, app: &str, dyno: &str) -> Result<()> {
    for kind in ["CONTAINER", "IP", "PORT"] {
        fsutil::remove_file(&file(paths, app, kind, dyno))?;
    }
    Ok(())
}

/// The dyno (`web.1`) of a `CONTAINER.web.1`-style file name.
pub fn dyno_of(file_name: &str, kind: &str) -> Option<String> {
    let rest = file_name.strip_prefix(kind)?.strip_prefix('.')?;
    let (proc_type, index) = rest.rsplit_once('.')?;
    if proc_type.is_empty() || index.parse::<u32>().is_err() {
        return None;
    }
    Some(rest.to_string())
}

/// Every recorded container of an app, by dyno.
pub fn records(paths: &Paths, app: &str) -> BTreeMap<String, Record> {
    let mut out = BTreeMap::new();
    let Ok(rd) = std::fs::read_dir(paths.app_dir(app)) else {
        return out;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(dyno) = dyno_of(&name, "CONTAINER") else {
            continue;
        };
        let read = |kind: &str| {
            fsutil::read_optional(&file(paths, app, kind, &dyno))
                .ok()
                .flatten()
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let container_id = read("CONTAINER");
        if container_id.is_empty() {
            continue;
        }
        out.insert(
            dyno.clone(),
            Record {
                container_id,
                ip: read("IP"),
                port: read("PORT"),
            },
        );
    }
    out
}

/// Forget every recorded container (and stray IP/PORT files) of an app.
pub fn forget_all(paths: &Paths, app: &str) -> Result<()> {
    let Ok(rd) = std::fs::read_dir(paths.app_dir(app)) else {
        return Ok(());
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if ["CONTAINER", "IP", "PORT"]
            .iter()
            .any(|k| dyno_of(&name, k).is_some())
        {
            fsutil::remove_file(&e.path())?;
        }
    }
    Ok(())
}

/// The scheduler's data directory of an app.
pub fn data_dir(paths: &Paths, app: &str) -> PathBuf {
    paths.plugin_data_dir(PLUGIN).join(app)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_in_dokku_files() {
        let (_d, paths) = Paths::temp();
        std::fs::create_dir_all(paths.app_dir("a")).expect("mkdir");
        let r = Record {
            container_id: "abc".into(),
            ip: "172.17.0.2".into(),
            port: "5000".into(),
        };
        record(&paths, "a", "web.1", &r).expect("record");
        record(
            &paths,
            "a",
            "worker.2",
            &Record {
                container_id: "def".into(),
                ..Default::default()
            },
        )
        .expect("record");
        assert_eq!(
            std::fs::read_to_string(paths.app_dir("a").join("CONTAINER.web.1")).expect("read"),
            "abc"
        );
        assert_eq!(
            std::fs::read_to_string(paths.app_dir("a").join("IP.web.1")).expect("read"),
            "172.17.0.2"
        );
        let all = records(&paths, "a");
        assert_eq!(
            all.keys().cloned().collect::<Vec<_>>(),
            vec!["web.1", "worker.2"]
        );
        assert_eq!(all["web.1"], r);
        forget(&paths, "a", "web.1").expect("forget");
        assert_eq!(records(&paths, "a").len(), 1);
        forget_all(&paths, "a").expect("forget all");
        assert!(records(&paths, "a").is_empty());
        assert_eq!(
            dyno_of("CONTAINER.web.1", "CONTAINER").as_deref(),
            Some("web.1")
        );
        assert_eq!(dyno_of("CONTAINER", "CONTAINER"), None);
        assert_eq!(dyno_of("CONTAINER.web.x", "CONTAINER"), None);
    }
}
