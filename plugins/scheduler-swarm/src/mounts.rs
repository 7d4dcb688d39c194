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

/// The service mounts of `mounts`, bind mounts pinned to this host's node.
pub fn placement(ctx: &Ctx, mounts: &[VolumeMount]) -> Result<Placement> {
    if mounts.is_empty() {
        return Ok(Placement::default());
    }
    let p = translate(mounts, &host_node(ctx)?);
    for o in &p.ignored {
        ctx.out.warn(&format!(
            "Ignoring mount option with no swarm service equivalent: {o}"
        ));
    }
    Ok(p)
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
}
