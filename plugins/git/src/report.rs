//! `git:report` rows.

use dokku_core::property::GLOBAL;
use dokku_core::report::{ReportSpec, Rows};
use dokku_core::{Paths, Result};

use crate::{props, repo};

/// How the git report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "git",
    prefix: "git",
    legacy_json_keys: true,
};

/// One app's rows, in Dokku's order.
pub fn rows(paths: &Paths, app: &str) -> Result<Rows> {
    let (max_files, max_size) = props::archive_limits(paths, app);
    let branch = props::deploy_branch(paths, app);
    let sha = repo::branch_sha(paths, app, &branch)
        .map(|s| s.chars().take(7).collect())
        .unwrap_or_default();
    let g = |k: &str| props::raw(paths, GLOBAL, k);
    let a = |k: &str| props::raw(paths, app, k);
    Ok(vec![
        (
            "--git-computed-archive-max-files".into(),
            max_files.to_string(),
        ),
        (
            "--git-computed-archive-max-size".into(),
            max_size.to_string(),
        ),
        ("--git-computed-deploy-branch".into(), branch.clone()),
        (
            "--git-computed-keep-git-dir".into(),
            props::keep_git_dir(paths, app).to_string(),
        ),
        ("--git-deploy-branch".into(), a("deploy-branch")),
        (
            "--git-global-archive-max-files".into(),
            g("archive-max-files"),
        ),
        (
            "--git-global-archive-max-size".into(),
            g("archive-max-size"),
        ),
        ("--git-global-deploy-branch".into(), g("deploy-branch")),
        ("--git-global-keep-git-dir".into(), g("keep-git-dir")),
        ("--git-keep-git-dir".into(), a("keep-git-dir")),
        ("--git-rev-env-var".into(), props::rev_env_var(paths, app)),
        ("--git-sha".into(), sha),
        ("--git-source-image".into(), a("source-image")),
        (
            "--git-last-updated-at".into(),
            repo::branch_updated_at(paths, app, &branch),
        ),
    ])
}

/// The rows of `git:report --global`.
pub fn global_rows(paths: &Paths) -> Rows {
    let g = |k: &str| props::raw(paths, GLOBAL, k);
    let (max_files, max_size) = props::archive_limits(paths, GLOBAL);
    vec![
        (
            "--git-computed-archive-max-files".into(),
            max_files.to_string(),
        ),
        (
            "--git-computed-archive-max-size".into(),
            max_size.to_string(),
        ),
        (
            "--git-global-archive-max-files".into(),
            g("archive-max-files"),
        ),
        (
            "--git-global-archive-max-size".into(),
            g("archive-max-size"),
        ),
        ("--git-global-deploy-branch".into(), g("deploy-branch")),
        ("--git-global-keep-git-dir".into(), g("keep-git-dir")),
    ]
}
