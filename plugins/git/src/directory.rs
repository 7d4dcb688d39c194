//! Turning a directory into the app's next commit and deploying it: what
//! `git:from-archive`, `git:from-image` and `git:load-image` share (Dokku's
//! `git-from-directory`). Like a push, the deploy branch moves only when
//! the build and deploy succeed.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use dokku_core::Result;
use dokku_trigger::helpers::GitFromDirectory;
use dokku_trigger::Ctx;

use crate::receive::{self, Source};
use crate::{git, props, repo};

/// Who commits when no user name and email are given.
pub const DEFAULT_USER_NAME: &str = "Dokku";
/// The default committer email.
pub const DEFAULT_USER_EMAIL: &str = "automated@dokku.sh";

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
    let done = GitFromDirectory {
        app: app.to_string(),
        source_work_dir: src.display().to_string(),
        user_name: user.to_string(),
        user_email: email.to_string(),
    };
    commit_and_deploy(ctx, &done, src, source)?;
    ctx.bus.notify(ctx, &done)
}

/// The commit `t` describes (app, author), of the tree of `src`, then its
/// deploy.
fn commit_and_deploy(ctx: &Ctx, t: &GitFromDirectory, src: &Path, source: Source) -> Result<()> {
    let (app, user, email) = (t.app.as_str(), t.user_name.as_str(), t.user_email.as_str());
    repo::initialize(&ctx.paths, app)?;
    let repo_path = repo::path(&ctx.paths, app);
    let branch = props::deploy_branch(&ctx.paths, app);
    let previous = repo::branch_sha(&ctx.paths, app, &branch);

    // The tree of `src` is staged straight into the app's repository with
    // an index of our own (git never stages a `.git` entry), and committed
    // with plumbing: no clone, no fetch, no hooks, no auto maintenance.
    let work = receive::temp_dir("git_from_directory")?;
    let index = work.path().join("index");
    let staged = || {
        let mut c = git::command();
        c.env("GIT_INDEX_FILE", &index)
            .arg("-C")
            .arg(src)
            .arg("--git-dir")
            .arg(&repo_path)
            .arg("--work-tree")
            .arg(src);
        c
    };
    git::output(staged(), ["add", "--all", "--force", "."])?;
    let tree = git::output(staged(), ["write-tree"])?.trim().to_string();
    if let Some(prev) = &previous {
        let prev_tree = git::output(
            git::bare(&repo_path),
            ["rev-parse", &format!("{prev}^{{tree}}")],
        )?
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
    let mut commit = git::bare(&repo_path);
    commit
        .arg("-c")
        .arg(format!("user.name={user}"))
        .arg("-c")
        .arg(format!("user.email={email}"))
        .args(["-c", "commit.gpgsign=false", "commit-tree", &tree]);
    if let Some(prev) = &previous {
        commit.args(["-p", prev.as_str()]);
    }
    commit.arg("-m").arg(format!("Automated commit @ {now}"));
    let rev = git::output(commit, std::iter::empty::<&str>())?
        .trim()
        .to_string();
    drop(work);

    // The commit is kept under a temporary ref until the deploy is done.
    let pending = format!("refs/dokku/pending/{rev}");
    repo::update_ref(&ctx.paths, app, &pending, &rev)?;

    let result = receive::receive(ctx, app, Some(&rev), Some(source));
    if result.is_ok() {
        repo::update_ref(&ctx.paths, app, &format!("refs/heads/{branch}"), &rev)?;
    }
    repo::delete_ref(&ctx.paths, app, &pending);
    result
}
