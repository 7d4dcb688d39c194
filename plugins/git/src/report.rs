//! `git:report`: the declared properties plus what the repository says.

use dokku_core::report::Rows;
use dokku_core::Result;
use dokku_trigger::{Ctx, ReportDef};

use crate::{props, repo};

/// The deployed sha, the branch's last update and the rev env var.
fn repo_rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    let paths = &ctx.paths;
    let branch = props::deploy_branch(paths, app);
    let sha = repo::branch_sha(paths, app, &branch)
        .map(|s| s.chars().take(7).collect())
        .unwrap_or_default();
    Ok(vec![
        ("--git-rev-env-var".into(), props::rev_env_var(paths, app)),
        ("--git-sha".into(), sha),
        (
            "--git-last-updated-at".into(),
            repo::branch_updated_at(paths, app, &branch),
        ),
    ])
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&props::SCHEMA).extra(repo_rows);
