//! Where docker options live: list properties of the `docker-options`
//! plugin, one per phase and scope, named `<scope>.<phase>`
//! (`_default_.deploy`, `web.deploy`), one option per line, as Dokku 0.38
//! keeps them.

use dokku_core::property::Properties;
use dokku_core::{Error, Paths, Result};
use dokku_trigger::triggers::DEFAULT_PROCESS_TYPE;

/// The plugin's property namespace.
pub const PLUGIN: &str = "docker-options";

/// The phases, in Dokku's order.
pub const PHASES: [&str; 3] = ["build", "deploy", "run"];

/// Parse a comma-separated phase list (`deploy,run`).
pub fn parse_phases(text: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for p in text.split(',') {
        if !PHASES.contains(&p) {
            return Err(Error::fail(format!(
                "Phase(s) must be one of [{}]",
                PHASES.join(" ")
            )));
        }
        if !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    Ok(out)
}

/// Check a single phase (`docker-options:list --phase`).
pub fn check_phase(p: &str) -> Result<()> {
    if PHASES.contains(&p) {
        Ok(())
    } else {
        Err(Error::fail(format!(
            "Phase must be one of [{}]",
            PHASES.join(" ")
        )))
    }
}

/// Whether `p` can name a process scope: a Procfile process type.
pub fn valid_process(p: &str) -> bool {
    let mut c = p.chars();
    c.next().map(|f| f.is_ascii_alphanumeric()).unwrap_or(false)
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        && p.len() <= 63
}

/// The property holding one scope's options of a phase.
pub fn key(process: Option<&str>, phase: &str) -> String {
    format!("{}.{phase}", process.unwrap_or(DEFAULT_PROCESS_TYPE))
}

/// The options of one scope.
pub fn get(paths: &Paths, app: &str, process: Option<&str>, phase: &str) -> Result<Vec<String>> {
    Properties::new(paths, PLUGIN).list_get(app, &key(process, phase))
}

/// Replace the options of one scope; an empty list removes the property.
pub fn put(
    paths: &Paths,
    app: &str,
    process: Option<&str>,
    phase: &str,
    items: &[String],
) -> Result<()> {
    let props = Properties::new(paths, PLUGIN);
    if items.is_empty() {
        props.delete(app, &key(process, phase))
    } else {
        dokku_core::fsutil::ensure_dir(&props.app_dir(app))?;
        props.list_write(app, &key(process, phase), items)
    }
}

/// Process types with deploy options of their own, sorted.
pub fn process_scopes(paths: &Paths, app: &str) -> Result<Vec<String>> {
    let mut v: Vec<String> = Properties::new(paths, PLUGIN)
        .all(app)?
        .into_iter()
        .filter_map(|(k, _)| k.strip_suffix(".deploy").map(str::to_string))
        .filter(|p| p != DEFAULT_PROCESS_TYPE && valid_process(p))
        .collect();
    v.sort();
    Ok(v)
}
