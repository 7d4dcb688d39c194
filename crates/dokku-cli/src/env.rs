//! The environment a command runs in: Dokku's rc files, and the variables
//! exported to external plugins.

use std::collections::HashMap;
use std::path::Path;

use dokku_core::Paths;
use dokku_trigger::Flags;

/// Read `KEY=value` / `export KEY=value` lines of a shell rc file. Only
/// plain assignments are understood; anything else is skipped.
pub fn parse_rc(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim();
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let v = v.trim();
        let v = if v.len() >= 2
            && ((v.starts_with('"') && v.ends_with('"'))
                || (v.starts_with('\'') && v.ends_with('\'')))
        {
            &v[1..v.len() - 1]
        } else {
            v
        };
        out.push((k.to_string(), v.to_string()));
    }
    out
}

fn load_file(path: &Path, vars: &mut HashMap<String, String>, explicit: &HashMap<String, String>) {
    if let Ok(text) = std::fs::read_to_string(path) {
        for (k, v) in parse_rc(&text) {
            if !explicit.contains_key(&k) {
                vars.insert(k, v);
            }
        }
    }
}

/// Build the variable map: the process environment, then values from
/// `/etc/default/dokku`, `$DOKKU_ROOT/dokkurc` and `$DOKKU_ROOT/.dokkurc/*`
/// for variables the environment does not already set.
pub fn load() -> HashMap<String, String> {
    let explicit: HashMap<String, String> = std::env::vars().collect();
    let mut vars = explicit.clone();
    let rc_default = explicit
        .get("DOKKU_DEFAULT_FILE")
        .cloned()
        .unwrap_or_else(|| "/etc/default/dokku".into());
    load_file(Path::new(&rc_default), &mut vars, &explicit);
    let root = Paths::from_map(&vars).dokku_root;
    load_file(&root.join("dokkurc"), &mut vars, &explicit);
    if let Ok(rd) = std::fs::read_dir(root.join(".dokkurc")) {
        let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            load_file(&f, &mut vars, &explicit);
        }
    }
    vars
}

/// Labels Dokku puts on every container and image it builds or runs.
const GLOBAL_ARGS: &str =
    "--label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=dokku";

/// Variables Dokku's entry script always sets, whatever the environment
/// or rc files say.
const ALWAYS: &[(&str, &str)] = &[
    ("DOKKU_API_VERSION", "1"),
    ("DOKKU_CONTAINER_LABEL", "dokku"),
    ("DOKKU_GLOBAL_BUILD_ARGS", GLOBAL_ARGS),
    ("DOKKU_GLOBAL_RUN_ARGS", GLOBAL_ARGS),
];

/// `DOKKU_GLOBAL_FLAGS`: every `--flag` of the command line, wherever it
/// stands, space-joined (`--app` without its value), unless the
/// environment already has it.
pub fn export_global_flags(args: &[String]) {
    if std::env::var_os("DOKKU_GLOBAL_FLAGS").is_some() {
        return;
    }
    let flags: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| a.starts_with("--"))
        .collect();
    std::env::set_var("DOKKU_GLOBAL_FLAGS", flags.join(" "));
}

/// Export what external plugins expect to find in their environment.
pub fn export(paths: &Paths, vars: &HashMap<String, String>, flags: &Flags) {
    for (k, v) in vars {
        if std::env::var_os(k).is_none() {
            std::env::set_var(k, v);
        }
    }
    for (k, v) in paths.env_vars() {
        std::env::set_var(k, v);
    }
    // `${VAR:=default}` in Dokku's entry script: a value from the
    // environment or an rc file wins, an empty one counts as unset.
    let set_default = |k: &str, default: String| {
        let v = std::env::var(k)
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| vars.get(k).filter(|v| !v.is_empty()).cloned())
            .unwrap_or(default);
        std::env::set_var(k, v);
    };
    let root = paths.dokku_root.display().to_string();
    let logs = paths.logs_dir.display().to_string();
    set_default("DOKKU_HOST_ROOT", root);
    set_default("DOKKU_IMAGE", "gliderlabs/herokuish:latest-24".into());
    set_default("DOKKU_CNB_BUILDER", "heroku/builder:24".into());
    set_default("DOKKU_LOGS_HOST_DIR", logs.clone());
    set_default("DOKKU_EVENTS_LOGFILE", format!("{logs}/events.log"));
    for (k, v) in ALWAYS {
        std::env::set_var(k, v);
    }
    std::env::set_var("DOKKU_NOT_IMPLEMENTED_EXIT", "10");
    std::env::set_var("DOKKU_VALID_EXIT", "0");
    std::env::set_var("DOKKU_PID", std::process::id().to_string());
    if std::env::var_os("DOCKER_BIN").is_none() {
        std::env::set_var("DOCKER_BIN", "docker");
    }
    {
        let distro = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|t| {
                parse_rc(&t)
                    .into_iter()
                    .find(|(k, _)| k == "ID")
                    .map(|(_, v)| v)
            })
            .unwrap_or_else(|| "debian".into());
        std::env::set_var("DOKKU_DISTRO", distro);
    }
    if flags.quiet {
        std::env::set_var("DOKKU_QUIET_OUTPUT", "1");
    }
    if flags.trace {
        std::env::set_var("DOKKU_TRACE", "1");
    }
    if flags.force {
        std::env::set_var("DOKKU_APPS_FORCE_DELETE", "1");
    }
    if let Some(app) = &flags.app {
        std::env::set_var("DOKKU_APP_NAME", app);
    }
    // External plugins call `plugn trigger ...`: make sure our `plugn` (a
    // link to this binary) is found first.
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            let path = std::env::var("PATH").unwrap_or_default();
            let dir = dir.display().to_string();
            if !path.split(':').any(|p| p == dir) {
                std::env::set_var("PATH", format!("{dir}:{path}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc_assignments() {
        let got = parse_rc(
            "# c\nexport DOKKU_ROOT=\"/srv/dokku\"\nFOO='bar baz'\nnot a line\nexport BAD-KEY=1\n",
        );
        assert_eq!(
            got,
            vec![
                ("DOKKU_ROOT".into(), "/srv/dokku".into()),
                ("FOO".into(), "bar baz".into())
            ]
        );
    }
}
