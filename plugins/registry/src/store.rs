//! The registry properties and the values computed from them: the server
//! images are pushed to, the repository they are pushed as, and the tag
//! of the last pushed release.

use std::collections::BTreeMap;

use dokku_core::schema::{check, Keys, Prop, Schema};
use dokku_core::{Error, Paths, Result};

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "registry";

/// The stored tag of the last image pushed on release (not settable).
pub const TAG_VERSION: &str = "tag-version";

/// The properties. `server` and `image-repo` have computed values of
/// their own (see [`server`], [`image_repo`]), reported as extra rows.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN,
    &[
        Prop::app("image-repo").check(check_repo),
        Prop::both("image-repo-template", ""),
        Prop::both("push-extra-tags", "").check(check_tags),
        Prop::both("push-on-release", "false").check(check::true_or_false),
        Prop::both("server", "")
            .keys(Keys::RAW.with(Keys::GLOBAL).with(Keys::GLOBAL_REPORT))
            .check(check_server),
    ],
)
.legacy_json();

fn invalid(key: &str, value: &str) -> Error {
    Error::fail(format!("Invalid {key} value specified: {value}"))
}

/// A repository: lowercase path components of `[a-z0-9._-]`.
pub fn is_repo(value: &str) -> bool {
    !value.is_empty()
        && value.split('/').all(|part| {
            !part.is_empty()
                && part.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        })
}

/// A tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
pub fn is_tag(value: &str) -> bool {
    (1..=128).contains(&value.len())
        && !value.starts_with(['.', '-'])
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

fn check_repo(key: &str, value: &str) -> Result<()> {
    if is_repo(value) {
        Ok(())
    } else {
        Err(invalid(key, value))
    }
}

fn check_tags(key: &str, value: &str) -> Result<()> {
    if value.split(',').map(str::trim).all(is_tag) {
        Ok(())
    } else {
        Err(invalid(key, value))
    }
}

/// A registry host: `host[:port]`, optionally with a trailing `/` (and a
/// path, as some registries take a namespace there).
fn check_server(key: &str, value: &str) -> Result<()> {
    let host = value.trim_end_matches('/');
    let ok = !host.is_empty()
        && !host.starts_with(['-', '/'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_:/".contains(c));
    if ok {
        Ok(())
    } else {
        Err(invalid(key, value))
    }
}

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
            if !is_repo(&rendered) {
                return Err(invalid("image-repo-template", &rendered));
            }
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

/// Record `version` as the last pushed release.
pub fn set_tag_version(paths: &Paths, app: &str, version: u64) -> Result<()> {
    SCHEMA
        .store(paths)
        .write(app, TAG_VERSION, &version.to_string())
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
        let (_d, paths) = dokku_core::Paths::temp();
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
    fn values_are_checked() {
        assert!(check_repo("image-repo", "my-prefix/app.x_y").is_ok());
        for bad in ["", "Upper/x", "a//b", "a b", "-a", "a\nb", "a?b"] {
            assert!(check_repo("image-repo", bad).is_err(), "{bad:?}");
        }
        assert!(check_tags("push-extra-tags", "foo,bar-1.2, v3").is_ok());
        assert!(check_tags("push-extra-tags", "a,,b").is_err());
        assert!(check_tags("push-extra-tags", "a b").is_err());
        assert!(check_server("server", "127.0.0.1:5000/").is_ok());
        assert!(check_server("server", "registry.digitalocean.com/team").is_ok());
        assert!(check_server("server", "a b").is_err());
        assert!(check_server("server", "x?y").is_err());
    }

    #[test]
    fn tag_versions_are_stored() {
        let (_d, paths) = dokku_core::Paths::temp();
        assert_eq!(tag_version(&paths, "web"), "");
        set_tag_version(&paths, "web", 2).expect("set");
        assert_eq!(tag_version(&paths, "web"), "2");
    }
}
