//! The checks plugin's properties: the `disabled` and `skipped` process
//! lists (`_all_` for every process) and the timing settings.

use dokku_core::lock::StateLock;
use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{Paths, Result};

/// The plugin's property namespace.
pub const PLUGIN: &str = "checks";

/// The list value meaning every process type.
pub const ALL: &str = "_all_";

/// Seconds old containers stay up after a deploy when nothing is set.
pub const DEFAULT_WAIT_TO_RETIRE: u64 = 60;

/// Seconds a container must stay up when an app defines no check.
pub const DEFAULT_WAIT: u64 = 10;

/// A process list property: empty, `_all_`, or process types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcList {
    /// No process.
    None,
    /// Every process type.
    All,
    /// These process types.
    Some(Vec<String>),
}

impl ProcList {
    /// Parse a stored value.
    pub fn parse(s: &str) -> Self {
        let s = s.trim();
        if s.is_empty() || s == "none" {
            ProcList::None
        } else if s.split(',').any(|p| p.trim() == ALL) {
            ProcList::All
        } else {
            let mut v: Vec<String> = Vec::new();
            for p in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if !v.iter().any(|x| x == p) {
                    v.push(p.to_string());
                }
            }
            if v.is_empty() {
                ProcList::None
            } else {
                ProcList::Some(v)
            }
        }
    }

    /// The stored form (empty for none).
    pub fn to_value(&self) -> String {
        match self {
            ProcList::None => String::new(),
            ProcList::All => ALL.to_string(),
            ProcList::Some(v) => v.join(","),
        }
    }

    /// The report form (`none` when empty).
    pub fn display(&self) -> String {
        match self {
            ProcList::None => "none".to_string(),
            other => other.to_value(),
        }
    }

    /// Whether a process type is in the list.
    pub fn contains(&self, proc_type: &str) -> bool {
        match self {
            ProcList::None => false,
            ProcList::All => true,
            ProcList::Some(v) => v.iter().any(|p| p == proc_type),
        }
    }

    /// Add process types (`None` meaning every one).
    pub fn with(self, procs: Option<&[String]>) -> Self {
        match (self, procs) {
            (_, None) | (ProcList::All, _) => ProcList::All,
            (ProcList::None, Some(p)) => ProcList::parse(&p.join(",")),
            (ProcList::Some(mut v), Some(p)) => {
                for x in p {
                    if !v.contains(x) {
                        v.push(x.clone());
                    }
                }
                ProcList::Some(v)
            }
        }
    }

    /// Remove process types (`None` meaning every one). Removing from
    /// `_all_` keeps the remaining `known` types.
    pub fn without(self, procs: Option<&[String]>, known: &[String]) -> Self {
        let Some(p) = procs else {
            return ProcList::None;
        };
        let v: Vec<String> = match self {
            ProcList::None => return ProcList::None,
            ProcList::All => known.to_vec(),
            ProcList::Some(v) => v,
        };
        let kept: Vec<String> = v.into_iter().filter(|x| !p.contains(x)).collect();
        if kept.is_empty() {
            ProcList::None
        } else {
            ProcList::Some(kept)
        }
    }
}

/// The `disabled` list of an app.
pub fn disabled(paths: &Paths, app: &str) -> ProcList {
    ProcList::parse(&Properties::new(paths, PLUGIN).get_str(app, "disabled"))
}

/// The `skipped` list of an app.
pub fn skipped(paths: &Paths, app: &str) -> ProcList {
    ProcList::parse(&Properties::new(paths, PLUGIN).get_str(app, "skipped"))
}

/// Rewrite both lists under the app's state lock.
pub fn update(
    paths: &Paths,
    app: &str,
    f: impl FnOnce(ProcList, ProcList) -> (ProcList, ProcList),
) -> Result<()> {
    let _lock = StateLock::acquire(paths, app)?;
    let (d, s) = f(disabled(paths, app), skipped(paths, app));
    let props = Properties::new(paths, PLUGIN);
    for (key, list) in [("disabled", d), ("skipped", s)] {
        match list {
            ProcList::None => props.delete(app, key)?,
            l => props.write(app, key, &l.to_value())?,
        }
    }
    Ok(())
}

/// An app property, else the global one, as a number.
pub fn computed_number(paths: &Paths, app: &str, key: &str) -> Option<u64> {
    let props = Properties::new(paths, PLUGIN);
    let app_v = if app.is_empty() {
        String::new()
    } else {
        props.get_str(app, key)
    };
    let v = if app_v.trim().is_empty() {
        props.get_str(GLOBAL, key)
    } else {
        app_v
    };
    v.trim().parse().ok()
}

/// Seconds old containers are kept after a deploy.
pub fn wait_to_retire(paths: &Paths, app: &str) -> u64 {
    computed_number(paths, app, "wait-to-retire").unwrap_or(DEFAULT_WAIT_TO_RETIRE)
}

/// Seconds the fallback uptime check waits: `DOKKU_DEFAULT_CHECKS_WAIT`,
/// else the global `default-wait` property, else 10.
pub fn default_wait(paths: &Paths) -> u64 {
    if let Some(v) = std::env::var("DOKKU_DEFAULT_CHECKS_WAIT")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return v;
    }
    computed_number(paths, "", "default-wait").unwrap_or(DEFAULT_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    use dokku_core::args::owned as v;

    #[test]
    fn lists() {
        assert_eq!(ProcList::parse(""), ProcList::None);
        assert_eq!(
            ProcList::parse("web,worker,web"),
            ProcList::Some(v(&["web", "worker"]))
        );
        assert_eq!(ProcList::parse("web,_all_"), ProcList::All);
        assert_eq!(ProcList::None.with(Some(&v(&["web"]))).to_value(), "web");
        assert_eq!(
            ProcList::parse("web")
                .with(Some(&v(&["worker"])))
                .to_value(),
            "web,worker"
        );
        assert_eq!(ProcList::parse("web").with(None), ProcList::All);
        assert_eq!(
            ProcList::All
                .without(Some(&v(&["web"])), &v(&["web", "worker"]))
                .to_value(),
            "worker"
        );
        assert_eq!(
            ProcList::parse("web").without(Some(&v(&["web"])), &[]),
            ProcList::None
        );
        assert_eq!(ProcList::parse("web").without(None, &[]).display(), "none");
        assert!(ProcList::All.contains("x"));
    }
}
