//! External plugins on disk: which are enabled, which is core, and running
//! their executables the way plugn does.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_core::{Error, Paths, Result};

/// One enabled plugin directory.
#[derive(Debug, Clone)]
pub struct PluginDir {
    /// Directory name (the plugin name).
    pub name: String,
    /// `$PLUGIN_ENABLED_PATH/<name>`.
    pub path: PathBuf,
    /// Whether it resolves into the core plugins tree.
    pub core: bool,
}

/// Whether `path` is an executable regular file.
pub fn is_executable(path: &Path) -> bool {
    fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Whether `dir` (an enabled or available plugin path) belongs to core.
pub fn is_core_dir(paths: &Paths, dir: &Path) -> bool {
    let core = fs::canonicalize(&paths.plugin_core_path)
        .unwrap_or_else(|_| paths.plugin_core_path.clone());
    fs::canonicalize(dir)
        .map(|r| r.starts_with(&core))
        .unwrap_or(false)
}

/// Enabled plugins, sorted by name (plugn's order).
pub fn enabled(paths: &Paths) -> Vec<PluginDir> {
    let mut out: Vec<PluginDir> = match fs::read_dir(&paths.plugin_enabled) {
        Ok(rd) => rd
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| {
                let path = e.path();
                PluginDir {
                    name: e.file_name().to_string_lossy().into_owned(),
                    core: is_core_dir(paths, &path),
                    path,
                }
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Enabled plugins that are not core.
pub fn enabled_community(paths: &Paths) -> Vec<PluginDir> {
    enabled(paths).into_iter().filter(|p| !p.core).collect()
}

/// How a child's stdout is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stdout {
    /// Passed through to ours.
    Inherit,
    /// Captured and returned.
    Capture,
}

/// What a child reads on stdin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stdin<'a> {
    /// Ours, shared (plugn's hooks share its stdin).
    Inherit,
    /// Nothing: reading gets end of file at once.
    Null,
    /// These bytes, then end of file (a trigger's declared payload).
    Bytes(&'a [u8]),
}

/// Run an external executable with arguments (never through a shell).
/// Returns its exit code and, when captured, its stdout.
pub fn run(
    exe: &Path,
    args: &[String],
    env: &[(String, String)],
    stdout: Stdout,
    stdin: Stdin<'_>,
) -> Result<(i32, String)> {
    tracing::debug!("+ {} {}", exe.display(), args.join(" "));
    let mut cmd = Command::new(exe);
    cmd.args(args);
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    cmd.stdin(match stdin {
        Stdin::Inherit => Stdio::inherit(),
        Stdin::Null => Stdio::null(),
        Stdin::Bytes(_) => Stdio::piped(),
    });
    if stdout == Stdout::Capture {
        // A captured answer comes without the child's stderr, as plugn's
        // Go callers take it.
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().map_err(|e| Error::io("run", exe, e))?;
    let feed = match (stdin, child.stdin.take()) {
        (Stdin::Bytes(data), Some(mut pipe)) => {
            let data = data.to_vec();
            // Written from a thread so a child answering on stdout before
            // it read everything cannot block us both; a child that exits
            // without reading is no error (a broken pipe).
            Some(std::thread::spawn(move || {
                use std::io::Write;
                let _ = pipe.write_all(&data);
            }))
        }
        _ => None,
    };
    let out = child
        .wait_with_output()
        .map_err(|e| Error::io("run", exe, e))?;
    if let Some(feed) = feed {
        let _ = feed.join();
    }
    Ok((
        exit_code(out.status),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

fn exit_code(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

/// `description` and `version` of a `plugin.toml`.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `[plugin] description`.
    pub description: String,
    /// `[plugin] version`.
    pub version: String,
}

/// Read a plugin's `plugin.toml`; missing fields are empty.
pub fn read_meta(dir: &Path) -> Meta {
    let text = fs::read_to_string(dir.join("plugin.toml")).unwrap_or_default();
    let value: toml::Value = match text.parse() {
        Ok(v) => v,
        Err(_) => return Meta::default(),
    };
    let plugin = value.get("plugin");
    let field = |k: &str| {
        plugin
            .and_then(|p| p.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    Meta {
        description: field("description"),
        version: field("version"),
    }
}
