//! The registry of storage entries: one JSON file per entry at
//! `$DOKKU_LIB_ROOT/data/storage-registry/entries/<name>.json`, written
//! atomically and owned by the system user.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use dokku_core::fsutil::{read_optional, remove_file, write_atomic};
use dokku_core::lock::StateLock;
use dokku_core::{Error, Paths, Result};
use serde::{Deserialize, Serialize};

use crate::name;

/// The scheduler entries are made for on this host.
pub const DOCKER_LOCAL: &str = "docker-local";

/// Name of the lock serialising registry changes (not a valid app name).
const REGISTRY_LOCK: &str = "--storage-registry";

/// One named storage entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry's name, a DNS-1123 label.
    pub name: String,
    /// `docker-local` (or `k3s` on clusters).
    pub scheduler: String,
    /// Host directory, or docker volume name, backing the entry.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host_path: String,
    /// Ownership preset or uid applied to the host directory.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub chown: String,
    /// Octal mode applied to the host directory.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mode: String,
    /// `Retain` (default) or `Delete`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reclaim_policy: String,
    /// Namespace of the PVC (k3s).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// PVC size (k3s).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub size: String,
    /// PVC access mode (k3s).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub access_mode: String,
    /// PVC storage class (k3s).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub storage_class_name: String,
    /// Annotations, by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels, by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

impl Entry {
    /// Whether the host path is the default `$DOKKU_LIB_ROOT/data/storage/<name>`.
    pub fn uses_default_path(&self, paths: &Paths) -> bool {
        std::path::Path::new(&self.host_path) == default_host_path(paths, &self.name)
    }

    /// The entry as one line of JSON: the `storage-entry-get` answer and
    /// the payload of `storage-create`, `storage-destroy` and
    /// `storage-status` on stdin.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::other("encode storage entry", e))
    }

    /// The reclaim policy, `Retain` when unset.
    pub fn reclaim(&self) -> &str {
        if self.reclaim_policy.is_empty() {
            "Retain"
        } else {
            &self.reclaim_policy
        }
    }
}

/// `$DOKKU_LIB_ROOT/data/storage`: where default host directories live.
pub fn storage_root(paths: &Paths) -> PathBuf {
    paths.plugin_data_dir("storage")
}

/// `$DOKKU_LIB_ROOT/data/storage/<name>`.
pub fn default_host_path(paths: &Paths, name: &str) -> PathBuf {
    storage_root(paths).join(name)
}

/// `$DOKKU_LIB_ROOT/data/storage-registry/entries`.
pub fn registry_dir(paths: &Paths) -> PathBuf {
    paths.plugin_data_dir("storage-registry").join("entries")
}

/// The file of one entry; the name is checked first.
pub fn entry_file(paths: &Paths, name: &str) -> Result<PathBuf> {
    name::check_entry_name(name)?;
    Ok(registry_dir(paths).join(format!("{name}.json")))
}

/// Hold the registry lock.
pub fn lock(paths: &Paths) -> Result<StateLock> {
    StateLock::acquire(paths, REGISTRY_LOCK)
}

/// Read an entry; `None` when it is not registered.
pub fn load(paths: &Paths, name: &str) -> Result<Option<Entry>> {
    let file = entry_file(paths, name)?;
    match read_optional(&file)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::other(format!("read storage entry {}", file.display()), e)),
    }
}

/// Read an entry that must exist.
pub fn require(paths: &Paths, name: &str) -> Result<Entry> {
    load(paths, name)?.ok_or_else(|| Error::fail(format!("storage entry {name:?} does not exist")))
}

/// Write an entry (the caller holds the registry lock).
pub fn save(paths: &Paths, entry: &Entry) -> Result<()> {
    let file = entry_file(paths, &entry.name)?;
    let mut text =
        serde_json::to_string_pretty(entry).map_err(|e| Error::other("encode storage entry", e))?;
    text.push('\n');
    write_atomic(&file, text.as_bytes(), 0o644)
}

/// Remove an entry's file (the caller holds the registry lock).
pub fn delete(paths: &Paths, name: &str) -> Result<()> {
    remove_file(&entry_file(paths, name)?)
}

/// Every registered entry, sorted by name. Files that do not parse are
/// skipped with a warning.
pub fn list(paths: &Paths, out: &dokku_output::Output) -> Vec<Entry> {
    let mut names: Vec<String> = match fs::read_dir(registry_dir(paths)) {
        Ok(rd) => rd
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".json"))
                    .map(str::to_string)
            })
            .filter(|n| name::is_entry_name(n))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let mut v = Vec::with_capacity(names.len());
    for n in names {
        match load(paths, &n) {
            Ok(Some(e)) => v.push(e),
            Ok(None) => {}
            Err(e) => out.warn(&format!("Skipping storage entry {n}: {e}")),
        }
    }
    v
}

/// The entry of a docker-local host path or volume name, if one is registered.
pub fn find_by_host_path(
    paths: &Paths,
    out: &dokku_output::Output,
    host_path: &str,
) -> Option<Entry> {
    list(paths, out)
        .into_iter()
        .find(|e| e.scheduler == DOCKER_LOCAL && crate::spec::trim_slash(&e.host_path) == host_path)
}

/// The `legacy-<hash>` name of a migrated or colon-form host path: a
/// 64-bit FNV-1a hash of the path, in lowercase hex.
pub fn legacy_name(host_path: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in host_path.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("legacy-{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_on_dokku_layout() {
        let (d, paths) = dokku_core::Paths::temp();
        let (out, _cap) = dokku_output::Output::captured(false);
        let e = Entry {
            name: "node-js-data".into(),
            scheduler: DOCKER_LOCAL.into(),
            host_path: default_host_path(&paths, "node-js-data")
                .display()
                .to_string(),
            mode: "0777".into(),
            ..Default::default()
        };
        save(&paths, &e).expect("save");
        let file = d
            .path()
            .join("lib/data/storage-registry/entries/node-js-data.json");
        let text = fs::read_to_string(&file).expect("file");
        assert!(text.contains("\"scheduler\": \"docker-local\""), "{text}");
        assert!(!text.contains("annotations"), "{text}");
        assert_eq!(require(&paths, "node-js-data").expect("load"), e);
        assert!(e.uses_default_path(&paths));
        assert_eq!(list(&paths, &out), vec![e.clone()]);
        assert_eq!(find_by_host_path(&paths, &out, &e.host_path), Some(e));
        delete(&paths, "node-js-data").expect("delete");
        assert_eq!(
            require(&paths, "node-js-data")
                .expect_err("gone")
                .to_string(),
            "storage entry \"node-js-data\" does not exist"
        );
        assert!(load(&paths, "../x").is_err());
    }

    #[test]
    fn legacy_names_are_valid_and_stable() {
        let n = legacy_name("/var/lib/dokku/data/storage/app");
        assert_eq!(n, legacy_name("/var/lib/dokku/data/storage/app"));
        assert_ne!(n, legacy_name("/var/lib/dokku/data/storage/other"));
        assert!(name::is_entry_name(&n), "{n}");
        assert_eq!(n.len(), 23);
    }
}
