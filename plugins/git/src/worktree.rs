//! Checking a pushed revision out into a temporary work directory.
//!
//! Inside the pre-receive hook the pushed objects are still in git's
//! quarantine directory (named by the hook's environment) and the ref is
//! not updated yet. The work repository therefore borrows objects from the
//! app repository and the quarantine through `alternates`, checks the
//! revision out, and then either drops `.git` or (with `keep-git-dir`)
//! repacks every object locally so it stands alone.

use std::fs;
use std::path::Path;

use dokku_core::{Error, Paths, Result};

use crate::{git, props, repo};

/// Object directories of the running push, if any (quarantine first).
fn quarantine_object_dirs() -> Vec<String> {
    let mut dirs = Vec::new();
    if let Ok(d) = std::env::var("GIT_OBJECT_DIRECTORY") {
        if !d.is_empty() {
            dirs.push(d);
        }
    }
    if let Ok(list) = std::env::var("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        dirs.extend(
            list.split(':')
                .filter(|d| !d.is_empty())
                .map(str::to_string),
        );
    }
    dirs
}

/// Fill `dir` with the tree of `rev` from the app's repository.
pub fn setup(paths: &Paths, app: &str, rev: &str, dir: &Path) -> Result<()> {
    let repo_path = repo::path(paths, app);
    git::output(git::in_dir(dir), ["init", "--quiet"])?;
    let mut alternates = vec![repo_path.join("objects").display().to_string()];
    alternates.extend(quarantine_object_dirs());
    let alt_file = dir.join(".git/objects/info/alternates");
    fs::write(&alt_file, alternates.join("\n") + "\n")
        .map_err(|e| Error::io("write", &alt_file, e))?;

    let branch = props::deploy_branch(paths, app);
    let branch = if crate::names::is_valid_branch(&branch) {
        branch
    } else {
        props::DEFAULT_BRANCH.to_string()
    };
    git::output(
        git::in_dir(dir),
        [
            "-c",
            "advice.detachedHead=false",
            "checkout",
            "--quiet",
            "--force",
            "-B",
            branch.as_str(),
            rev,
        ],
    )
    .map_err(|e| Error::fail(format!("Unable to check out {rev}: {e}")))?;
    if dir.join(".gitmodules").is_file() {
        git::output(
            git::in_dir(dir),
            ["submodule", "update", "--quiet", "--init", "--recursive"],
        )?;
    }
    if props::keep_git_dir(paths, app) {
        git::output(git::in_dir(dir), ["repack", "-a", "-d", "-q"])?;
        fs::remove_file(&alt_file).map_err(|e| Error::io("remove", &alt_file, e))?;
    } else {
        dokku_core::fsutil::remove_dir_all(&dir.join(".git"))?;
    }
    Ok(())
}
