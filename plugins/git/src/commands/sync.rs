//! `git:sync [--build|--build-if-changes] [--skip-deploy-branch] <app> <repository> [<git-ref>]`.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

use crate::sync::SyncRequest;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let spec = args::Spec::new(
        &["--build", "--build-if-changes", "--skip-deploy-branch"],
        &[],
    );
    let p = args::parse(argv, spec)?;
    let app = p
        .arg(0)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    let req = SyncRequest {
        app: app.to_string(),
        remote: p.arg(1).unwrap_or("").to_string(),
        git_ref: p.arg(2).unwrap_or("").to_string(),
        build: p.has("--build"),
        build_if_changes: p.has("--build-if-changes"),
        skip_deploy_branch: p.has("--skip-deploy-branch"),
    };
    crate::sync::sync(ctx, &req)
}
