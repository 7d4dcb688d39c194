//! App names and existence: the checks nearly every command starts with.

use std::fs;

use crate::error::{Error, Result};
use crate::paths::Paths;

/// Dokku's message for a name that breaks the naming rule.
pub const INVALID_NAME: &str = "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens";
/// Dokku's message when no app argument was given.
pub const MISSING_APP: &str = "Please specify an app to run the command on";
/// Dokku's message when there are no apps at all.
pub const NO_APPS: &str = "You haven't deployed any applications yet";

/// Check a name against Dokku's rule: a lowercase letter or digit first, then
/// lowercase letters, digits, dots and hyphens.
pub fn validate_name(app: &str) -> Result<()> {
    if app.is_empty() {
        return Err(Error::fail(MISSING_APP));
    }
    let mut chars = app.chars();
    let first_ok = chars
        .next()
        .map(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .unwrap_or(false);
    let rest_ok =
        chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(Error::fail(INVALID_NAME))
    }
}

/// Whether an app exists (its directory under DOKKU_ROOT).
pub fn exists(paths: &Paths, app: &str) -> bool {
    validate_name(app).is_ok() && paths.app_dir(app).is_dir()
}

/// A valid name of an existing app, or Dokku's error.
pub fn verify(paths: &Paths, app: &str) -> Result<()> {
    validate_name(app)?;
    if !paths.app_dir(app).is_dir() {
        return Err(Error::fail(format!("App {app} does not exist")));
    }
    Ok(())
}

/// [`verify`] as Dokku's shell library does it (`verify_app_name`), for
/// commands Dokku implements in bash: a missing app exits with status 20.
pub fn verify_as_shell(paths: &Paths, app: &str) -> Result<()> {
    validate_name(app)?;
    if !paths.app_dir(app).is_dir() {
        return Err(Error::Exit {
            code: 20,
            message: format!("App {app} does not exist"),
        });
    }
    Ok(())
}

/// The app argument of a command: present, valid and existing.
pub fn require(paths: &Paths, app: Option<&str>) -> Result<String> {
    let app = app
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::fail(MISSING_APP))?;
    verify(paths, app)?;
    Ok(app.to_string())
}

/// Every app, sorted: the directories of DOKKU_ROOT that are not hidden.
pub fn list(paths: &Paths) -> Vec<String> {
    let mut apps: Vec<String> = match fs::read_dir(&paths.dokku_root) {
        Ok(rd) => rd
            .flatten()
            .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.') && validate_name(n).is_ok())
            .collect(),
        Err(_) => Vec::new(),
    };
    apps.sort();
    apps
}

/// Path of the deploy lock file Dokku uses
/// (`$DOKKU_LIB_ROOT/data/apps/<app>/.deploy.lock`).
pub fn deploy_lock_path(paths: &Paths, app: &str) -> std::path::PathBuf {
    paths.plugin_data_dir("apps").join(app).join(".deploy.lock")
}

/// Where versions before the layout change kept the deploy lock
/// (`$DOKKU_ROOT/<app>/.deploy.lock`); moved at install.
pub fn legacy_deploy_lock_path(paths: &Paths, app: &str) -> std::path::PathBuf {
    paths.app_dir(app).join(".deploy.lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_dokku_rule() {
        for good in ["a", "node-js-app", "app.v2", "0day", "a-b.c-d"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in [
            "-a", ".a", "App", "a_b", "a/b", "a b", "a:b", "ä", "..", "a\nb",
        ] {
            let e = validate_name(bad).expect_err(bad);
            assert_eq!(e.to_string(), INVALID_NAME);
        }
        assert_eq!(
            validate_name("").expect_err("empty").to_string(),
            MISSING_APP
        );
    }

    proptest::proptest! {
        #[test]
        fn valid_names_are_single_segments(s in ".*") {
            if validate_name(&s).is_ok() {
                proptest::prop_assert!(crate::fsutil::is_single_segment(&s));
            }
        }
    }
}
