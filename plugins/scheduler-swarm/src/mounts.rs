//! Storage for swarm apps: the typed mounts other plugins give a process
//! type (`docker-args-process-deploy`/`-run`: the storage plugin's entries
//! and classic mounts, and `-v` docker options, with those
//! [`crate::resources`] finds inside other options) become service mounts.
//! A host path exists on this host only, so a service with a bind mount
//! gets a placement constraint on this host's node
//! (`node.id==<id>`): its tasks do not spread. Named volumes are not
//! pinned: each node creates its own local volume of that name, with its
//! own contents (a volume driver shared by the nodes is the way to share
//! data).
//!
//! A storage entry's subpath mounts a directory inside it: for a host
//! path, that directory (created on this host, where such tasks run, and
//! refused if it resolves outside the entry); for a volume, the service
//! mount's `Subpath` (engines of API 1.45, Docker 26, or later: older ones
//! refuse the deploy rather than mount the whole volume). An attachment's
//! `--volume-chown` runs, before the process's services are created or
//! updated, a global job in the app's image as root: `chown -R uid:uid`
//! of the mounted paths, on every node the process's tasks may run on
//! (each node's own volume; the Dokku host's node for host paths), as
//! k3s's init container does. The image needs `chown`.
//!
//! Mount options carry over where a service mount has the field: `ro`,
//! bind propagation (`rslave`...), `nocopy` for volumes, and the
//! consistency (`cached`...); others (SELinux's `z`/`Z` among them) are
//! left out with a warning.
//!
//! Other docker options are [`crate::resources`]'.

use dokku_core::{Error, Result};
use dokku_docker::{ServiceMount, ServiceSpec};
use dokku_trigger::triggers::VolumeMount;
use dokku_trigger::Ctx;

/// Mounts and the constraints they bring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    pub mounts: Vec<ServiceMount>,
    pub constraints: Vec<String>,
    /// Mount options with no service mount field, as `target:option`.
    pub ignored: Vec<String>,
    /// Mounts (indexes into `mounts`) whose source gets an owner before
    /// use, with the `--volume-chown` value.
    pub chowns: Vec<(usize, String)>,
}

/// Whether a subpath is a plain relative path inside its entry.
pub fn clean_subpath(subpath: &str) -> bool {
    !subpath.starts_with('/')
        && subpath
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

impl Placement {
    /// Add the mounts and constraints to a service spec.
    pub fn apply(&self, spec: &mut ServiceSpec) {
        spec.mounts.extend(self.mounts.iter().cloned());
        for c in &self.constraints {
            if !spec.constraints.contains(c) {
                spec.constraints.push(c.clone());
            }
        }
    }
}

/// Translate typed mounts; bind mounts pin to the node `host_node`.
pub fn translate(list: &[VolumeMount], host_node: &str) -> Placement {
    let mut p = Placement::default();
    for m in list {
        let mut mount = ServiceMount {
            source: m.source.clone(),
            target: m.target.clone(),
            volume: !m.is_bind(),
            read_only: m.readonly,
            ..ServiceMount::default()
        };
        if !m.subpath.is_empty() {
            if m.is_bind() {
                mount.source = format!("{}/{}", m.source.trim_end_matches('/'), m.subpath);
            } else {
                mount.subpath = m.subpath.clone();
            }
        }
        if !m.chown.is_empty() {
            p.chowns.push((p.mounts.len(), m.chown.clone()));
        }
        for o in m
            .options
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            match o {
                "ro" | "readonly" => mount.read_only = true,
                "rw" => mount.read_only = false,
                "private" | "rprivate" | "shared" | "rshared" | "slave" | "rslave"
                    if m.is_bind() =>
                {
                    mount.propagation = o.to_string()
                }
                "nocopy" if !m.is_bind() => mount.no_copy = true,
                "consistent" | "cached" | "delegated" => mount.consistency = o.to_string(),
                _ => p.ignored.push(format!("{}:{o}", m.target)),
            }
        }
        p.mounts.push(mount);
        let pin = format!("node.id=={host_node}");
        if m.is_bind() && !p.constraints.contains(&pin) {
            p.constraints.push(pin);
        }
    }
    p
}

fn host_node(ctx: &Ctx) -> Result<String> {
    let s = crate::cluster::manager(ctx)?;
    let state = s.swarm_state().map_err(|e| Error::other("docker", e))?;
    Ok(state.node_id)
}

/// The lowest API version whose service mounts take a volume subpath.
const SUBPATH_API: (u32, u32) = (1, 45);

fn api_at_least(version: &str, want: (u32, u32)) -> bool {
    let mut it = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (it.next().unwrap_or(0), it.next().unwrap_or(0)) >= want
}

/// Check the subpaths of `mounts`: plain relative paths; a host path's
/// directory made (here) and kept inside its entry; a volume's only on
/// an engine that takes it.
fn check_subpaths(ctx: &Ctx, mounts: &[VolumeMount]) -> Result<()> {
    for m in mounts.iter().filter(|m| !m.subpath.is_empty()) {
        if !clean_subpath(&m.subpath) {
            return Err(Error::fail(format!(
                "Invalid subpath {:?} of the storage mounted at {}: it must be a relative path inside the entry",
                m.subpath, m.target
            )));
        }
        if m.is_bind() {
            let root = std::path::Path::new(&m.source);
            // No link on the way: the directory stays inside the entry.
            let mut at = root.to_path_buf();
            for c in m.subpath.split('/') {
                at.push(c);
                match std::fs::symlink_metadata(&at) {
                    Ok(meta) if meta.is_dir() && !meta.file_type().is_symlink() => {}
                    Ok(_) => {
                        return Err(Error::fail(format!(
                            "Subpath {} of {} must be made of directories inside it",
                            m.subpath, m.source
                        )))
                    }
                    Err(_) => break,
                }
            }
            dokku_core::fsutil::ensure_dir(&root.join(&m.subpath))?;
        } else {
            let api = ctx
                .engine()?
                .version()
                .map_err(|e| Error::other("docker", e))?
                .api_version;
            if !api_at_least(&api, SUBPATH_API) {
                return Err(Error::fail(format!(
                    "Subpath {} of volume {} needs a swarm whose engines speak API {}.{} (Docker 26) or later; this one speaks {api}",
                    m.subpath, m.source, SUBPATH_API.0, SUBPATH_API.1
                )));
            }
        }
    }
    Ok(())
}

/// The service mounts of `mounts`, bind mounts pinned to this host's node.
pub fn placement(ctx: &Ctx, mounts: &[VolumeMount]) -> Result<Placement> {
    if mounts.is_empty() {
        return Ok(Placement::default());
    }
    check_subpaths(ctx, mounts)?;
    let p = translate(mounts, &host_node(ctx)?);
    for o in &p.ignored {
        ctx.out.warn(&format!(
            "Ignoring mount option with no swarm service equivalent: {o}"
        ));
    }
    Ok(p)
}

/// The label naming the app an ownership job works for.
pub const CHOWN_FOR_LABEL: &str = "com.dokku.scheduler-swarm.chown-for";

/// Give the sources of `p`'s `--volume-chown` mounts their owner before
/// `spec`'s tasks use them: per uid, a global job in the service's image
/// running `chown -R uid:uid <targets>` as root, placed as the service's
/// tasks, with their registry credentials. Waits for it (up to the app's
/// deploy timeout), fails with a task's error, removes it.
pub fn ensure_owners(
    ctx: &Ctx,
    s: &dyn dokku_docker::SwarmEngine,
    app: &str,
    spec: &ServiceSpec,
    p: &Placement,
) -> Result<()> {
    let mut by_uid: std::collections::BTreeMap<u32, Vec<ServiceMount>> = Default::default();
    for (i, chown) in &p.chowns {
        let Some(uid) = dokku_trigger::triggers::chown_id(chown)? else {
            continue;
        };
        if let Some(m) = p.mounts.get(*i) {
            by_uid.entry(uid).or_default().push(ServiceMount {
                read_only: false,
                ..m.clone()
            });
        }
    }
    for (uid, mounts) in by_uid {
        let mut job = ServiceSpec {
            name: format!("{}-chown-{uid}", spec.name),
            image: spec.image.clone(),
            constraints: spec.constraints.clone(),
            restart_condition: "none".into(),
            global_job: true,
            registry_auth: spec.registry_auth.clone(),
            ..ServiceSpec::default()
        };
        let mut words = vec!["chown".to_string(), "-R".into(), format!("{uid}:{uid}")];
        words.extend(mounts.iter().map(|m| m.target.clone()));
        job.mounts = mounts;
        job.container_extra
            .insert("Command".into(), serde_json::json!(words));
        job.container_extra
            .insert("User".into(), serde_json::json!("0:0"));
        job.labels.insert(CHOWN_FOR_LABEL.into(), app.to_string());
        ctx.out.verbose(&format!(
            "Setting the owner of {} to {uid}",
            words[3..].join(", ")
        ));
        let _ = s.remove_service(&job.name);
        s.create_service(&job)
            .map_err(|e| Error::other("docker", e))?;
        let done = wait_for_job(s, &job.name, crate::deploy_timeout(ctx, app));
        let _ = s.remove_service(&job.name);
        done?;
    }
    Ok(())
}

/// Wait until every task of a job ended; an error naming a task that did
/// not complete.
fn wait_for_job(s: &dyn dokku_docker::SwarmEngine, name: &str, timeout: u64) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(timeout);
    loop {
        let tasks = crate::logs::tasks_of(s, name, false)?;
        let ended = |state: &str| {
            matches!(
                state,
                "complete" | "failed" | "rejected" | "shutdown" | "orphaned" | "remove"
            )
        };
        if !tasks.is_empty() && tasks.iter().all(|t| ended(&t.state)) {
            return match tasks.iter().find(|t| t.state != "complete") {
                None => Ok(()),
                Some(t) => Err(Error::fail(format!(
                    "Unable to set the owner of the storage of {name}: {} {}",
                    t.state,
                    if t.error.is_empty() {
                        &t.message
                    } else {
                        &t.error
                    }
                ))),
            };
        }
        if std::time::Instant::now() >= deadline {
            return Err(Error::fail(format!(
                "Unable to set the owner of the storage of {name}: the job did not end within {timeout} seconds"
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_paths_pin_and_volumes_do_not() {
        let bind = VolumeMount {
            source: "/var/lib/dokku/data/storage/app".into(),
            target: "/data".into(),
            readonly: true,
            ..VolumeMount::default()
        };
        let vol = VolumeMount {
            source: "cache".into(),
            target: "/cache".into(),
            ..VolumeMount::default()
        };
        let p = translate(std::slice::from_ref(&vol), "n1");
        assert!(p.constraints.is_empty());
        assert!(p.mounts[0].volume);
        let opts = VolumeMount {
            options: "rslave,Z,nocopy".into(),
            ..bind.clone()
        };
        let p = translate(&[opts], "n1");
        assert_eq!(p.mounts[0].propagation, "rslave");
        assert!(p.mounts[0].read_only && !p.mounts[0].no_copy);
        assert_eq!(p.ignored, vec!["/data:Z", "/data:nocopy"]);
        let p = translate(&[bind.clone(), vol, bind], "n1");
        assert_eq!(p.constraints, vec!["node.id==n1"]);
        assert_eq!(p.mounts.len(), 3);
        assert!(!p.mounts[0].volume && p.mounts[0].read_only);
        let mut spec = ServiceSpec::default();
        p.apply(&mut spec);
        p.apply(&mut spec);
        assert_eq!(spec.constraints, vec!["node.id==n1"]);
    }

    #[test]
    fn subpaths_and_owners() {
        let bind = VolumeMount {
            source: "/var/lib/dokku/data/storage/app/".into(),
            target: "/data".into(),
            subpath: "uploads/img".into(),
            chown: "herokuish".into(),
            ..VolumeMount::default()
        };
        let vol = VolumeMount {
            source: "cache".into(),
            target: "/cache".into(),
            subpath: "tmp".into(),
            ..VolumeMount::default()
        };
        let p = translate(&[vol, bind], "n1");
        assert_eq!(
            (p.mounts[0].source.as_str(), p.mounts[0].subpath.as_str()),
            ("cache", "tmp")
        );
        assert_eq!(
            (p.mounts[1].source.as_str(), p.mounts[1].subpath.as_str()),
            ("/var/lib/dokku/data/storage/app/uploads/img", "")
        );
        assert_eq!(p.chowns, vec![(1, "herokuish".to_string())]);
        for ok in ["a", "a/b", "a.b/c"] {
            assert!(clean_subpath(ok), "{ok}");
        }
        for bad in ["", "/a", "a/../b", "..", "./a", "a//b", "a/"] {
            assert!(!clean_subpath(bad), "{bad}");
        }
        assert!(api_at_least("1.45", SUBPATH_API));
        assert!(api_at_least("1.47", SUBPATH_API));
        assert!(api_at_least("2.0", SUBPATH_API));
        assert!(!api_at_least("1.41", SUBPATH_API));
    }
}
