//! `storage:mount` and `storage:unmount`, in both forms: a named entry
//! with flags, and the legacy `host-or-volume:container[:options]` spec,
//! which resolves to the entry registered for that host path or to a
//! synthesised `legacy-<hash>` entry.

use dokku_core::args::Parsed;
use dokku_core::lock::StateLock;
use dokku_core::{Error, Result};
use dokku_trigger::triggers::DEFAULT_PROCESS_TYPE;
use dokku_trigger::Ctx;

use crate::attachment::{self, Attachment};
use crate::entry::{self, Entry, DOCKER_LOCAL};
use crate::spec::{self, LegacySpec};
use crate::{chown, name};

/// The app and the one target (`<name>` or `<host-dir:container-dir>`) of
/// `storage:mount` and `storage:unmount`.
pub fn app_and_target<'a>(ctx: &Ctx, p: &'a Parsed) -> Result<(String, &'a str)> {
    let app = dokku_core::apps::require(&ctx.paths, p.arg(0))?;
    let target = p
        .arg(1)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::fail(spec::BAD_SPEC))?;
    if p.positional.len() > 2 {
        return Err(Error::fail(format!(
            "Unexpected argument(s): {}",
            p.positional[2..].join(" ")
        )));
    }
    Ok((app, target))
}

/// Whether an argument is a legacy spec rather than an entry name.
pub fn is_legacy(arg: &str) -> bool {
    arg.contains(':')
}

/// The entry a legacy spec's source stands for: the registered entry with
/// that host path, or a `legacy-<hash>` one (returned with `true` when it
/// still has to be saved).
pub fn resolve_legacy(ctx: &Ctx, source: &str) -> Result<(Entry, bool)> {
    if let Some(e) = entry::find_by_host_path(&ctx.paths, &ctx.out, source) {
        return Ok((e, false));
    }
    let legacy = entry::legacy_name(source);
    match entry::load(&ctx.paths, &legacy)? {
        Some(e) if e.scheduler == DOCKER_LOCAL && spec::trim_slash(&e.host_path) == source => {
            Ok((e, false))
        }
        Some(_) => Err(Error::fail(format!(
            "legacy entry {legacy:?} already exists with conflicting fields"
        ))),
        None => Ok((
            Entry {
                name: legacy,
                scheduler: DOCKER_LOCAL.to_string(),
                host_path: source.to_string(),
                ..Default::default()
            },
            true,
        )),
    }
}

fn legacy_attachment(e: &Entry, s: &LegacySpec) -> Attachment {
    Attachment {
        entry_name: e.name.clone(),
        container_path: s.target.clone(),
        phases: attachment::PHASES.iter().map(|p| p.to_string()).collect(),
        process_type: DEFAULT_PROCESS_TYPE.to_string(),
        subpath: String::new(),
        readonly: s.readonly,
        volume_options: s.options.clone(),
        volume_chown: String::new(),
    }
}

/// `storage:mount <app> <host:container[:options]>`.
pub fn mount_legacy(ctx: &Ctx, app: &str, spec_text: &str) -> Result<()> {
    let s = spec::parse_legacy(spec_text)?;
    let _reg = entry::lock(&ctx.paths)?;
    // A host directory that does not exist yet is accepted: Docker makes
    // it at the first deploy, and only `storage:wait` checks presence.
    let (e, new) = resolve_legacy(ctx, &s.source)?;
    let _lock = StateLock::acquire(&ctx.paths, app)?;
    let mut list = attachment::load(&ctx.paths, app)?;
    if list.iter().any(|a| {
        a.entry_name == e.name
            && a.container_path == s.target
            && a.process_type == DEFAULT_PROCESS_TYPE
    }) {
        return Err(Error::fail("Mount path already exists."));
    }
    if new {
        entry::save(&ctx.paths, &e)?;
    }
    list.push(legacy_attachment(&e, &s));
    attachment::save(&ctx.paths, app, &list)
}

/// `storage:unmount <app> <host:container[:options]>`.
pub fn unmount_legacy(ctx: &Ctx, app: &str, spec_text: &str) -> Result<()> {
    let s = spec::parse_legacy(spec_text)?;
    let _lock = StateLock::acquire(&ctx.paths, app)?;
    let mut list = attachment::load(&ctx.paths, app)?;
    let mut names: Vec<String> = entry::list(&ctx.paths, &ctx.out)
        .into_iter()
        .filter(|e| spec::trim_slash(&e.host_path) == s.source)
        .map(|e| e.name)
        .collect();
    names.push(entry::legacy_name(&s.source));
    let pos = list.iter().position(|a| {
        names.contains(&a.entry_name)
            && a.container_path == s.target
            && a.process_type == DEFAULT_PROCESS_TYPE
            && a.readonly == s.readonly
            && a.volume_options == s.options
    });
    match pos {
        Some(i) => {
            list.remove(i);
            attachment::save(&ctx.paths, app, &list)
        }
        None => Err(Error::fail("Mount path does not exist.")),
    }
}

/// `storage:mount <app> <name> --container-dir <path> [flags]`.
#[derive(Debug, Clone, Default)]
pub struct MountRequest {
    /// The app.
    pub app: String,
    /// The entry.
    pub name: String,
    /// `--container-dir`.
    pub container_dir: Option<String>,
    /// `--phase`, repeatable, comma lists allowed; deploy and run when none.
    pub phases: Vec<String>,
    /// `--volume-options`.
    pub volume_options: Option<String>,
    /// `--volume-readonly`.
    pub readonly: bool,
    /// `--volume-subpath`.
    pub subpath: Option<String>,
    /// `--volume-chown`.
    pub volume_chown: Option<String>,
    /// `--process-type`.
    pub process_type: Option<String>,
}

/// Check a request and turn it into the attachment it describes.
pub fn attachment_of(req: &MountRequest) -> Result<Attachment> {
    let container = req.container_dir.clone().unwrap_or_default();
    let mut phases: Vec<String> = Vec::new();
    for p in req.phases.iter().flat_map(|p| p.split(',')) {
        attachment::check_phase(p)?;
        if !phases.iter().any(|x| x == p) {
            phases.push(p.to_string());
        }
    }
    if phases.is_empty() {
        phases = attachment::PHASES.iter().map(|p| p.to_string()).collect();
    }
    let process_type = req
        .process_type
        .clone()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEFAULT_PROCESS_TYPE.to_string());
    if process_type != DEFAULT_PROCESS_TYPE && !valid_process(&process_type) {
        return Err(Error::fail(format!(
            "Invalid process type {process_type:?}"
        )));
    }
    let subpath = req.subpath.clone().unwrap_or_default();
    if !subpath.is_empty() && !spec::is_clean_relative(&subpath) {
        return Err(Error::fail(format!(
            "Invalid --volume-subpath {subpath:?}: it must be a relative path inside the storage entry"
        )));
    }
    let volume_chown = req.volume_chown.clone().unwrap_or_default();
    if !volume_chown.is_empty() {
        chown::chown_id(&volume_chown)?;
    }
    let volume_options = req.volume_options.clone().unwrap_or_default();
    if !spec::is_option_list(&volume_options) {
        return Err(Error::fail(format!(
            "Invalid --volume-options {volume_options:?}"
        )));
    }
    let a = Attachment {
        entry_name: req.name.clone(),
        container_path: spec::trim_slash(&container).to_string(),
        phases,
        process_type,
        subpath,
        readonly: req.readonly,
        volume_options,
        volume_chown,
    };
    a.validate()?;
    Ok(a)
}

/// Whether `p` can be a Procfile process type.
pub fn valid_process(p: &str) -> bool {
    let mut c = p.chars();
    p.len() <= 63
        && c.next().map(|f| f.is_ascii_alphanumeric()).unwrap_or(false)
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
}

/// `storage:mount` of a named entry: adds the attachment, or rewrites the
/// one with the same entry, container path and process type in place.
pub fn mount_named(ctx: &Ctx, req: &MountRequest) -> Result<()> {
    name::check_entry_name(&req.name)?;
    if entry::load(&ctx.paths, &req.name)?.is_none() {
        return Err(Error::fail(format!(
            "storage entry {:?} does not exist; create it first with `dokku storage:create`",
            req.name
        )));
    }
    let a = attachment_of(req)?;
    let _lock = StateLock::acquire(&ctx.paths, &req.app)?;
    let mut list = attachment::load(&ctx.paths, &req.app)?;
    let same_place =
        |x: &Attachment| x.container_path == a.container_path && x.process_type == a.process_type;
    if let Some(i) = list
        .iter()
        .position(|x| x.entry_name == a.entry_name && same_place(x))
    {
        list[i] = a;
    } else if let Some(other) = list.iter().find(|x| same_place(x)) {
        return Err(Error::fail(format!(
            "storage entry {:?} is already mounted at {:?} for process type {:?} on app {:?}",
            other.entry_name, a.container_path, a.process_type, req.app
        )));
    } else {
        list.push(a);
    }
    attachment::save(&ctx.paths, &req.app, &list)
}

/// `storage:unmount <app> <name> [--container-dir <path>]`.
pub fn unmount_named(ctx: &Ctx, app: &str, name: &str, container_dir: Option<&str>) -> Result<()> {
    name::check_entry_name(name)?;
    let _lock = StateLock::acquire(&ctx.paths, app)?;
    let mut list = attachment::load(&ctx.paths, app)?;
    let mut paths: Vec<String> = Vec::new();
    for a in list.iter().filter(|a| a.entry_name == name) {
        if !paths.contains(&a.container_path) {
            paths.push(a.container_path.clone());
        }
    }
    if paths.is_empty() {
        return Err(Error::fail(format!(
            "storage entry {name:?} is not mounted on app {app:?}"
        )));
    }
    let target = match container_dir {
        Some(d) => {
            let d = spec::trim_slash(d);
            if !paths.iter().any(|p| p == d) {
                return Err(Error::fail(format!("storage entry {name:?} is not mounted at {d:?} on app {app:?}")));
            }
            d.to_string()
        }
        None if paths.len() > 1 => {
            return Err(Error::fail(format!(
                "storage entry {name:?} is mounted at multiple paths on app {app:?} ({}); pass --container-dir to disambiguate",
                paths.join(", ")
            )))
        }
        None => paths[0].clone(),
    };
    list.retain(|a| !(a.entry_name == name && a.container_path == target));
    attachment::save(&ctx.paths, app, &list)
}
