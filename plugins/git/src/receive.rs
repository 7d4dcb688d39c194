//! From a revision in the app's repository to a deployed release: extract,
//! let plugins adjust the source, pick the builder, build, then hand the
//! image to `release-and-deploy`. Every deploy source (push, archive, image,
//! sync, rebuild) ends here.

use std::os::unix::fs::PermissionsExt;

use dokku_core::{apps, Error, Result};
use dokku_output::Output;
use dokku_trigger::deploy::{
    BuilderBuild, BuilderDetect, CorePostExtract, DeploySourceSet, PostExtract, PreReceiveApp,
    ProcfileExtractImage, ReleaseAndDeploy,
};
use dokku_trigger::triggers::ConfigSet;
use dokku_trigger::Ctx;

use crate::{props, repo, worktree};
use dokku_core::deploy_lock::DeployLock;

/// How the app's source arrived, recorded through `deploy-source-set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `git`, `archive`, `docker-image` or `git-sync`.
    pub kind: &'static str,
    /// The sha, url or image.
    pub metadata: String,
}

/// The image every build produces.
pub fn image_name(app: &str) -> String {
    format!("dokku/{app}:latest")
}

/// A context whose output is thrown away (Dokku's `DOKKU_QUIET_OUTPUT=1`
/// plus `>/dev/null` around helper calls).
pub fn silent(ctx: &Ctx) -> Ctx {
    let mut c = ctx.clone();
    c.out = Output::captured(true).0;
    c
}

/// A temporary directory `/tmp/dokku-<pid>-<what>.XXXXXX`, mode 0755,
/// removed when dropped.
pub fn temp_dir(what: &str) -> Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("dokku-{}-{what}.", std::process::id()))
        .tempdir()
        .map_err(|e| Error::other("create a temporary directory", e))?;
    let _ = std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755));
    Ok(dir)
}

/// Build and deploy `rev` (the deploy branch's head when `None`). Does
/// nothing for an app without a repository or without code. Holds the
/// deploy lock throughout.
pub fn receive(ctx: &Ctx, app: &str, rev: Option<&str>, source: Option<Source>) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    if !repo::exists(&ctx.paths, app) {
        return Ok(());
    }
    let rev = match rev.filter(|r| !r.is_empty()) {
        Some(r) => r.to_string(),
        None => match repo::branch_sha(&ctx.paths, app, &props::deploy_branch(&ctx.paths, app)) {
            Some(sha) => sha,
            None => return Ok(()),
        },
    };
    let _lock = DeployLock::acquire(&ctx.paths, app, &ctx.out)?;
    let work = temp_dir("git_build_app_repo")?;
    let dir = work.path().display().to_string();
    worktree::setup(&ctx.paths, app, &rev, work.path())?;

    let var = props::rev_env_var(&ctx.paths, app);
    if !var.is_empty() {
        let set = ConfigSet {
            no_restart: true,
            app: app.into(),
            pairs: vec![format!("{var}={rev}")],
        };
        ctx.bus.notify(&silent(ctx), &set)?;
    }
    let revs = vec![rev.clone()];
    ctx.bus.notify(
        ctx,
        &CorePostExtract {
            app: app.into(),
            tmp_work_dir: dir.clone(),
            rev: revs.clone(),
        },
    )?;
    let source_image = props::source_image(&ctx.paths, app);
    if !source_image.is_empty() {
        ctx.bus.notify(
            ctx,
            &ProcfileExtractImage {
                app: app.into(),
                image: source_image,
            },
        )?;
    }
    ctx.bus.notify(
        ctx,
        &PostExtract {
            app: app.into(),
            tmp_work_dir: dir.clone(),
            rev: revs,
        },
    )?;

    let builder = BuilderDetect::builder_type(ctx, app, &dir)?;
    let pre = PreReceiveApp {
        app: app.into(),
        image_source_type: builder.clone(),
        tmp_work_dir: dir.clone(),
        rev: rev.clone(),
    };
    ctx.bus.notify(ctx, &pre)?;
    let source = source.unwrap_or(Source {
        kind: "git",
        metadata: rev.clone(),
    });
    ctx.bus.notify(
        ctx,
        &DeploySourceSet {
            app: app.into(),
            source_type: source.kind.into(),
            metadata: source.metadata,
        },
    )?;

    dokku_trigger::cleanup::cleanup_before_build(ctx, app)?;
    ctx.bus.select(
        ctx,
        &BuilderBuild {
            builder_type: builder,
            app: app.into(),
            source_work_dir: dir,
        },
    )?;
    drop(work);
    ctx.bus.notify(
        ctx,
        &ReleaseAndDeploy {
            app: app.into(),
            image_tag: "latest".into(),
        },
    )
}
