//! `git:sync`: bring a remote repository's branch, tag or commit into the
//! app's repository, optionally building it.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::receive::{self, Source};
use crate::{git, names, props, repo};

/// What `git:sync` was asked for.
#[derive(Debug, Clone, Default)]
pub struct SyncRequest {
    /// The app.
    pub app: String,
    /// The remote repository (url or local path).
    pub remote: String,
    /// A branch, tag or commit; the remote's HEAD when empty.
    pub git_ref: String,
    /// Build and deploy afterwards.
    pub build: bool,
    /// Build and deploy only when the deploy branch moved.
    pub build_if_changes: bool,
    /// Keep the deploy branch even when `git_ref` is a branch.
    pub skip_deploy_branch: bool,
}

const SYNC_NS: &str = "refs/dokku-sync";

fn resolve(paths: &dokku_core::Paths, app: &str, git_ref: &str) -> Option<(String, bool)> {
    let repo_path = repo::path(paths, app);
    let rev = |spec: String| {
        git::output(
            git::bare(&repo_path),
            ["rev-parse", "--verify", "--quiet", spec.as_str()],
        )
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
    };
    if git_ref.is_empty() {
        return rev(format!("{SYNC_NS}/HEAD^{{commit}}")).map(|s| (s, false));
    }
    if let Some(sha) = rev(format!("{SYNC_NS}/heads/{git_ref}^{{commit}}")) {
        return Some((sha, true));
    }
    if let Some(sha) = rev(format!("{SYNC_NS}/tags/{git_ref}^{{commit}}")) {
        return Some((sha, false));
    }
    if git_ref.chars().all(|c| c.is_ascii_hexdigit()) {
        return rev(format!("{git_ref}^{{commit}}")).map(|s| (s, false));
    }
    None
}

fn drop_sync_refs(paths: &dokku_core::Paths, app: &str) {
    let repo_path = repo::path(paths, app);
    let refs = git::output(
        git::bare(&repo_path),
        ["for-each-ref", "--format=%(refname)", SYNC_NS],
    )
    .unwrap_or_default();
    for r in refs.lines().filter(|l| !l.is_empty()) {
        repo::delete_ref(paths, app, r);
    }
}

/// Run `git:sync`.
pub fn sync(ctx: &Ctx, req: &SyncRequest) -> Result<()> {
    apps::verify(&ctx.paths, &req.app)?;
    if req.remote.is_empty() {
        return Err(Error::fail("Missing GIT_REMOTE parameter"));
    }
    names::not_an_option("git remote", &req.remote)?;
    names::not_an_option("git ref", &req.git_ref)?;
    let app = req.app.as_str();
    repo::initialize(&ctx.paths, app)?;
    let branch = props::deploy_branch(&ctx.paths, app);
    let previous = repo::branch_sha(&ctx.paths, app, &branch);
    let verb = if previous.is_none() {
        "Cloning"
    } else {
        "Fetching"
    };
    let shown_ref = if req.git_ref.is_empty() {
        branch.clone()
    } else {
        req.git_ref.clone()
    };
    ctx.out
        .info1_quiet(&format!("{verb} {app} from {}#{shown_ref}", req.remote));

    drop_sync_refs(&ctx.paths, app);
    let mut fetch = git::bare(&repo::path(&ctx.paths, app));
    fetch
        .args([
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--",
        ])
        .arg(&req.remote)
        .args([
            format!("+HEAD:{SYNC_NS}/HEAD"),
            format!("+refs/heads/*:{SYNC_NS}/heads/*"),
            format!("+refs/tags/*:{SYNC_NS}/tags/*"),
        ]);
    let fetched = git::output(fetch, std::iter::empty::<&str>());
    let resolved = fetched.and_then(|_| {
        resolve(&ctx.paths, app, &req.git_ref).ok_or_else(|| {
            Error::fail(format!(
                "Unable to find git ref {shown_ref} in {}",
                req.remote
            ))
        })
    });
    let (sha, is_branch) = match resolved {
        Ok(v) => v,
        Err(e) => {
            drop_sync_refs(&ctx.paths, app);
            return Err(e);
        }
    };
    drop_sync_refs(&ctx.paths, app);

    let mut branch = branch;
    if is_branch
        && !req.skip_deploy_branch
        && req.git_ref != branch
        && names::is_valid_branch(&req.git_ref)
    {
        props::write(&ctx.paths, app, "deploy-branch", &req.git_ref)?;
        branch = req.git_ref.clone();
    }
    let old = repo::branch_sha(&ctx.paths, app, &branch);
    repo::update_ref(&ctx.paths, app, &format!("refs/heads/{branch}"), &sha)?;
    if repo::branches(&ctx.paths, app).len() == 1 {
        repo::set_head(&ctx.paths, app, &branch)?;
    }
    let changed = old.as_deref() != Some(sha.as_str());
    if req.build || (req.build_if_changes && changed) {
        props::delete(&ctx.paths, app, "source-image")?;
        let source = Source {
            kind: "git-sync",
            metadata: format!("{}#{shown_ref}", req.remote),
        };
        return receive::receive(ctx, app, Some(&sha), Some(source));
    }
    if req.build_if_changes {
        ctx.out
            .info1_quiet("Skipping build as no changes were detected");
    }
    Ok(())
}
