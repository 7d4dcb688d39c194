//! Where `registry:login` keeps credentials, read by everything that
//! pushes or pulls: an app's own login in
//! `$DOKKU_LIB_ROOT/config/registry/<app>/config.json` (the app's
//! `DOCKER_CONFIG`), else the dokku user's `~/.docker/config.json`
//! (`$DOKKU_ROOT/.docker`), where a plain `docker login` run as dokku
//! writes. These are docker CLI files, read as the docker CLI reads them,
//! so they are shared knowledge rather than one plugin's state.

use std::path::PathBuf;

use dokku_core::{fsutil, Paths};
use dokku_docker::{registry_of, DockerConfig, RegistryAuth};

/// The `DOCKER_CONFIG` directory of an app's own registry logins.
pub fn app_config_dir(paths: &Paths, app: &str) -> PathBuf {
    paths.lib_root.join("config").join("registry").join(app)
}

/// The dokku user's `DOCKER_CONFIG` directory (global logins).
pub fn global_config_dir(paths: &Paths) -> PathBuf {
    paths.dokku_root.join(".docker")
}

/// Read a `config.json` in `dir`; missing or unreadable is empty.
pub fn load(dir: &std::path::Path) -> DockerConfig {
    fsutil::read_optional(&dir.join("config.json"))
        .ok()
        .flatten()
        .and_then(|t| DockerConfig::parse(&t).ok())
        .unwrap_or_default()
}

/// The credentials for `server`: the app's own login, else the global
/// one.
pub fn for_server(paths: &Paths, app: Option<&str>, server: &str) -> Option<RegistryAuth> {
    let own = app
        .filter(|a| dokku_core::apps::validate_name(a).is_ok())
        .and_then(|a| load(&app_config_dir(paths, a)).auth(server));
    own.or_else(|| load(&global_config_dir(paths)).auth(server))
}

/// The credentials for the registry `image` lives on.
pub fn for_image(paths: &Paths, app: Option<&str>, image: &str) -> Option<RegistryAuth> {
    for_server(paths, app, &registry_of(image))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_login_wins_over_global() {
        let (_d, paths) = dokku_core::Paths::temp();
        let write = |dir: PathBuf, user: &str| {
            let mut c = DockerConfig::default();
            c.set_auth(&RegistryAuth {
                server: "127.0.0.1:5000".into(),
                username: user.into(),
                password: "pw".into(),
            });
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join("config.json"), c.to_bytes()).expect("write");
        };
        assert!(for_image(&paths, Some("web"), "127.0.0.1:5000/a:1").is_none());
        write(global_config_dir(&paths), "global");
        let got = |app| for_image(&paths, app, "127.0.0.1:5000/a:1").map(|a| a.username);
        assert_eq!(got(Some("web")).as_deref(), Some("global"));
        write(app_config_dir(&paths, "web"), "own");
        assert_eq!(got(Some("web")).as_deref(), Some("own"));
        assert_eq!(got(None).as_deref(), Some("global"));
        assert!(for_image(&paths, Some("web"), "ghcr.io/a:1").is_none());
    }
}
