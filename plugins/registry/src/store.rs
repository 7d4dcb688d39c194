//! The registry properties and the values computed from them: the server
//! images are pushed to, the repository they are pushed as, and the tag
//! of the last pushed release.

use std::collections::BTreeMap;

use dokku_core::schema::{Keys, Prop, Schema};
use dokku_core::{Paths, Result};

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "registry";

/// The stored tag of the last image pushed on release (not settable).
pub const TAG_VERSION: &str = "tag-version";

/// The properties. `server` and `image-repo` have computed values of
/// their own (see [`server`], [`image_repo`]), reported as extra rows.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN,
    &[
        Prop::app("image-repo"),
        Prop::both("image-repo-template", ""),
        Prop::both("push-extra-tags", ""),
        Prop::both("push-on-release", "false"),
        Prop::both("server", "").keys(Keys::RAW.with(Keys::GLOBAL).with(Keys::GLOBAL_REPORT)),
    ],
)
.legacy_json();

/// A server as images are named with it: empty for Docker Hub
/// (`docker.io`, `hub.docker.com`) and when unset, else with a trailing
/// `/`.
pub fn normalise_server(server: &str) -> String {
    let s = server.trim();
    match s.trim_end_matches('/') {
        "" | "docker.io" | "hub.docker.com" => String::new(),
        _ if s.ends_with('/') => s.to_string(),
        _ => format!("{s}/"),
    }
}

/// The server of an app (or `--global`): its own, else the global one,
/// normalised.
pub fn server(paths: &Paths, app: &str) -> String {
    normalise_server(&SCHEMA.computed(paths, app, "server"))
}

/// The repository an app's image is pushed as: `image-repo`, else the
/// rendered `image-repo-template` (the app's, else the global one), else
/// `dokku/<app>`.
pub fn image_repo(paths: &Paths, app: &str) -> Result<String> {
    let own = SCHEMA.raw(paths, app, "image-repo");
    if !own.is_empty() {
        return Ok(own);
    }
    let template = SCHEMA.computed(paths, app, "image-repo-template");
    if !template.is_empty() {
        let vars = BTreeMap::from([("AppName".to_string(), app.to_string())]);
        let rendered =
            dokku_template::render_raw(&template, &vars, &BTreeMap::new()).map_err(|e| {
                dokku_core::Error::fail(format!("Unable to render image-repo-template: {e}"))
            })?;
        let rendered = rendered.trim().to_string();
        if !rendered.is_empty() {
            return Ok(rendered);
        }
    }
    Ok(format!("dokku/{app}"))
}

/// Whether images are pushed on release.
pub fn push_enabled(paths: &Paths, app: &str) -> bool {
    SCHEMA.enabled(paths, app, "push-on-release")
}

/// The tags pushed besides the release tag.
pub fn extra_tags(paths: &Paths, app: &str) -> Vec<String> {
    SCHEMA
        .computed(paths, app, "push-extra-tags")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The tag of the last pushed release (empty before the first push).
pub fn tag_version(paths: &Paths, app: &str) -> String {
    SCHEMA.store(paths).get_str(app, TAG_VERSION)
}

/// Count one more release and store it: the tag it is pushed as (`1`
/// for the first).
pub fn next_tag_version(paths: &Paths, app: &str) -> Result<u64> {
    let next = tag_version(paths, app).parse::<u64>().unwrap_or(0) + 1;
    SCHEMA
        .store(paths)
        .write(app, TAG_VERSION, &next.to_string())?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::property::GLOBAL;

    #[test]
    fn servers_are_normalised() {
        assert_eq!(normalise_server(""), "");
        assert_eq!(normalise_server("docker.io"), "");
        assert_eq!(normalise_server("hub.docker.com/"), "");
        assert_eq!(normalise_server("ghcr.io"), "ghcr.io/");
        assert_eq!(normalise_server("127.0.0.1:5000/"), "127.0.0.1:5000/");
    }

    #[test]
    fn image_repo_prefers_the_property_then_the_template() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::under(d.path());
        assert_eq!(image_repo(&paths, "web").expect("repo"), "dokku/web");
        let store = SCHEMA.store(&paths);
        store
            .write(GLOBAL, "image-repo-template", "prefix/{{ .AppName }}")
            .expect("write");
        assert_eq!(image_repo(&paths, "web").expect("repo"), "prefix/web");
        store
            .write("web", "image-repo-template", "own/{{ .AppName }}-prod")
            .expect("write");
        assert_eq!(image_repo(&paths, "web").expect("repo"), "own/web-prod");
        store
            .write("web", "image-repo", "fixed/name")
            .expect("write");
        assert_eq!(image_repo(&paths, "web").expect("repo"), "fixed/name");
    }

    #[test]
    fn tag_versions_count_up() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::under(d.path());
        assert_eq!(tag_version(&paths, "web"), "");
        assert_eq!(next_tag_version(&paths, "web").expect("next"), 1);
        assert_eq!(next_tag_version(&paths, "web").expect("next"), 2);
        assert_eq!(tag_version(&paths, "web"), "2");
    }
}
