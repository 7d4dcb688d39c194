//! Running the real `git` binary with argument vectors and a clean
//! environment: a hook inherits `GIT_DIR` and the quarantine variables of
//! the push, which must not leak into the repositories we work on.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

use dokku_core::{Error, Result};

/// Variables that point git at a repository or object store; removed from
/// every git command we run.
const REPO_VARS: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_QUARANTINE_PATH",
    "GIT_PREFIX",
    "GIT_NAMESPACE",
    "GIT_COMMON_DIR",
    "GIT_PUSH_OPTION_COUNT",
];

/// A git command with a clean environment and no terminal prompts.
pub fn command() -> Command {
    let mut c = Command::new("git");
    for v in REPO_VARS {
        c.env_remove(v);
    }
    c.env("GIT_TERMINAL_PROMPT", "0");
    credentials(&mut c);
    c.arg("-c").arg("protocol.ext.allow=never");
    c
}

/// Remote credentials live in the dokku user's home, `DOKKU_ROOT`: its
/// `.netrc` for https (git reads `$HOME/.netrc`), its deploy key and
/// `known_hosts` for ssh (named explicitly: ssh looks in the passwd home).
fn credentials(c: &mut Command) {
    let Some(root) = std::env::var_os("DOKKU_ROOT").map(std::path::PathBuf::from) else {
        return;
    };
    c.env("HOME", &root);
    if std::env::var_os("GIT_SSH_COMMAND").is_some() {
        return;
    }
    let ssh = root.join(".ssh");
    let mut cmd = String::from("ssh -o BatchMode=yes");
    let known = ssh.join("known_hosts");
    if known.is_file() {
        cmd.push_str(&format!(" -o UserKnownHostsFile={}", quote(&known)));
    }
    for key in ["id_ed25519", "id_rsa"] {
        let k = ssh.join(key);
        if k.is_file() {
            cmd.push_str(&format!(" -i {}", quote(&k)));
        }
    }
    c.env("GIT_SSH_COMMAND", cmd);
}

/// A path in single quotes for the shell git runs `GIT_SSH_COMMAND` with.
fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

/// `git -C <dir> <args>`.
pub fn in_dir(dir: &Path) -> Command {
    let mut c = command();
    c.arg("-C").arg(dir);
    c
}

/// `git --git-dir=<repo> <args>` for a bare repository.
pub fn bare(repo: &Path) -> Command {
    let mut c = command();
    c.arg("--git-dir").arg(repo);
    c
}

/// Run and capture stdout; a failure carries git's stderr.
pub fn output<I, S>(mut cmd: Command, args: I) -> Result<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    cmd.args(args).stdin(Stdio::null());
    let o = cmd.output().map_err(|e| Error::other("run git", e))?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        return Err(Error::fail(err.trim_end().to_string()));
    }
    Ok(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// Run, discarding output; true when git exited 0.
pub fn succeeds<I, S>(mut cmd: Command, args: I) -> bool
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.status().map(|s| s.success()).unwrap_or(false)
}
