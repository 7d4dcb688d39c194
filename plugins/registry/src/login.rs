//! `registry:login` and `registry:logout`: credentials checked by the
//! engine against the registry, then kept where the docker CLI keeps them
//! (see [`dokku_trigger::credentials`]): the app's own `config.json` or the
//! dokku user's `~/.docker/config.json` for `--global`.

use std::path::{Path, PathBuf};

use dokku_core::{apps, fsutil, Error, Result};
use dokku_docker::{auth_key, DockerConfig, RegistryAuth};
use dokku_trigger::credentials;
use dokku_trigger::helpers::PostRegistryLogin;
use dokku_trigger::Ctx;

/// Where a login is kept: one app's, or everyone's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// `--global` (or the deprecated three-argument form).
    Global,
    /// One app.
    App(String),
}

/// A parsed `registry:login`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRequest {
    /// Whose login.
    pub scope: Scope,
    /// The server as given.
    pub server: String,
    /// The user name.
    pub username: String,
    /// The password (from the arguments or stdin).
    pub password: String,
    /// Whether the global scope came from the deprecated form.
    pub deprecated_global: bool,
}

/// Dokku-style warning for the three-argument form.
pub const DEPRECATED_GLOBAL: &str =
    "Deprecated: specify --global to log in for all apps, or an app name to log in for one app";

/// The same warning for `registry:logout <server>`. The reference gives
/// neither text; this one says what the command does.
pub const DEPRECATED_GLOBAL_LOGOUT: &str =
    "Deprecated: specify --global to log out for all apps, or an app name to log out for one app";

/// Split `[--global|<app>] <server> <username> [<password>]`, with
/// `with_password` telling whether the password is among the words.
pub fn split_login(
    words: &[String],
    global: bool,
    with_password: bool,
) -> Result<(Scope, Vec<String>, bool)> {
    let needed = if with_password { 3 } else { 2 };
    if global {
        return Ok((Scope::Global, words.to_vec(), false));
    }
    if words.len() > needed {
        return Ok((Scope::App(words[0].clone()), words[1..].to_vec(), false));
    }
    if words.len() == needed {
        return Ok((Scope::Global, words.to_vec(), true));
    }
    Ok((Scope::Global, words.to_vec(), false))
}

fn config_dir(ctx: &Ctx, scope: &Scope) -> PathBuf {
    match scope {
        Scope::Global => credentials::global_config_dir(&ctx.paths),
        Scope::App(app) => credentials::app_config_dir(&ctx.paths, app),
    }
}

fn check_scope(ctx: &Ctx, scope: &Scope) -> Result<()> {
    if let Scope::App(app) = scope {
        apps::verify(&ctx.paths, app)?;
    }
    Ok(())
}

/// Write `config` to `dir/config.json` (dir 0700, file 0600).
fn save(dir: &Path, config: &DockerConfig) -> Result<()> {
    fsutil::ensure_dir(dir)?;
    fsutil::set_permissions(dir, 0o700)?;
    fsutil::write_atomic(&dir.join("config.json"), &config.to_bytes(), 0o600)
}

/// Check the credentials with the registry, store them, and tell the
/// plugins (`post-registry-login`).
pub fn login(ctx: &Ctx, req: &LoginRequest) -> Result<()> {
    check_scope(ctx, &req.scope)?;
    if req.server.is_empty() {
        return Err(Error::fail("Missing server argument"));
    }
    if req.username.is_empty() {
        return Err(Error::fail("Missing username argument"));
    }
    if req.password.is_empty() {
        return Err(Error::fail("Missing password argument"));
    }
    if req.deprecated_global {
        ctx.out.warn(DEPRECATED_GLOBAL);
    }
    let server = match req.server.as_str() {
        "hub.docker.com" | "docker.io" => String::new(),
        s => s.to_string(),
    };
    let auth = RegistryAuth {
        server: auth_key(&server),
        username: req.username.clone(),
        password: req.password.clone(),
    };
    let engine = ctx.engine()?;
    match engine.registry_login(&auth) {
        Ok(status) => {
            let dir = config_dir(ctx, &req.scope);
            let mut config = credentials::load(&dir);
            config.set_auth(&auth);
            save(&dir, &config)?;
            // What `docker login` says when it keeps the password in the
            // file rather than a credential helper.
            ctx.out.write_err(&format!(
                "WARNING! Your password will be stored unencrypted in {}.\n\
                 Configure a credential helper to remove this warning. See\n\
                 https://docs.docker.com/engine/reference/commandline/login/#credentials-store\n\n",
                dir.join("config.json").display()
            ));
            ctx.out.line(&status);
        }
        Err(e) => {
            ctx.out
                .write_err(&format!("Error response from daemon: {e}\n"));
            return Err(Error::fail("Failed to log into registry"));
        }
    }
    ctx.bus.notify(
        ctx,
        &PostRegistryLogin {
            server,
            user: req.username.clone(),
            password: req.password.clone(),
        },
    )
}

/// Forget the stored credentials of a server, as `docker logout` does.
pub fn logout(ctx: &Ctx, scope: &Scope, server: &str, deprecated_global: bool) -> Result<()> {
    check_scope(ctx, scope)?;
    if server.is_empty() {
        return Err(Error::fail("Missing server argument"));
    }
    if deprecated_global {
        ctx.out.warn(DEPRECATED_GLOBAL_LOGOUT);
    }
    let dir = config_dir(ctx, scope);
    let mut config = credentials::load(&dir);
    let key = auth_key(server);
    if !config.remove_auth(server) {
        ctx.out.line(&format!("Not logged in to {key}"));
        return Ok(());
    }
    ctx.out
        .line(&format!("Removing login credentials for {key}"));
    save(&dir, &config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::args::owned;

    #[test]
    fn login_forms() {
        let (s, rest, dep) =
            split_login(&owned(&["app", "srv", "u", "p"]), false, true).expect("ok");
        assert_eq!(
            (s, rest, dep),
            (Scope::App("app".into()), owned(&["srv", "u", "p"]), false)
        );
        let (s, _, dep) = split_login(&owned(&["srv", "u", "p"]), false, true).expect("ok");
        assert_eq!((s, dep), (Scope::Global, true));
        let (s, rest, dep) = split_login(&owned(&["app", "srv", "u"]), false, false).expect("ok");
        assert_eq!(
            (s, rest, dep),
            (Scope::App("app".into()), owned(&["srv", "u"]), false)
        );
        let (s, _, dep) = split_login(&owned(&["srv", "u", "p"]), true, true).expect("ok");
        assert_eq!((s, dep), (Scope::Global, false));
    }
}
