//! What the docker-options commands do, as library functions.

use dokku_core::lock::StateLock;
use dokku_core::{Error, Paths, Result};
use dokku_output::Output;
use dokku_trigger::triggers::{ContainerArgs, ScopedOption, DEFAULT_PROCESS_TYPE};

use crate::store;
use crate::words;

/// Which options of which scopes a command acts on.
#[derive(Debug, Clone)]
pub struct Change {
    /// The app.
    pub app: String,
    /// Phases, validated.
    pub phases: Vec<String>,
    /// Process scopes; empty for the default scope.
    pub processes: Vec<String>,
    /// The option words typed.
    pub option_words: Vec<String>,
}

/// The scopes a change touches: each process, or the default scope.
fn scopes(processes: &[String]) -> Vec<Option<&str>> {
    if processes.is_empty() {
        vec![None]
    } else {
        processes.iter().map(|p| Some(p.as_str())).collect()
    }
}

/// `--process` only goes with the deploy phase.
pub fn check_process_phases(processes: &[String], phases: &[String]) -> Result<()> {
    if processes.is_empty() {
        return Ok(());
    }
    match phases.iter().find(|p| *p != "deploy") {
        Some(p) => Err(Error::fail(format!(
            "--process is only supported for the deploy phase, got {p:?}"
        ))),
        None => Ok(()),
    }
}

/// `docker-options:add`: append each option not already stored.
pub fn add(paths: &Paths, c: &Change) -> Result<()> {
    check_process_phases(&c.processes, &c.phases)?;
    let options: Vec<String> = words::group(&c.option_words)
        .iter()
        .map(|g| words::canonical(g))
        .collect::<Result<_>>()?;
    if options.is_empty() {
        return Err(Error::fail(
            "Please specify docker options to add to the phase",
        ));
    }
    edit_lists(paths, c, |list| {
        for o in &options {
            if !list.contains(o) {
                list.push(o.clone());
            }
        }
    })
}

/// `docker-options:remove`: drop every stored option with the same words.
pub fn remove(paths: &Paths, c: &Change) -> Result<()> {
    check_process_phases(&c.processes, &c.phases)?;
    let groups = words::group(&c.option_words);
    if groups.is_empty() {
        return Err(Error::fail(
            "Please specify docker options to remove from the phase",
        ));
    }
    edit_lists(paths, c, |list| {
        list.retain(|stored| !groups.iter().any(|g| words::same_words(stored, g)));
    })
}

/// Apply `edit` to the stored list of each process scope and phase of `c`,
/// under the app's lock; a list `edit` leaves as it was is not written.
fn edit_lists(paths: &Paths, c: &Change, edit: impl Fn(&mut Vec<String>)) -> Result<()> {
    let _lock = StateLock::acquire(paths, &c.app)?;
    for scope in scopes(&c.processes) {
        for phase in &c.phases {
            let list = store::get(paths, &c.app, scope, phase)?;
            let mut edited = list.clone();
            edit(&mut edited);
            if edited != list {
                store::put(paths, &c.app, scope, phase, &edited)?;
            }
        }
    }
    Ok(())
}

/// `docker-options:clear`: empty the given phases (all when none given).
pub fn clear(
    paths: &Paths,
    out: &Output,
    app: &str,
    phases: Option<&[String]>,
    processes: &[String],
) -> Result<()> {
    let all: Vec<String> = store::PHASES.iter().map(|p| p.to_string()).collect();
    let chosen = phases.unwrap_or(&all);
    if phases.is_some() {
        check_process_phases(processes, chosen)?;
    }
    let chosen: Vec<String> = if processes.is_empty() {
        chosen.to_vec()
    } else {
        vec!["deploy".to_string()]
    };
    let _lock = StateLock::acquire(paths, app)?;
    if phases.is_none() {
        out.info1(&format!("Clearing docker-options for {app} on all phases"));
    }
    for phase in &chosen {
        if phases.is_some() {
            out.info1(&format!(
                "Clearing docker-options for {app} on phase {phase}"
            ));
        }
        for scope in scopes(processes) {
            store::put(paths, app, scope, phase, &[])?;
        }
    }
    Ok(())
}

/// What an app's containers of a phase and process type get from this
/// plugin: `-v` options become typed mounts, the rest stays as options.
pub fn container_args(
    paths: &Paths,
    app: &str,
    phase: &str,
    process: &str,
) -> Result<ContainerArgs> {
    let mut stored = store::get(paths, app, None, phase)?;
    if phase == "deploy"
        && !process.is_empty()
        && process != DEFAULT_PROCESS_TYPE
        && store::valid_process(process)
    {
        stored.extend(store::get(paths, app, Some(process), phase)?);
    }
    let mut args = ContainerArgs::default();
    for o in stored {
        match words::volume_of(&o) {
            Some(m) => args.mounts.push(m),
            None => args.options.push(o),
        }
    }
    Ok(args)
}

/// Every stored volume option of an app, with its scope.
pub fn volume_options(paths: &Paths, app: &str) -> Result<Vec<ScopedOption>> {
    scoped_options(paths, app, |o| words::volume_of(o).is_some())
}

/// Every stored option of an app that `keep` accepts, with its scope.
pub fn scoped_options(
    paths: &Paths,
    app: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<ScopedOption>> {
    let mut out = Vec::new();
    let mut scopes: Vec<String> = vec![DEFAULT_PROCESS_TYPE.to_string()];
    scopes.extend(store::process_scopes(paths, app)?);
    for scope in &scopes {
        for phase in store::PHASES {
            let proc_ = if scope == DEFAULT_PROCESS_TYPE {
                None
            } else {
                Some(scope.as_str())
            };
            if proc_.is_some() && phase != "deploy" {
                continue;
            }
            for o in store::get(paths, app, proc_, phase)? {
                if keep(&o) {
                    out.push(ScopedOption {
                        phase: phase.to_string(),
                        process_type: scope.clone(),
                        option: o,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Remove exact stored options from one scope.
pub fn remove_exact(
    paths: &Paths,
    app: &str,
    phase: &str,
    process: &str,
    options: &[String],
) -> Result<()> {
    dokku_core::apps::validate_name(app)?;
    store::check_phase(phase)?;
    let scope = if process.is_empty() || process == DEFAULT_PROCESS_TYPE {
        None
    } else if store::valid_process(process) {
        Some(process)
    } else {
        return Err(Error::fail(format!("Invalid process type {process:?}")));
    };
    let _lock = StateLock::acquire(paths, app)?;
    let list = store::get(paths, app, scope, phase)?;
    let kept: Vec<String> = list
        .iter()
        .filter(|o| !options.contains(o))
        .cloned()
        .collect();
    if kept.len() != list.len() {
        store::put(paths, app, scope, phase, &kept)?;
    }
    Ok(())
}
