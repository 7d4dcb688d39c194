//! The app's bare repository (the app directory itself, as with Dokku) and
//! its pre-receive hook.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use dokku_core::{fsutil, Error, Paths, Result};

use crate::git;

/// The bare repository of an app: `$DOKKU_ROOT/<app>`.
pub fn path(paths: &Paths, app: &str) -> PathBuf {
    paths.app_dir(app)
}

/// Whether the app directory holds a git repository.
pub fn exists(paths: &Paths, app: &str) -> bool {
    path(paths, app).join("refs").is_dir()
}

/// Quote a string for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The pre-receive hook: hands the pushed refs to `dokku git-hook <app>`.
pub fn hook_script(dokku_root: &Path, exe: &Path, app: &str) -> String {
    format!(
        "#!/usr/bin/env bash\nset -e\nset -o pipefail\n\ncat | DOKKU_ROOT={} {} git-hook {}\n",
        shell_quote(&dokku_root.display().to_string()),
        shell_quote(&exe.display().to_string()),
        app
    )
}

/// The binary the hook calls: this one.
fn current_exe() -> Result<PathBuf> {
    let exe = std::env::current_exe().map_err(|e| Error::other("locate the dokku binary", e))?;
    Ok(std::fs::canonicalize(&exe).unwrap_or(exe))
}

/// Write (or overwrite) the app's pre-receive hook.
pub fn write_hook(paths: &Paths, app: &str) -> Result<()> {
    let hook = path(paths, app).join("hooks").join("pre-receive");
    let script = hook_script(&paths.dokku_root, &current_exe()?, app);
    fsutil::write_atomic(&hook, script.as_bytes(), 0o755)?;
    let _ = std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755));
    Ok(())
}

/// Make the app directory a bare repository (if it is not one) and install
/// the hook.
pub fn initialize(paths: &Paths, app: &str) -> Result<()> {
    let dir = path(paths, app);
    if !exists(paths, app) {
        fsutil::ensure_dir(&dir)?;
        let mut c = git::command();
        c.args([
            "-c",
            "init.defaultBranch=master",
            "init",
            "--quiet",
            "--bare",
        ])
        .arg(&dir);
        git::output(c, std::iter::empty::<&str>())?;
        chown_tree(&dir);
    }
    write_hook(paths, app)
}

fn chown_tree(dir: &Path) {
    dokku_core::system::chown_to_system(dir);
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() && !p.is_symlink() {
                chown_tree(&p);
            } else {
                dokku_core::system::chown_to_system(&p);
            }
        }
    }
}

/// The sha a branch points to, if the branch exists.
pub fn branch_sha(paths: &Paths, app: &str, branch: &str) -> Option<String> {
    let refname = format!("refs/heads/{branch}");
    git::output(
        git::bare(&path(paths, app)),
        ["rev-parse", "--verify", "--quiet", refname.as_str()],
    )
    .ok()
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

/// Every branch of the repository.
pub fn branches(paths: &Paths, app: &str) -> Vec<String> {
    git::output(
        git::bare(&path(paths, app)),
        ["for-each-ref", "--format=%(refname:strip=2)", "refs/heads"],
    )
    .map(|s| {
        s.lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// Point a ref at a sha (no hooks run).
pub fn update_ref(paths: &Paths, app: &str, refname: &str, sha: &str) -> Result<()> {
    git::output(git::bare(&path(paths, app)), ["update-ref", refname, sha]).map(|_| ())
}

/// Remove a ref; a missing one is fine.
pub fn delete_ref(paths: &Paths, app: &str, refname: &str) {
    let _ = git::output(git::bare(&path(paths, app)), ["update-ref", "-d", refname]);
}

/// Point `HEAD` at a branch.
pub fn set_head(paths: &Paths, app: &str, branch: &str) -> Result<()> {
    let refname = format!("refs/heads/{branch}");
    git::output(
        git::bare(&path(paths, app)),
        ["symbolic-ref", "HEAD", refname.as_str()],
    )
    .map(|_| ())
}

/// UNIX time of the last write of a branch ref, when it is a loose ref.
pub fn branch_updated_at(paths: &Paths, app: &str, branch: &str) -> String {
    let p = path(paths, app).join("refs").join("heads").join(branch);
    std::fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_calls_this_binary_with_quoted_paths() {
        let s = hook_script(
            Path::new("/home/dokku"),
            Path::new("/usr/bin/dokku"),
            "node-js-app",
        );
        insta::assert_snapshot!(s, @r"
        #!/usr/bin/env bash
        set -e
        set -o pipefail

        cat | DOKKU_ROOT='/home/dokku' '/usr/bin/dokku' git-hook node-js-app
        ");
        assert!(hook_script(Path::new("/it's"), Path::new("/x"), "a")
            .contains("DOKKU_ROOT='/it'\\''s'"));
    }
}
