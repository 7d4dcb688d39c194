//! What a deploy will do, decided before any container is touched: which
//! dynos start in which order, which old containers stop first, which are
//! moved out of a new container's way and which retire. Pure: no engine, no
//! triggers, no files.

use dokku_docker::ContainerSummary;

use crate::containers::{final_name, DYNO_LABEL, PROC_LABEL};

/// A process type that will run, with the command its containers get
/// (`None`: the image's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessType {
    /// `web`, `worker`, ...
    pub name: String,
    /// How many containers.
    pub count: u32,
    /// Their command.
    pub cmd: Option<Vec<String>>,
}

/// One container to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dyno {
    /// Its process type.
    pub proc_type: String,
    /// Its index, from 1.
    pub index: u32,
    /// `<type>.<index>`.
    pub dyno: String,
    /// The name it takes once the deploy succeeds: `<app>.<type>.<index>`.
    pub final_name: String,
    /// Old containers of the same dyno, stopped before it starts because
    /// checks are disabled for its type (no overlap then, as in Dokku).
    pub stop_first: Vec<String>,
    /// Old containers that hold `final_name`: renamed away before the new
    /// container takes the name.
    pub displaced: Vec<String>,
}

/// The dynos of one process type, started `parallel` at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypePlan {
    /// The process type.
    pub process: ProcessType,
    /// Its dynos, by index.
    pub dynos: Vec<Dyno>,
}

/// A whole deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Process types in the order they deploy: `web` alone first, then the
    /// others in batches of `parallel-schedule-count` (a batch's types
    /// deploy side by side). A failure stops before the next batch.
    pub batches: Vec<Vec<TypePlan>>,
    /// Every old container in the deploy's scope, retired once the new
    /// ones run (ids, in listing order).
    pub retire: Vec<String>,
}

impl Plan {
    /// Every dyno that will run, in deploy order.
    pub fn dynos(&self) -> impl Iterator<Item = &Dyno> {
        self.batches.iter().flatten().flat_map(|t| t.dynos.iter())
    }
}

/// The process types of `scale` a deploy starts: those with containers,
/// and only `only` when the deploy is restricted to one type.
pub fn types_in_scope(scale: &[(String, u32)], only: Option<&str>) -> Vec<(String, u32)> {
    scale
        .iter()
        .filter(|(p, n)| *n > 0 && only.is_none_or(|o| o == p))
        .cloned()
        .collect()
}

/// Whether an old container belongs to the deploy: every container, or
/// those of the one process type deployed.
pub fn in_scope(c: &ContainerSummary, only: Option<&str>) -> bool {
    match only {
        Some(p) => c.labels.get(PROC_LABEL).map(String::as_str) == Some(p),
        None => true,
    }
}

/// What the plan is made from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The app.
    pub app: &'a str,
    /// The types that will run (already resolved to commands), web first.
    pub types: &'a [ProcessType],
    /// The app's deploy containers in the deploy's scope.
    pub old: &'a [ContainerSummary],
    /// The checks plugin's `disabled` list (`_all_` or type names).
    pub checks_disabled: &'a [String],
    /// `parallel-schedule-count`, at least 1.
    pub per_batch: usize,
}

/// Decide the deploy.
pub fn plan(input: &Input) -> Plan {
    let type_plan = |p: &ProcessType| {
        let unchecked = input
            .checks_disabled
            .iter()
            .any(|d| d == "_all_" || *d == p.name);
        let dynos = (1..=p.count)
            .map(|index| {
                let dyno = format!("{}.{index}", p.name);
                let final_name = final_name(input.app, &p.name, index);
                let stop_first = if unchecked {
                    input
                        .old
                        .iter()
                        .filter(|c| c.labels.get(DYNO_LABEL) == Some(&dyno))
                        .map(|c| c.id.clone())
                        .collect()
                } else {
                    Vec::new()
                };
                let displaced = input
                    .old
                    .iter()
                    .filter(|c| c.name() == Some(final_name.as_str()))
                    .map(|c| c.id.clone())
                    .collect();
                Dyno {
                    proc_type: p.name.clone(),
                    index,
                    dyno,
                    final_name,
                    stop_first,
                    displaced,
                }
            })
            .collect();
        TypePlan {
            process: p.clone(),
            dynos,
        }
    };
    let (web, rest): (Vec<_>, Vec<_>) = input.types.iter().partition(|p| p.name == "web");
    let mut batches: Vec<Vec<TypePlan>> = web.into_iter().map(|p| vec![type_plan(p)]).collect();
    for batch in rest.chunks(input.per_batch.max(1)) {
        batches.push(batch.iter().map(|p| type_plan(p)).collect());
    }
    Plan {
        batches,
        retire: input.old.iter().map(|c| c.id.clone()).collect(),
    }
}

/// The recorded dynos a successful deploy forgets: those in its scope that
/// no longer run.
pub fn stale_records<'a>(
    recorded: impl IntoIterator<Item = &'a String>,
    plan: &Plan,
    only: Option<&str>,
) -> Vec<String> {
    recorded
        .into_iter()
        .filter(|dyno| {
            let proc_type = dyno.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
            !plan.dynos().any(|d| d.dyno == **dyno) && only.is_none_or(|o| o == proc_type)
        })
        .cloned()
        .collect()
}

/// The names an old container tries, in order, when it is moved out of
/// `final_name`'s way: `<final_name>.<stamp>`, then the next seconds, so a
/// deploy within the same second as the last one still finds a free name.
pub fn retired_names(final_name: &str, stamp: u64, attempts: u64) -> Vec<String> {
    (0..attempts)
        .map(|n| format!("{final_name}.{}", stamp + n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn old(name: &str, id: &str) -> ContainerSummary {
        let (_, dyno) = name.split_once('.').unwrap_or(("", ""));
        let dyno: String = dyno.split('.').take(2).collect::<Vec<_>>().join(".");
        let proc_type = dyno.split('.').next().unwrap_or("").to_string();
        ContainerSummary {
            id: id.into(),
            names: vec![name.into()],
            labels: BTreeMap::from([
                (DYNO_LABEL.to_string(), dyno),
                (PROC_LABEL.to_string(), proc_type),
            ]),
            ..ContainerSummary::default()
        }
    }

    fn types(spec: &[(&str, u32)]) -> Vec<ProcessType> {
        spec.iter()
            .map(|(n, c)| ProcessType {
                name: n.to_string(),
                count: *c,
                cmd: None,
            })
            .collect()
    }

    /// The plan as text: one line per batch, `type:final-name[...]`.
    fn check(
        types: &[ProcessType],
        old: &[ContainerSummary],
        disabled: &[&str],
        per_batch: usize,
        expected: &str,
    ) {
        let disabled: Vec<String> = disabled.iter().map(|s| s.to_string()).collect();
        let p = plan(&Input {
            app: "app",
            types,
            old,
            checks_disabled: &disabled,
            per_batch,
        });
        let mut text = String::new();
        for batch in &p.batches {
            let line: Vec<String> = batch
                .iter()
                .map(|t| {
                    let dynos: Vec<String> = t
                        .dynos
                        .iter()
                        .map(|d| {
                            let mut s = d.final_name.clone();
                            if !d.stop_first.is_empty() {
                                s.push_str(&format!(" stop{:?}", d.stop_first));
                            }
                            if !d.displaced.is_empty() {
                                s.push_str(&format!(" displace{:?}", d.displaced));
                            }
                            s
                        })
                        .collect();
                    format!("{}: {}", t.process.name, dynos.join(", "))
                })
                .collect();
            text.push_str(&line.join(" | "));
            text.push('\n');
        }
        text.push_str(&format!("retire {:?}\n", p.retire));
        assert_eq!(text, expected);
    }

    #[test]
    fn first_deploy_starts_web_first_then_the_rest_one_type_at_a_time() {
        check(
            &types(&[("web", 2), ("worker", 1), ("clock", 1)]),
            &[],
            &[],
            1,
            "web: app.web.1, app.web.2\n\
             worker: app.worker.1\n\
             clock: app.clock.1\n\
             retire []\n",
        );
    }

    #[test]
    fn parallel_schedule_count_batches_the_other_types() {
        check(
            &types(&[("web", 1), ("a", 1), ("b", 2), ("c", 1)]),
            &[],
            &[],
            2,
            "web: app.web.1\n\
             a: app.a.1 | b: app.b.1, app.b.2\n\
             c: app.c.1\n\
             retire []\n",
        );
        // No web: the first batch is the first other types.
        check(
            &types(&[("worker", 1)]),
            &[],
            &[],
            4,
            "worker: app.worker.1\nretire []\n",
        );
    }

    #[test]
    fn scaling_up_and_down_displaces_only_the_names_taken_again() {
        let running = [
            old("app.web.1", "w1"),
            old("app.web.2", "w2"),
            old("app.web.3", "w3"),
        ];
        // Down from 3 to 1: web.1's name is taken again; all three retire.
        check(
            &types(&[("web", 1)]),
            &running,
            &[],
            1,
            "web: app.web.1 displace[\"w1\"]\nretire [\"w1\", \"w2\", \"w3\"]\n",
        );
        // Up from 3 to 4: the new fourth displaces nothing.
        check(
            &types(&[("web", 4)]),
            &running,
            &[],
            1,
            "web: app.web.1 displace[\"w1\"], app.web.2 displace[\"w2\"], \
             app.web.3 displace[\"w3\"], app.web.4\n\
             retire [\"w1\", \"w2\", \"w3\"]\n",
        );
    }

    #[test]
    fn a_type_scaled_to_zero_starts_nothing_and_retires_its_containers() {
        let scale = vec![("web".to_string(), 1), ("worker".to_string(), 0)];
        assert_eq!(types_in_scope(&scale, None), vec![("web".to_string(), 1)]);
        check(
            &types(&[("web", 1)]),
            &[old("app.web.1", "w1"), old("app.worker.1", "k1")],
            &[],
            1,
            "web: app.web.1 displace[\"w1\"]\nretire [\"w1\", \"k1\"]\n",
        );
        // Everything at zero: nothing starts, everything retires.
        check(&[], &[old("app.web.1", "w1")], &[], 1, "retire [\"w1\"]\n");
    }

    #[test]
    fn a_restricted_deploy_keeps_to_its_type() {
        let scale = vec![("web".to_string(), 1), ("worker".to_string(), 2)];
        assert_eq!(
            types_in_scope(&scale, Some("worker")),
            vec![("worker".to_string(), 2)]
        );
        assert!(types_in_scope(&scale, Some("clock")).is_empty());
        let all = [old("app.web.1", "w1"), old("app.worker.1", "k1")];
        let scoped: Vec<ContainerSummary> = all
            .iter()
            .filter(|c| in_scope(c, Some("worker")))
            .cloned()
            .collect();
        check(
            &types(&[("worker", 2)]),
            &scoped,
            &[],
            1,
            "worker: app.worker.1 displace[\"k1\"], app.worker.2\nretire [\"k1\"]\n",
        );
    }

    #[test]
    fn only_containers_holding_the_exact_final_name_are_displaced() {
        // A container left as `app.web.1.<stamp>` by an earlier deploy, and
        // another app whose name starts like ours, keep their names.
        check(
            &types(&[("web", 1)]),
            &[
                old("app.web.1.1700000000", "leftover"),
                old("app.web.1", "current"),
                old("app.web.10", "ten"),
            ],
            &[],
            1,
            "web: app.web.1 displace[\"current\"]\n\
             retire [\"leftover\", \"current\", \"ten\"]\n",
        );
    }

    #[test]
    fn disabled_checks_stop_the_old_dyno_first() {
        let running = [old("app.web.1", "w1"), old("app.worker.1", "k1")];
        check(
            &types(&[("web", 1), ("worker", 1)]),
            &running,
            &["worker"],
            1,
            "web: app.web.1 displace[\"w1\"]\n\
             worker: app.worker.1 stop[\"k1\"] displace[\"k1\"]\n\
             retire [\"w1\", \"k1\"]\n",
        );
        check(
            &types(&[("web", 1)]),
            &running,
            &["_all_"],
            1,
            "web: app.web.1 stop[\"w1\"] displace[\"w1\"]\nretire [\"w1\", \"k1\"]\n",
        );
    }

    #[test]
    fn stale_records_are_the_dynos_in_scope_that_no_longer_run() {
        let p = plan(&Input {
            app: "app",
            types: &types(&[("web", 1), ("worker", 1)]),
            old: &[],
            checks_disabled: &[],
            per_batch: 1,
        });
        let recorded: Vec<String> = ["web.1", "web.2", "worker.1", "clock.1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(stale_records(&recorded, &p, None), ["web.2", "clock.1"]);
        assert_eq!(stale_records(&recorded, &p, Some("web")), ["web.2"]);
        assert_eq!(stale_records(&recorded, &p, Some("clock")), ["clock.1"]);
    }

    #[test]
    fn retired_names_step_through_the_seconds() {
        assert_eq!(
            retired_names("app.web.1", 1700000000, 3),
            [
                "app.web.1.1700000000",
                "app.web.1.1700000001",
                "app.web.1.1700000002"
            ]
        );
    }
}
