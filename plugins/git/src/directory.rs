//! Turning a directory into the app's next commit and deploying it: what
//! `git:from-archive`, `git:from-image` and `git:load-image` share (Dokku's
//! `git-from-directory`). Like a push, the deploy branch moves only when
//! the build and deploy succeed.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use dokku_core::{Error, Result};
use dokku_trigger::helpers::GitFromDirectory;
use dokku_trigger::Ctx;

use crate::receive::{self, Source};
use crate::{git, props, repo};

/// Who commits when no user name and email are given.
pub const DEFAULT_USER_NAME: &str = "Dokku";
/// The default committer email.
pub const DEFAULT_USER_EMAIL: &str = "automated@dokku.sh";

/// Copy everything of `src` but a top-level `.git` into `dst`.
fn copy_contents(src: &Path, dst: &Path) -> Result<()> {
    let rd = std::fs::read_dir(src).map_err(|e| Error::io("read directory", src, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::io("read directory", src, e))?;
        if entry.file_name() == ".git" {
            continue;
        }
        let from = entry.path();
        let to = dst.join(entry.file_name());
        let ft = entry.file_type().map_err(|e| Error::io("stat", &from, e))?;
        if ft.is_symlink() {
            let target = std::fs::read_link(&from).map_err(|e| Error::io("readlink", &from, e))?;
            std::os::unix::fs::symlink(target, &to).map_err(|e| Error::io("symlink", &to, e))?;
        } else if ft.is_dir() {
            dokku_core::fsutil::copy_dir_all(&from, &to)?;
        } else {
            std::fs::copy(&from, &to).map_err(|e| Error::io("copy", &from, e))?;
        }
    }
    Ok(())
}

/// Commit the contents of `src` on top of the deploy branch and deploy the
/// commit. Nothing changes (and nothing is deployed) when the tree is the
/// same as the branch's. This is the git plugin's part of Dokku's
/// `git-from-directory`; the other plugins hear of it once it is done.
pub fn deploy_directory(
    ctx: &Ctx,
    app: &str,
    src: &Path,
    user: &str,
    email: &str,
    source: Source,
) -> Result<()> {
    commit_and_deploy(ctx, app, src, user, email, source)?;
    ctx.bus.notify(
        ctx,
        &GitFromDirectory {
            app: app.to_string(),
            source_work_dir: src.display().to_string(),
            user_name: user.to_string(),
            user_email: email.to_string(),
        },
    )
}

fn commit_and_deploy(
    ctx: &Ctx,
    app: &str,
    src: &Path,
    user: &str,
    email: &str,
    source: Source,
) -> Result<()> {
    repo::initialize(&ctx.paths, app)?;
    let repo_path = repo::path(&ctx.paths, app);
    let branch = props::deploy_branch(&ctx.paths, app);
    let previous = repo::branch_sha(&ctx.paths, app, &branch);

    let work = receive::temp_dir("git_from_directory")?;
    let dir = work.path();
    git::output(
        git::in_dir(dir),
        ["-c", "init.defaultBranch=master", "init", "--quiet"],
    )?;
    if let Some(prev) = &previous {
        let mut fetch = git::in_dir(dir);
        fetch
            .args(["fetch", "--quiet", "--no-tags", "--"])
            .arg(&repo_path)
            .arg(prev.as_str());
        git::output(fetch, std::iter::empty::<&str>())?;
        git::output(git::in_dir(dir), ["update-ref", "HEAD", prev.as_str()])?;
    }
    copy_contents(src, dir)?;
    git::output(git::in_dir(dir), ["add", "--all", "--force", "."])?;
    let tree = git::output(git::in_dir(dir), ["write-tree"])?
        .trim()
        .to_string();
    if let Some(prev) = &previous {
        let prev_tree = git::output(git::in_dir(dir), ["rev-parse", &format!("{prev}^{{tree}}")])?
            .trim()
            .to_string();
        if prev_tree == tree {
            ctx.out.warn("No changes detected, skipping git commit");
            ctx.out
                .warn("Call 'ps:rebuild' on app to rebuild the app from existing source");
            return Ok(());
        }
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut commit = git::in_dir(dir);
    commit
        .arg("-c")
        .arg(format!("user.name={user}"))
        .arg("-c")
        .arg(format!("user.email={email}"))
        .args([
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
        ])
        .arg(format!("Automated commit @ {now}"));
    git::output(commit, std::iter::empty::<&str>())?;
    let rev = git::output(git::in_dir(dir), ["rev-parse", "HEAD"])?
        .trim()
        .to_string();

    // Bring the objects over under a temporary ref (fetching runs no hooks).
    let pending = format!("refs/dokku/pending/{rev}");
    let mut fetch = git::bare(&repo_path);
    fetch
        .args(["fetch", "--quiet", "--no-tags", "--"])
        .arg(dir)
        .arg(format!("+HEAD:{pending}"));
    git::output(fetch, std::iter::empty::<&str>())?;
    drop(work);

    let result = receive::receive(ctx, app, Some(&rev), Some(source));
    if result.is_ok() {
        repo::update_ref(&ctx.paths, app, &format!("refs/heads/{branch}"), &rev)?;
    }
    repo::delete_ref(&ctx.paths, app, &pending);
    result
}
