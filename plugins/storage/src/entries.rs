//! What the entry commands do: create, converge, update, destroy, and the
//! deprecated `ensure-directory`.

use std::collections::BTreeMap;
use std::fs;
use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use dokku_core::{fsutil, Error, Paths, Result};
use dokku_trigger::Ctx;

use crate::attachment;
use crate::chown::{chown_id, normalize_mode, parse_mode};
use crate::entry::{self, Entry, DOCKER_LOCAL};
use crate::helpers::{self, RootOp};
use crate::name;
use crate::spec;

/// `storage:create` (and its re-runs, which converge the entry).
#[derive(Debug, Clone, Default)]
pub struct CreateRequest {
    /// Entry name.
    pub name: String,
    /// Custom host path.
    pub path: Option<String>,
    /// `--chown`.
    pub chown: Option<String>,
    /// `--mode`.
    pub mode: Option<String>,
    /// `--scheduler`.
    pub scheduler: Option<String>,
    /// `--reclaim-policy`.
    pub reclaim_policy: Option<String>,
    /// `--namespace`.
    pub namespace: Option<String>,
    /// `--size`.
    pub size: Option<String>,
    /// `--access-mode`.
    pub access_mode: Option<String>,
    /// `--storage-class-name`.
    pub storage_class_name: Option<String>,
    /// `--annotation key=value`, repeatable.
    pub annotations: Vec<String>,
    /// `--label key=value`, repeatable.
    pub labels: Vec<String>,
}

/// Parse `key=value` pairs.
pub fn parse_pairs(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    for p in pairs {
        match p.split_once('=') {
            Some((k, v)) if check_key(k).is_ok() => {
                m.insert(k.to_string(), v.to_string());
            }
            _ => return Err(Error::fail(format!("expected key=value, got {p:?}"))),
        }
    }
    Ok(m)
}

/// Annotation and label keys: not empty, no whitespace, control characters or `=`.
pub fn check_key(k: &str) -> Result<()> {
    if k.is_empty()
        || k.len() > 253
        || k.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '=')
    {
        return Err(Error::fail(format!("Invalid key {k:?}")));
    }
    Ok(())
}

fn only_default(flag: &str, path: &Path, what: &str) -> Error {
    Error::fail(format!(
        "{flag} is only supported when the storage entry uses the default host path ({}); omit {flag} and manage {what} manually",
        path.display()
    ))
}

fn check_reclaim(name: &str, policy: &str, default_path: bool, default: &Path) -> Result<()> {
    match policy {
        "Retain" | "" => Ok(()),
        "Delete" if default_path => Ok(()),
        "Delete" => Err(Error::fail(format!(
            "storage entry {name:?} (docker-local) only accepts --reclaim-policy Delete on the default host path ({})",
            default.display()
        ))),
        other => Err(Error::fail(format!("storage entry {name:?} has unsupported reclaim policy {other:?}"))),
    }
}

fn unsupported_scheduler(s: &str) -> Error {
    Error::fail(format!(
        "Unsupported scheduler {s:?}: only docker-local storage entries are available on this host"
    ))
}

/// Make the default host directory (mode 0755 when new).
fn ensure_default_dir(dir: &Path) -> Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::fail(format!(
            "storage entry path {} exists but is not a directory",
            dir.display()
        ))),
        Err(_) => {
            fsutil::ensure_dir(dir)?;
            fs::set_permissions(dir, fs::Permissions::from_mode(0o755))
                .map_err(|e| Error::io("chmod", dir, e))
        }
    }
}

/// Apply the entry's chown and mode to its default host directory.
pub fn apply_dir_settings(paths: &Paths, e: &Entry) -> Result<()> {
    if !e.uses_default_path(paths) || !Path::new(&e.host_path).is_dir() {
        return Ok(());
    }
    if !e.chown.is_empty() {
        if let Some(uid) = chown_id(&e.chown)? {
            helpers::run(
                paths,
                &RootOp::Chown {
                    name: e.name.clone(),
                    uid,
                },
            )?;
        }
    }
    if !e.mode.is_empty() {
        helpers::run(
            paths,
            &RootOp::Chmod {
                name: e.name.clone(),
                mode: parse_mode(&e.mode)?,
            },
        )?;
    }
    Ok(())
}

/// `storage:create`.
pub fn create(ctx: &Ctx, req: &CreateRequest) -> Result<()> {
    let paths = &ctx.paths;
    let name = req.name.as_str();
    name::check_user_entry_name(name)?;
    let scheduler = req
        .scheduler
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DOCKER_LOCAL.to_string());
    if scheduler != DOCKER_LOCAL && scheduler != "k3s" {
        return Err(unsupported_scheduler(&scheduler));
    }
    for (flag, v) in [
        ("--size", &req.size),
        ("--access-mode", &req.access_mode),
        ("--storage-class-name", &req.storage_class_name),
    ] {
        if v.is_some() && scheduler == DOCKER_LOCAL {
            return Err(Error::fail(format!(
                "storage entry {name:?} (docker-local) does not accept {flag}"
            )));
        }
    }
    let annotations = parse_pairs(&req.annotations)?;
    let labels = parse_pairs(&req.labels)?;
    let default = entry::default_host_path(paths, name);
    let host_path = match &req.path {
        Some(p) if !spec::is_clean_absolute(p) => {
            return Err(Error::fail(format!(
                "storage entry {name:?} host_path must be absolute, got {p:?}"
            )))
        }
        Some(p) => spec::trim_slash(p).to_string(),
        None => default.display().to_string(),
    };
    let default_path = Path::new(&host_path) == default;
    if let Some(c) = &req.chown {
        chown_id(c)?;
        if !default_path {
            return Err(only_default("--chown", &default, "ownership"));
        }
    }
    if let Some(m) = &req.mode {
        parse_mode(m)?;
        if !default_path {
            return Err(only_default("--mode", &default, "permissions"));
        }
    }
    if let Some(r) = &req.reclaim_policy {
        check_reclaim(name, r, default_path, &default)?;
    }
    if default_path {
        if let Ok(m) = fs::symlink_metadata(&default) {
            if !m.is_dir() {
                return Err(Error::fail(format!(
                    "storage entry path {} exists but is not a directory",
                    default.display()
                )));
            }
        }
    } else {
        match fs::metadata(&host_path) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Error::fail(format!(
                    "storage entry path {host_path} exists but is not a directory"
                )))
            }
            Err(_) => {
                return Err(Error::fail(format!(
                    "storage entry {name:?} host path {host_path} is not present"
                )))
            }
        }
    }
    if scheduler != DOCKER_LOCAL {
        return Err(match entry::load(paths, name)? {
            Some(e) if e.scheduler != scheduler => Error::fail(format!(
                "storage entry {name:?} already exists with scheduler {:?}; refusing to redefine",
                e.scheduler
            )),
            _ => unsupported_scheduler(&scheduler),
        });
    }
    let _lock = entry::lock(paths)?;
    let existing = entry::load(paths, name)?;
    if let Some(e) = &existing {
        if e.scheduler != scheduler {
            return Err(Error::fail(format!(
                "storage entry {name:?} already exists with scheduler {:?}; refusing to redefine",
                e.scheduler
            )));
        }
    }
    let mut e = existing.clone().unwrap_or_default();
    e.name = name.to_string();
    e.scheduler = scheduler;
    e.host_path = host_path;
    if let Some(c) = &req.chown {
        e.chown = c.clone();
    }
    if let Some(m) = &req.mode {
        e.mode = normalize_mode(m)?;
    }
    if let Some(r) = &req.reclaim_policy {
        e.reclaim_policy = r.clone();
    }
    if let Some(n) = &req.namespace {
        e.namespace = n.clone();
    }
    if !req.annotations.is_empty() {
        e.annotations = annotations;
    }
    if !req.labels.is_empty() {
        e.labels = labels;
    }
    if !e.uses_default_path(paths) {
        e.chown.clear();
        e.mode.clear();
    }
    if default_path {
        ensure_default_dir(&default)?;
    }
    entry::save(paths, &e)?;
    apply_dir_settings(paths, &e)?;
    let verb = if existing.is_some() {
        "updated"
    } else {
        "created"
    };
    ctx.out.info1(&format!("Storage entry {name} {verb}"));
    Ok(())
}

/// Tell plugins an entry was created or changed (`storage-create`, the
/// entry's JSON on stdin).
pub fn announce(ctx: &Ctx, name: &str) -> Result<()> {
    let e = entry::require(&ctx.paths, name)?;
    ctx.bus.notify(
        ctx,
        &dokku_trigger::helpers::StorageCreate {
            entry_name: name.to_string(),
            entry: e.to_json()?,
        },
    )
}

/// `storage:ensure-directory`: the default directory, its ownership, and
/// (for names that are valid entry names) a registered entry.
pub fn ensure_directory(ctx: &Ctx, dir_name: &str, chown: Option<&str>) -> Result<()> {
    ctx.out
        .warn("Deprecated: please use 'storage:create' instead of 'storage:ensure-directory'");
    name::check_directory_name(dir_name)?;
    let chown = chown.unwrap_or("herokuish");
    let id = chown_id(chown)?;
    let paths = &ctx.paths;
    let dir = entry::default_host_path(paths, dir_name);
    if let Ok(m) = fs::symlink_metadata(&dir) {
        if !m.is_dir() {
            return Err(Error::fail(format!(
                "storage entry path {} exists but is not a directory",
                dir.display()
            )));
        }
    }
    ctx.out.info1(&format!("Ensuring {} exists", dir.display()));
    ensure_default_dir(&dir)?;
    if let Some(uid) = id {
        ctx.out
            .verbose_quiet(&format!("Setting directory ownership to {uid}:{uid}"));
        helpers::run(
            paths,
            &RootOp::Chown {
                name: dir_name.to_string(),
                uid,
            },
        )?;
    }
    if name::is_entry_name(dir_name) && !name::is_reserved(dir_name) {
        let _lock = entry::lock(paths)?;
        if entry::load(paths, dir_name)?.is_none() {
            let e = Entry {
                name: dir_name.to_string(),
                scheduler: DOCKER_LOCAL.to_string(),
                host_path: dir.display().to_string(),
                chown: if id.is_some() {
                    chown.to_string()
                } else {
                    String::new()
                },
                ..Default::default()
            };
            entry::save(paths, &e)?;
        }
    }
    ctx.out.verbose_quiet("Directory ready for mounting");
    Ok(())
}

/// Ask for the entry's name; anything else aborts.
pub fn confirm(ctx: &Ctx, name: &str, input: &mut dyn BufRead) -> Result<()> {
    ctx.out.warn("WARNING: Potentially Destructive Action");
    ctx.out
        .warn(&format!("This command will destroy storage entry {name}."));
    ctx.out.warn(&format!("To proceed, type \"{name}\""));
    ctx.confirm_typed(name, input)
}

/// `storage:destroy`.
pub fn destroy(
    ctx: &Ctx,
    name: &str,
    force: bool,
    destroy_host_dir: bool,
    input: &mut dyn BufRead,
) -> Result<()> {
    let paths = &ctx.paths;
    name::check_entry_name(name)?;
    let e = entry::require(paths, name)?;
    if destroy_host_dir && e.scheduler != DOCKER_LOCAL {
        return Err(Error::fail(format!(
            "--destroy-host-dir only applies to docker-local storage entries; {name:?} is scheduler {:?} and follows --reclaim-policy",
            e.scheduler
        )));
    }
    let default = entry::default_host_path(paths, name);
    if destroy_host_dir && !e.uses_default_path(paths) {
        return Err(only_default("--destroy-host-dir", &default, &e.host_path));
    }
    let mounted = attachment::apps_mounting(paths, name)?;
    if !mounted.is_empty() {
        return Err(Error::fail(format!(
            "storage entry {name:?} is still mounted by app(s): {}",
            mounted.join(", ")
        )));
    }
    let remove_dir = e.scheduler == DOCKER_LOCAL && (destroy_host_dir || e.reclaim() == "Delete");
    if remove_dir && e.uses_default_path(paths) {
        ctx.out.warn(&format!(
            "Storage entry {name} is backed by {}, which will be removed along with its contents.",
            e.host_path
        ));
    }
    if !force {
        confirm(ctx, name, input)?;
    }
    // Schedulers that back entries with their own volumes let go of them.
    ctx.bus.notify(
        ctx,
        &dokku_trigger::helpers::StorageDestroy {
            entry_name: name.to_string(),
            entry: e.to_json()?,
        },
    )?;
    let _lock = entry::lock(paths)?;
    let mounted = attachment::apps_mounting(paths, name)?;
    if !mounted.is_empty() {
        return Err(Error::fail(format!(
            "storage entry {name:?} is still mounted by app(s): {}",
            mounted.join(", ")
        )));
    }
    entry::delete(paths, name)?;
    if remove_dir {
        if e.uses_default_path(paths) {
            helpers::run(
                paths,
                &RootOp::Remove {
                    name: name.to_string(),
                },
            )?;
        } else {
            ctx.out.warn(&format!(
                "Leaving {} in place; reclaim policy Delete only removes the default host path",
                e.host_path
            ));
        }
    }
    ctx.out.info1(&format!("Storage entry {name} destroyed"));
    Ok(())
}

/// The properties `storage:set` takes.
pub const SETTABLE: [&str; 7] = [
    "access-mode",
    "chown",
    "mode",
    "namespace",
    "reclaim-policy",
    "size",
    "storage-class-name",
];

/// Change one property of an entry in memory, checking it.
pub fn set_property(paths: &Paths, e: &mut Entry, key: &str, value: &str) -> Result<()> {
    let default = entry::default_host_path(paths, &e.name);
    let default_path = e.uses_default_path(paths);
    match key {
        "access-mode" | "storage-class-name" => {
            return Err(Error::fail(format!(
                "storage:set cannot change {key} in place; recreate the entry"
            )))
        }
        "size" if e.scheduler == DOCKER_LOCAL => {
            return Err(Error::fail(format!(
                "storage entry {:?} (docker-local) does not accept --size",
                e.name
            )))
        }
        "size" => e.size = value.to_string(),
        "chown" => {
            if !value.is_empty() {
                chown_id(value)?;
                if !default_path {
                    return Err(only_default("--chown", &default, "ownership"));
                }
            }
            e.chown = value.to_string();
        }
        "mode" => {
            if !value.is_empty() {
                parse_mode(value)?;
                if !default_path {
                    return Err(only_default("--mode", &default, "permissions"));
                }
            }
            e.mode = if value.is_empty() {
                String::new()
            } else {
                normalize_mode(value)?
            };
        }
        "namespace" => e.namespace = value.to_string(),
        "reclaim-policy" => {
            check_reclaim(&e.name, value, default_path, &default)?;
            e.reclaim_policy = value.to_string();
        }
        _ => {
            return Err(Error::fail(format!(
                "Invalid property specified, valid properties include: {}",
                SETTABLE.join(", ")
            )))
        }
    }
    Ok(())
}

/// `storage:set` with a list of `(property, value)` changes (one for the
/// property form, one per flag for the deprecated flag form) and optional
/// replacement annotation/label maps.
pub fn set(
    ctx: &Ctx,
    name: &str,
    changes: &[(String, String)],
    annotations: Option<BTreeMap<String, String>>,
    labels: Option<BTreeMap<String, String>>,
) -> Result<()> {
    let paths = &ctx.paths;
    name::check_entry_name(name)?;
    let _lock = entry::lock(paths)?;
    let mut e = entry::require(paths, name)?;
    for (k, v) in changes {
        set_property(paths, &mut e, k, v)?;
    }
    if let Some(a) = annotations {
        e.annotations = a;
    }
    if let Some(l) = labels {
        e.labels = l;
    }
    entry::save(paths, &e)?;
    for (k, v) in changes {
        if v.is_empty() {
            ctx.out.info2_quiet(&format!("Unsetting {k}"));
        } else {
            ctx.out.info2_quiet(&format!("Setting {k} to {v}"));
        }
    }
    apply_dir_settings(paths, &e)
}

/// Which map `storage:annotations:*` or `storage:labels:*` works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKind {
    /// Annotations.
    Annotations,
    /// Labels.
    Labels,
}

impl MetaKind {
    /// `annotations` or `labels`.
    pub fn plural(self) -> &'static str {
        match self {
            MetaKind::Annotations => "annotations",
            MetaKind::Labels => "labels",
        }
    }

    /// `annotation` or `label`.
    pub fn singular(self) -> &'static str {
        match self {
            MetaKind::Annotations => "annotation",
            MetaKind::Labels => "label",
        }
    }

    /// The map of an entry.
    pub fn map(self, e: &Entry) -> &BTreeMap<String, String> {
        match self {
            MetaKind::Annotations => &e.annotations,
            MetaKind::Labels => &e.labels,
        }
    }

    fn map_mut(self, e: &mut Entry) -> &mut BTreeMap<String, String> {
        match self {
            MetaKind::Annotations => &mut e.annotations,
            MetaKind::Labels => &mut e.labels,
        }
    }
}

/// `storage:annotations:set` / `storage:labels:set`: one key.
pub fn set_meta(ctx: &Ctx, kind: MetaKind, name: &str, key: &str, value: &str) -> Result<()> {
    let paths = &ctx.paths;
    name::check_entry_name(name)?;
    if key.is_empty() {
        return Err(Error::fail(format!("No {} key specified", kind.singular())));
    }
    check_key(key)?;
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::fail(format!("Invalid value for {key}")));
    }
    let _lock = entry::lock(paths)?;
    let mut e = entry::require(paths, name)?;
    if value.is_empty() {
        kind.map_mut(&mut e).remove(key);
    } else {
        kind.map_mut(&mut e)
            .insert(key.to_string(), value.to_string());
    }
    entry::save(paths, &e)?;
    if value.is_empty() {
        ctx.out
            .info2_quiet(&format!("Unsetting {} {key}", kind.singular()));
    } else {
        ctx.out
            .info2_quiet(&format!("Setting {} {key} to {value}", kind.singular()));
    }
    Ok(())
}
