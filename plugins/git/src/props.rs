//! The git plugin's properties, declared once, and their computed values.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::schema::{Keys, Prop, Schema};
use dokku_core::set::Wording;
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

/// Host-wide limits: reported as global and computed values only.
const LIMIT: Keys = Keys::ALL.without(Keys::RAW);

/// The properties. `rev-env-var` is reported through its own rule (an
/// empty stored value counts), `source-image` as the raw app value.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN,
    &[
        Prop::both("archive-max-files", "10000").keys(LIMIT),
        Prop::both("archive-max-size", "1073741824").keys(LIMIT),
        Prop::both("deploy-branch", DEFAULT_BRANCH),
        Prop::both("keep-git-dir", "false"),
        Prop::both("rev-env-var", DEFAULT_REV_ENV_VAR).hidden(),
        Prop::both("source-image", "").keys(Keys::RAW),
    ],
)
.worded(Wording::SHELL);

fn props(paths: &Paths) -> Properties<'_> {
    Properties::new(paths, PLUGIN)
}

/// The branch whose pushes deploy the app.
pub fn deploy_branch(paths: &Paths, app: &str) -> String {
    SCHEMA.computed(paths, app, "deploy-branch")
}

/// Whether `.git` stays in the build context.
pub fn keep_git_dir(paths: &Paths, app: &str) -> bool {
    SCHEMA.enabled(paths, app, "keep-git-dir")
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
    SCHEMA.computed(paths, app, "source-image")
}

/// The archive limits: (max entries, max bytes). Unparsable values fall
/// back to the defaults.
pub fn archive_limits(paths: &Paths, app: &str) -> (u64, u64) {
    let n = |key: &str, default: u64| {
        [
            props(paths).get_str(app, key),
            props(paths).get_str(GLOBAL, key),
        ]
        .into_iter()
        .find(|v| !v.is_empty())
        .unwrap_or_default()
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
