//! The git plugin's properties and their computed values.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::Paths;

/// The plugin's property namespace.
pub const PLUGIN: &str = "git";
/// The deploy branch when none is set.
pub const DEFAULT_BRANCH: &str = "master";
/// The env var that receives the deployed sha when none is set.
pub const DEFAULT_REV_ENV_VAR: &str = "GIT_REV";
/// Entries an archive may have when no limit is set.
pub const DEFAULT_ARCHIVE_MAX_FILES: u64 = 10_000;
/// Bytes an archive may have when no limit is set (1 GiB).
pub const DEFAULT_ARCHIVE_MAX_SIZE: u64 = 1_073_741_824;

/// Every settable key, in Dokku's order.
pub const KEYS: &[&str] = &[
    "archive-max-files",
    "archive-max-size",
    "deploy-branch",
    "keep-git-dir",
    "rev-env-var",
    "source-image",
];

fn props(paths: &Paths) -> Properties<'_> {
    Properties::new(paths, PLUGIN)
}

/// The app's value, else the global one, else `default` (empty values
/// count as unset).
pub fn computed(paths: &Paths, app: &str, key: &str, default: &str) -> String {
    let p = props(paths);
    let own = p.get_str(app, key);
    if !own.is_empty() {
        return own;
    }
    let global = p.get_str(GLOBAL, key);
    if !global.is_empty() {
        return global;
    }
    default.to_string()
}

/// The raw value (empty when unset).
pub fn raw(paths: &Paths, app: &str, key: &str) -> String {
    props(paths).get_str(app, key)
}

/// The branch whose pushes deploy the app.
pub fn deploy_branch(paths: &Paths, app: &str) -> String {
    computed(paths, app, "deploy-branch", DEFAULT_BRANCH)
}

/// Whether `.git` stays in the build context.
pub fn keep_git_dir(paths: &Paths, app: &str) -> bool {
    computed(paths, app, "keep-git-dir", "false") == "true"
}

/// The env var receiving the deployed sha; empty disables it. A property
/// set to the empty string (by `git:set <app> rev-env-var ""`) counts.
pub fn rev_env_var(paths: &Paths, app: &str) -> String {
    let p = props(paths);
    if p.exists(app, "rev-env-var") {
        return p.get_str(app, "rev-env-var");
    }
    if p.exists(GLOBAL, "rev-env-var") {
        return p.get_str(GLOBAL, "rev-env-var");
    }
    DEFAULT_REV_ENV_VAR.to_string()
}

/// The image the app was last deployed from with `git:from-image`.
pub fn source_image(paths: &Paths, app: &str) -> String {
    computed(paths, app, "source-image", "")
}

/// The archive limits: (max entries, max bytes). Unparsable values fall
/// back to the defaults.
pub fn archive_limits(paths: &Paths, app: &str) -> (u64, u64) {
    let n = |key: &str, default: u64| {
        computed(paths, app, key, "")
            .trim()
            .parse::<u64>()
            .unwrap_or(default)
    };
    (
        n("archive-max-files", DEFAULT_ARCHIVE_MAX_FILES),
        n("archive-max-size", DEFAULT_ARCHIVE_MAX_SIZE),
    )
}

/// Write a property.
pub fn write(paths: &Paths, app: &str, key: &str, value: &str) -> dokku_core::Result<()> {
    props(paths).write(app, key, value)
}

/// Remove a property.
pub fn delete(paths: &Paths, app: &str, key: &str) -> dokku_core::Result<()> {
    props(paths).delete(app, key)
}

/// A computed value by key, as `git-get-property` answers.
pub fn get(paths: &Paths, app: &str, key: &str) -> String {
    match key {
        "deploy-branch" => deploy_branch(paths, app),
        "keep-git-dir" => keep_git_dir(paths, app).to_string(),
        "rev-env-var" => rev_env_var(paths, app),
        "source-image" => source_image(paths, app),
        "archive-max-files" => archive_limits(paths, app).0.to_string(),
        "archive-max-size" => archive_limits(paths, app).1.to_string(),
        _ => String::new(),
    }
}
