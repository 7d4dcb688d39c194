//! Attachments: how an app mounts entries. They live in the storage
//! plugin's `mounts` list property of the app
//! (`$DOKKU_LIB_ROOT/config/storage/<app>/mounts`, Dokku's name), one
//! JSON object per line, so they follow the app through clone, rename and
//! destroy. Earlier builds named the property `attachments`: it is read
//! when `mounts` is missing and renamed by the install step.

use dokku_core::property::Properties;
use dokku_core::{Error, Paths, Result};
use dokku_trigger::triggers::DEFAULT_PROCESS_TYPE;
use serde::{Deserialize, Serialize};

/// The plugin's property namespace.
pub const PLUGIN: &str = "storage";

/// The property holding an app's attachments.
pub const PROPERTY: &str = "mounts";

/// Its name in earlier builds.
pub const OLD_PROPERTY: &str = "attachments";

/// Rename an app's `attachments` property to `mounts` (unless `mounts`
/// is already there).
pub fn rename_old_property(paths: &Paths, app: &str) -> Result<()> {
    let props = Properties::new(paths, PLUGIN);
    let old = props.path(app, OLD_PROPERTY)?;
    if !old.is_file() {
        return Ok(());
    }
    let new = props.path(app, PROPERTY)?;
    if new.exists() {
        return dokku_core::fsutil::remove_file(&old);
    }
    std::fs::rename(&old, &new).map_err(|e| Error::io("rename", &old, e))
}

/// The phases an attachment may name.
pub const PHASES: [&str; 2] = ["deploy", "run"];

fn default_process() -> String {
    DEFAULT_PROCESS_TYPE.to_string()
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One entry mounted into one app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The entry mounted.
    pub entry_name: String,
    /// Absolute path inside the container.
    pub container_path: String,
    /// `deploy` and/or `run`.
    pub phases: Vec<String>,
    /// A process type, or `_default_` for every one.
    #[serde(default = "default_process")]
    pub process_type: String,
    /// Sub-directory of the entry to mount.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subpath: String,
    /// Mounted read-only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub readonly: bool,
    /// Mount options, verbatim.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_options: String,
    /// Ownership for the scheduler to apply before use.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_chown: String,
}

impl Attachment {
    /// Whether it applies to `phase`.
    pub fn has_phase(&self, phase: &str) -> bool {
        self.phases.iter().any(|p| p == phase)
    }

    /// Whether it applies to containers of `process` (`""` or `_default_`:
    /// only attachments for every process).
    pub fn applies_to(&self, process: &str) -> bool {
        self.process_type == DEFAULT_PROCESS_TYPE
            || (!process.is_empty() && self.process_type == process)
    }

    /// Check the fields a stored attachment must have.
    pub fn validate(&self) -> Result<()> {
        if self.entry_name.is_empty() {
            return Err(Error::fail("attachment is missing entry name"));
        }
        if self.container_path.is_empty() {
            return Err(Error::fail("attachment is missing container path"));
        }
        if !crate::spec::is_clean_absolute(&self.container_path) {
            return Err(Error::fail(format!(
                "attachment container path {:?} must be absolute",
                self.container_path
            )));
        }
        if self.phases.is_empty() {
            return Err(Error::fail("attachment must specify at least one phase"));
        }
        for p in &self.phases {
            check_phase(p)?;
        }
        Ok(())
    }
}

/// Check one attachment phase.
pub fn check_phase(p: &str) -> Result<()> {
    if PHASES.contains(&p) {
        Ok(())
    } else {
        Err(Error::fail(format!(
            "attachment phase {p:?} is not supported (must be {:?} or {:?})",
            PHASES[0], PHASES[1]
        )))
    }
}

/// An app's attachments, in order.
pub fn load(paths: &Paths, app: &str) -> Result<Vec<Attachment>> {
    let props = Properties::new(paths, PLUGIN);
    let key = if !props.path(app, PROPERTY)?.exists() && props.path(app, OLD_PROPERTY)?.is_file() {
        OLD_PROPERTY
    } else {
        PROPERTY
    };
    let lines = props.list_get(app, key)?;
    lines
        .iter()
        .map(|l| {
            serde_json::from_str(l)
                .map_err(|e| Error::other(format!("read storage attachments of {app}"), e))
        })
        .collect()
}

/// Replace an app's attachments (the caller holds the app's lock).
pub fn save(paths: &Paths, app: &str, list: &[Attachment]) -> Result<()> {
    let props = Properties::new(paths, PLUGIN);
    if props.path(app, OLD_PROPERTY)?.exists() {
        props.delete(app, OLD_PROPERTY)?;
    }
    if list.is_empty() {
        return props.delete(app, PROPERTY);
    }
    let lines: Vec<String> = list
        .iter()
        .map(|a| serde_json::to_string(a).map_err(|e| Error::other("encode storage attachment", e)))
        .collect::<Result<_>>()?;
    props.list_write(app, PROPERTY, &lines)
}

/// Apps mounting `entry`, sorted.
pub fn apps_mounting(paths: &Paths, entry: &str) -> Result<Vec<String>> {
    let mut v = Vec::new();
    for app in dokku_core::apps::list(paths) {
        if load(paths, &app)?.iter().any(|a| a.entry_name == entry) {
            v.push(app);
        }
    }
    Ok(v)
}
