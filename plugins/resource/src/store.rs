//! Where resource limits and reservations live and how they are read.
//!
//! Each value is one property of the resource namespace named
//! `<proc>.<limit|reserve>.<resource>`, under the app or `--global`;
//! `<proc>` is `_default_` for what applies to every process type. The
//! report lists whatever is stored, so the schema declares no property.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::report::Rows;
use dokku_core::schema::Schema;
use dokku_core::{Error, Paths, Result};
use dokku_trigger::{Ctx, ReportDef};

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "resource";

/// The process type standing for every process type.
pub const DEFAULT_PROC: &str = "_default_";

/// The process type scoping limits to the build container.
pub const BUILD_PROC: &str = "build";

/// Every resource, in the order Dokku lists them.
pub const RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "memory-swap",
    "network",
    "network-ingress",
    "network-egress",
    "nvidia-gpu",
];

/// Limits or reservations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `resource:limit`: a ceiling.
    Limit,
    /// `resource:reserve`: a floor.
    Reserve,
}

impl Kind {
    /// The word in property names (`limit`, `reserve`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Limit => "limit",
            Kind::Reserve => "reserve",
        }
    }

    /// The noun in messages (`limits`, `reservation`).
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Limit => "limits",
            Kind::Reserve => "reservation",
        }
    }

    /// From the word in property names and trigger arguments.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "limit" => Some(Kind::Limit),
            "reserve" => Some(Kind::Reserve),
            _ => None,
        }
    }
}

/// The property name of one value.
pub fn property(proc_type: &str, kind: Kind, resource: &str) -> String {
    format!("{proc_type}.{}.{resource}", kind.key())
}

/// A process type given with `--process-type`: what Procfiles allow, so
/// that it can be part of a property file name. Empty means the default.
pub fn check_process_type(proc_type: &str) -> Result<String> {
    if proc_type.is_empty() {
        return Ok(DEFAULT_PROC.to_string());
    }
    let ok = proc_type
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok && !proc_type.starts_with('-') {
        Ok(proc_type.to_string())
    } else {
        Err(Error::fail(format!(
            "Invalid process type specified: {proc_type}"
        )))
    }
}

fn is_number(s: &str) -> bool {
    let mut parts = s.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match frac {
        None => digits(int),
        Some(f) => (int.is_empty() || digits(int)) && digits(f),
    }
}

fn is_size(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let num = lower
        .strip_suffix("kb")
        .or_else(|| lower.strip_suffix("mb"))
        .or_else(|| lower.strip_suffix("gb"))
        .or_else(|| lower.strip_suffix(['b', 'k', 'm', 'g']))
        .unwrap_or(&lower);
    is_number(num)
}

/// Check a value before it is stored: what the docker-local scheduler
/// would refuse at deploy time is refused now. `clear` removes a value.
pub fn check_value(resource: &str, value: &str) -> Result<()> {
    if value == "clear" {
        return Ok(());
    }
    let ok = match resource {
        "cpu" => is_number(value),
        "memory" => is_size(value),
        // Docker reads -1 as unlimited swap.
        "memory-swap" => value == "-1" || is_size(value),
        "nvidia-gpu" => value == "all" || value.bytes().all(|b| b.is_ascii_digit()),
        _ => {
            !value.starts_with('-') && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        }
    };
    if ok {
        return Ok(());
    }
    let what = match resource {
        "cpu" => "must be a non-negative number of CPUs",
        "memory" | "memory-swap" => {
            "must be a non-negative number optionally followed by a unit of measure [b, k, m, g]"
        }
        "nvidia-gpu" => "must be a non-negative number of GPUs or all",
        _ => "must be a non-negative number optionally followed by a unit",
    };
    Err(Error::fail(format!(
        "Invalid value for {resource}, {what}: {value}"
    )))
}

/// The values of one kind stored for a process type of an app (or of
/// `--global`), by resource; unset resources are left out.
pub fn stored(paths: &Paths, app: &str, proc_type: &str, kind: Kind) -> Vec<(String, String)> {
    let p = Properties::new(paths, PLUGIN);
    RESOURCES
        .iter()
        .filter_map(|r| {
            let v = p.get_str(app, &property(proc_type, kind, r));
            let v = v.trim();
            (!v.is_empty()).then(|| (r.to_string(), v.to_string()))
        })
        .collect()
}

/// The value that applies to a process type: the app's for that type,
/// else the app's default, else the same two host-wide. The `build`
/// process type has no fallback to the defaults (a build often needs more
/// than what the app runs with).
pub fn effective(paths: &Paths, app: &str, proc_type: &str, kind: Kind, resource: &str) -> String {
    let p = Properties::new(paths, PLUGIN);
    let proc_type = if proc_type.is_empty() {
        DEFAULT_PROC
    } else {
        proc_type
    };
    let mut scopes: Vec<(&str, &str)> = vec![(app, proc_type)];
    if proc_type != BUILD_PROC && proc_type != DEFAULT_PROC {
        scopes.push((app, DEFAULT_PROC));
    }
    if app != GLOBAL {
        scopes.push((GLOBAL, proc_type));
        if proc_type != BUILD_PROC && proc_type != DEFAULT_PROC {
            scopes.push((GLOBAL, DEFAULT_PROC));
        }
    }
    for (owner, proc_type) in scopes {
        if dokku_core::fsutil::is_single_segment(proc_type) {
            let v = p.get_str(owner, &property(proc_type, kind, resource));
            if !v.trim().is_empty() {
                return v.trim().to_string();
            }
        }
    }
    String::new()
}

/// Docker's size notation for a memory value: a bare number is megabytes.
fn memory_arg(value: &str) -> String {
    if is_number(value) {
        format!("{value}m")
    } else {
        value.to_string()
    }
}

/// The docker options the docker-local scheduler gets for a process type:
/// `--cpus`, `--memory`, `--memory-swap` and `--gpus` from the limits,
/// `--memory-reservation` from the reservations. With `build`, only the
/// limits the builder supports.
pub fn docker_options(paths: &Paths, app: &str, proc_type: &str, build: bool) -> Vec<String> {
    let mut out = Vec::new();
    let limit = |r: &str| effective(paths, app, proc_type, Kind::Limit, r);
    let cpu = limit("cpu");
    if !cpu.is_empty() {
        out.push(format!("--cpus={cpu}"));
    }
    let memory = limit("memory");
    if !memory.is_empty() {
        out.push(format!("--memory={}", memory_arg(&memory)));
    }
    let swap = limit("memory-swap");
    if !swap.is_empty() {
        let swap = if swap == "-1" {
            swap
        } else {
            memory_arg(&swap)
        };
        out.push(format!("--memory-swap={swap}"));
    }
    let gpus = limit("nvidia-gpu");
    if !gpus.is_empty() {
        out.push(format!("--gpus={gpus}"));
    }
    if !build {
        let reserved = effective(paths, app, proc_type, Kind::Reserve, "memory");
        if !reserved.is_empty() {
            out.push(format!("--memory-reservation={}", memory_arg(&reserved)));
        }
    }
    out
}

/// Every stored value of an app (or `--global`) as report rows.
fn rows_of(paths: &Paths, owner: &str) -> Result<Rows> {
    Ok(Properties::new(paths, PLUGIN)
        .all(owner)?
        .into_iter()
        .map(|(k, v)| (format!("--{PLUGIN}-{k}"), v))
        .collect())
}

fn app_rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    rows_of(&ctx.paths, app)
}

fn global_rows(ctx: &Ctx) -> Result<Rows> {
    rows_of(&ctx.paths, GLOBAL)
}

/// No declared property: the rows are whatever is stored.
pub static SCHEMA: Schema = Schema::named(PLUGIN, &[]).legacy_json();

/// The report: lowercase labels without the `resource` head.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA)
    .extra(app_rows)
    .global_extra(global_rows)
    .lowercase_labels();

#[cfg(test)]
mod tests {
    use super::*;

    fn check(resource: &str, value: &str) -> bool {
        check_value(resource, value).is_ok()
    }

    #[test]
    fn values_in_dockers_units() {
        for ok in ["1", "0.5", "100", ".5"] {
            assert!(check("cpu", ok), "cpu {ok}");
        }
        for bad in ["-1", "1x", "", "1.", "one"] {
            assert!(!check("cpu", bad), "cpu {bad}");
        }
        for ok in ["100", "512m", "1g", "1G", "2048k", "1024b", "1.5g", "100mb"] {
            assert!(check("memory", ok), "memory {ok}");
        }
        for bad in ["-100", "100x", "m", "1t", "1 g", "100m;"] {
            assert!(!check("memory", bad), "memory {bad}");
        }
        assert!(check("memory-swap", "-1"));
        assert!(!check("memory-swap", "-2"));
        assert!(check("nvidia-gpu", "all"));
        assert!(check("nvidia-gpu", "2"));
        assert!(!check("nvidia-gpu", "-1"));
        assert!(check("network", "100"));
        assert!(!check("network-ingress", "-5"));
        assert!(!check("network-egress", "1 0"));
        assert!(check("memory", "clear"));
        assert_eq!(
            check_value("memory", "100x").map_err(|e| e.to_string()),
            Err("Invalid value for memory, must be a non-negative number optionally followed by a unit of measure [b, k, m, g]: 100x".to_string())
        );
    }

    #[test]
    fn process_types_and_fallbacks() {
        assert_eq!(check_process_type("").expect("default"), "_default_");
        assert_eq!(check_process_type("web").expect("web"), "web");
        assert!(check_process_type("../x").is_err());
        assert!(check_process_type("a.b").is_err());

        let (_d, paths) = dokku_core::Paths::temp();
        let p = Properties::new(&paths, PLUGIN);
        let w = |owner: &str, key: &str, v: &str| p.write(owner, key, v).expect("write");
        w(GLOBAL, "_default_.limit.cpu", "0.5");
        w("app", "_default_.limit.memory", "100");
        w("app", "web.limit.memory", "200m");
        w("app", "_default_.reserve.memory", "50");
        w("app", "build.limit.memory", "1g");
        assert_eq!(
            docker_options(&paths, "app", "web", false),
            ["--cpus=0.5", "--memory=200m", "--memory-reservation=50m"]
        );
        assert_eq!(
            docker_options(&paths, "app", "worker", false),
            ["--cpus=0.5", "--memory=100m", "--memory-reservation=50m"]
        );
        // Builds only see what is set for `build`.
        assert_eq!(
            docker_options(&paths, "app", "build", true),
            ["--memory=1g"]
        );
        assert_eq!(
            docker_options(&paths, "other", "build", true),
            Vec::<String>::new()
        );
    }
}
