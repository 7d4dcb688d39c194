//! Whether a deploy only changes replicas. A service's labels carry the
//! fingerprint of its spec (everything but replicas and the force-update
//! counter, see [`dokku_docker::spec_fingerprint`]); when every service a
//! deploy touches would get the spec it already has and some want another
//! replica count (or do not exist yet), the deploy is a scale: replicas
//! change and running tasks are left alone. Otherwise it is a rolling
//! update of every service, tasks replaced even when nothing changed (a
//! restart).

use dokku_docker::{ServiceInfo, ServiceSpec};

/// The label holding a service's spec fingerprint.
pub const FINGERPRINT_LABEL: &str = "com.dokku.scheduler-swarm.spec";

/// What to do with one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Create it.
    Create,
    /// Change its replicas only.
    Scale,
    /// Leave it as it is.
    Keep,
    /// Replace its spec (a rolling update with new tasks).
    Update,
}

/// The steps of a deploy, one per (wanted spec, existing service) pair.
/// `fingerprints` are those of the wanted specs.
pub fn plan(wanted: &[(&ServiceSpec, &str, Option<&ServiceInfo>)]) -> Vec<Step> {
    let same = |spec: &ServiceSpec, fp: &str, e: Option<&ServiceInfo>| {
        e.is_none_or(|e| {
            e.labels.get(FINGERPRINT_LABEL).map(String::as_str) == Some(fp) && e.image == spec.image
        })
    };
    let all_same = wanted.iter().all(|(s, fp, e)| same(s, fp, *e));
    let any_scaled = wanted
        .iter()
        .any(|(s, _, e)| e.is_none_or(|e| e.replicas != s.replicas));
    wanted
        .iter()
        .map(|(s, _, e)| match e {
            None => Step::Create,
            Some(_) if !(all_same && any_scaled) => Step::Update,
            Some(e) if e.replicas != s.replicas => Step::Scale,
            Some(_) => Step::Keep,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn info(replicas: u64, fp: &str) -> ServiceInfo {
        ServiceInfo {
            image: "i".into(),
            replicas,
            labels: BTreeMap::from([(FINGERPRINT_LABEL.to_string(), fp.to_string())]),
            ..ServiceInfo::default()
        }
    }

    fn spec(replicas: u64) -> ServiceSpec {
        ServiceSpec {
            image: "i".into(),
            replicas,
            ..ServiceSpec::default()
        }
    }

    #[test]
    fn replica_changes_alone_scale_and_keep_the_rest() {
        let (web, worker) = (spec(3), spec(1));
        let (e_web, e_worker) = (info(1, "a"), info(1, "b"));
        assert_eq!(
            plan(&[(&web, "a", Some(&e_web)), (&worker, "b", Some(&e_worker))]),
            vec![Step::Scale, Step::Keep]
        );
        // A new process type is created, the others kept.
        assert_eq!(
            plan(&[(&web, "a", Some(&info(3, "a"))), (&worker, "b", None)]),
            vec![Step::Keep, Step::Create]
        );
    }

    #[test]
    fn changed_specs_or_nothing_to_scale_replace_tasks() {
        let web = spec(3);
        assert_eq!(
            plan(&[(&web, "new", Some(&info(1, "old")))]),
            vec![Step::Update]
        );
        // Same spec, same replicas: a restart.
        assert_eq!(
            plan(&[(&web, "a", Some(&info(3, "a")))]),
            vec![Step::Update]
        );
        let other_image = ServiceInfo {
            image: "j".into(),
            ..info(1, "a")
        };
        assert_eq!(plan(&[(&web, "a", Some(&other_image))]), vec![Step::Update]);
    }
}
