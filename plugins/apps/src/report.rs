//! The rows of `apps:report`.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::report::{ReportSpec, Rows};
use dokku_core::{Paths, Result};

/// How the apps report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "app",
    prefix: "app",
    legacy_json_keys: true,
};

/// One app's report rows, sorted by flag as Dokku's Go reports are.
pub fn rows(paths: &Paths, app: &str) -> Result<Rows> {
    let props = Properties::new(paths, crate::ops::PLUGIN);
    let mut rows: Rows = vec![
        ("--app-created-at".into(), props.get_str(app, "created-at")),
        (
            "--app-deploy-source".into(),
            props.get_str(app, "deploy-source"),
        ),
        (
            "--app-deploy-source-metadata".into(),
            props.get_str(app, "deploy-source-metadata"),
        ),
        ("--app-dir".into(), paths.app_dir(app).display().to_string()),
        (
            "--app-global-disable-autocreation".into(),
            props.get_or(GLOBAL, "disable-autocreation", "false")?,
        ),
        (
            "--app-locked".into(),
            crate::ops::is_locked(paths, app).to_string(),
        ),
    ];
    rows.sort();
    Ok(rows)
}
