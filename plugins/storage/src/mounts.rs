//! From attachments to what containers get: typed volume mounts for an
//! app, phase and process type, and the JSON of `storage-app-mounts`.

use dokku_core::{Paths, Result};
use dokku_output::Output;
use dokku_trigger::triggers::VolumeMount;
use serde::Serialize;

use crate::attachment::{self, Attachment};
use crate::entry::{self, Entry};

/// An attachment with its entry, or the reason the entry is missing.
pub type Resolved = (Attachment, std::result::Result<Entry, String>);

/// Every attachment of an app with its entry looked up.
pub fn resolve(paths: &Paths, app: &str) -> Result<Vec<Resolved>> {
    let mut out = Vec::new();
    for a in attachment::load(paths, app)? {
        let e = match entry::load(paths, &a.entry_name) {
            Ok(Some(e)) => Ok(e),
            Ok(None) => Err(entry::entry_file(paths, &a.entry_name)
                .map(|f| format!("{} not found", f.display()))
                .unwrap_or_else(|e| e.to_string())),
            Err(e) => Err(e.to_string()),
        };
        out.push((a, e));
    }
    Ok(out)
}

/// Dokku's warning for an attachment whose entry is gone.
pub fn warn_missing(out: &Output, app: &str, a: &Attachment, why: &str) {
    out.warn(&format!(
        "Skipping attachment on {app:?}: missing entry {:?} ({why})",
        a.entry_name
    ));
}

/// The mount of an attachment of an entry.
pub fn volume_mount(a: &Attachment, e: &Entry) -> VolumeMount {
    VolumeMount {
        entry_name: e.name.clone(),
        source: e.host_path.clone(),
        target: a.container_path.clone(),
        readonly: a.readonly,
        options: a.volume_options.clone(),
        subpath: a.subpath.clone(),
        chown: a.volume_chown.clone(),
    }
}

/// The mounts of `app` for containers of `phase` and `process` (`""` or
/// `_default_` for attachments that apply to every process only). Missing
/// entries are skipped with a warning.
pub fn volume_mounts(
    paths: &Paths,
    out: &Output,
    app: &str,
    phase: &str,
    process: &str,
) -> Result<Vec<VolumeMount>> {
    if dokku_core::apps::validate_name(app).is_err() {
        return Ok(Vec::new());
    }
    let mut v = Vec::new();
    for (a, e) in resolve(paths, app)? {
        if !a.has_phase(phase) || !a.applies_to(process) {
            continue;
        }
        match e {
            Ok(e) => v.push(volume_mount(&a, &e)),
            Err(why) => warn_missing(out, app, &a, &why),
        }
    }
    Ok(v)
}

#[derive(Serialize)]
struct AppMount<'a> {
    entry: &'a Entry,
    attachment: &'a Attachment,
}

/// `storage-app-mounts`: the `{entry, attachment}` pairs of a phase, as JSON.
pub fn app_mounts_json(paths: &Paths, out: &Output, app: &str, phase: &str) -> Result<String> {
    let resolved = if dokku_core::apps::validate_name(app).is_ok() {
        resolve(paths, app)?
    } else {
        Vec::new()
    };
    let mut pairs = Vec::new();
    for (a, e) in &resolved {
        if !a.has_phase(phase) {
            continue;
        }
        match e {
            Ok(e) => pairs.push(AppMount {
                entry: e,
                attachment: a,
            }),
            Err(why) => warn_missing(out, app, a, why),
        }
    }
    serde_json::to_string(&pairs).map_err(|e| dokku_core::Error::other("encode storage mounts", e))
}

/// One object of `storage:list --format json`.
#[derive(Debug, Serialize)]
pub struct ListItem {
    /// The entry.
    pub entry_name: String,
    /// Its host path or volume.
    pub host_path: String,
    /// Where it is mounted.
    pub container_path: String,
    /// Only when read-only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readonly: Option<bool>,
    /// Only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_options: Option<String>,
}

/// The attachments of an app as `storage:list` shows them.
pub fn list_items(
    paths: &Paths,
    out: &Output,
    app: &str,
    phase: Option<&str>,
) -> Result<Vec<ListItem>> {
    let mut v = Vec::new();
    for (a, e) in resolve(paths, app)? {
        if let Some(p) = phase {
            if !a.has_phase(p) {
                continue;
            }
        }
        match e {
            Ok(e) => v.push(ListItem {
                entry_name: e.name.clone(),
                host_path: e.host_path.clone(),
                container_path: a.container_path.clone(),
                readonly: a.readonly.then_some(true),
                volume_options: Some(a.volume_options.clone()).filter(|o| !o.is_empty()),
            }),
            Err(why) => warn_missing(out, app, &a, &why),
        }
    }
    Ok(v)
}
