//! The rest of Dokku's triggers (development/plugin-triggers.md): the
//! app helpers other plugins ask the apps plugin, the per-builder forms of
//! the build and release notices, container and restore notices, cron,
//! storage entries, the template sources of the proxies Dokku ships as
//! community plugins, and the plugin-management ones. Names and argument
//! order are Dokku's; `docs/triggers.md` says who fires and answers each.

use dokku_core::Result;

use crate::bus::{Dispatch, Trigger};
use crate::triggers::{arg, trigger};

// ---- apps ----

trigger! {
    /// Create an app, as `apps:create` does (answered by apps).
    AppCreate = "app-create", Notify -> () { app };
    /// Destroy an app without asking, as `apps:destroy --force` does
    /// (answered by apps).
    AppDestroy = "app-destroy", Notify -> () { app };
    /// Fails unless the app exists (answered by apps).
    AppExists = "app-exists", Notify -> () { app };
    /// Every app, one a line; `filtered` (default `true`) passes the list
    /// through `user-auth-app`, `false` lists them all (answered by apps).
    AppList = "app-list", Collect -> Vec<String> { filtered = "true" };
    /// Fails unless the app.json file at the path is valid for the app
    /// (answered by app-json).
    AppJsonIsValid = "app-json-is-valid", Notify -> () { app, app_json_path };
}

/// The apps the current user may see, of `apps`: passed through the
/// `user-auth-app` trigger when anyone answers it (each non-empty answer
/// line is an allowed app), else all of them. The user is `SSH_USER`
/// (else the user running the command) and `SSH_NAME` (else `default`).
pub fn filter_apps(ctx: &crate::Ctx, apps: Vec<String>) -> Result<Vec<String>> {
    let t = crate::triggers::UserAuthApp::NAME;
    if !ctx.bus.has_subscribers(ctx, t) {
        return Ok(apps);
    }
    let ask = crate::triggers::UserAuthApp {
        ssh_user: std::env::var("SSH_USER")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(dokku_core::system::current_user_name),
        ssh_name: std::env::var("SSH_NAME")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".into()),
        apps,
    };
    Ok(ctx.bus.collect(ctx, &ask)?.into_iter().flatten().collect())
}

// ---- builders ----

trigger! {
    /// The base image a builder is about to use may be replaced: a
    /// non-empty answer is the image to use instead.
    BuilderDokkuImage = "builder-dokku-image", Collect -> String { builder_type, app, source_work_dir, dokku_image };
    /// Told which base image a builder will build with, before the build.
    BuilderCreateDokkuImage = "builder-create-dokku-image", Notify -> () { builder_type, app, source_work_dir, dokku_image };
    /// Whether herokuish may build the app on this host (answered by
    /// builder-herokuish).
    BuilderHerokuishAllowed = "builder-herokuish-allowed", Collect -> bool { app };
    /// Whether an image of the app was made by a cloud native buildpack
    /// (answered by builder-pack).
    BuilderImageIsCnb = "builder-image-is-cnb", Collect -> bool { app, image_tag };
    /// Whether an image of the app was made by herokuish (answered by
    /// builder-herokuish).
    BuilderImageIsHerokuish = "builder-image-is-herokuish", Collect -> bool { app, image_tag };
    /// Before a herokuish build, after `pre-build`.
    PreBuildBuildpack = "pre-build-buildpack", Notify -> () { app, source_work_dir };
    /// After a herokuish build, after `post-build`.
    PostBuildBuildpack = "post-build-buildpack", Notify -> () { app, source_work_dir };
    /// Before a herokuish release, after `pre-release-builder`.
    PreReleaseBuildpack = "pre-release-buildpack", Notify -> () { app, image_tag };
    /// Deprecated: before a Dockerfile build, after `pre-build` (only fired
    /// when some plugin answers it, with a warning).
    PreBuildDockerfile = "pre-build-dockerfile", Notify -> () { app };
    /// Deprecated: after a Dockerfile build, after `post-build`.
    PostBuildDockerfile = "post-build-dockerfile", Notify -> () { app };
    /// Deprecated: before a Dockerfile release, after `pre-release-builder`.
    PreReleaseDockerfile = "pre-release-dockerfile", Notify -> () { app, image_tag };
    /// Before a lambda build (no core lambda builder here).
    PreBuildLambda = "pre-build-lambda", Notify -> () { app, source_work_dir };
    /// After a lambda build (no core lambda builder here).
    PostBuildLambda = "post-build-lambda", Notify -> () { app, source_work_dir };
    /// Before a lambda release (no core lambda builder here).
    PreReleaseLambda = "pre-release-lambda", Notify -> () { app, image_tag };
    /// Before a cloud native buildpack build, after `pre-build`.
    PreBuildPack = "pre-build-pack", Notify -> () { app, source_work_dir };
    /// After a cloud native buildpack build, after `post-build`.
    PostBuildPack = "post-build-pack", Notify -> () { app, source_work_dir };
    /// Before a cloud native buildpack release, after `pre-release-builder`.
    PreReleasePack = "pre-release-pack", Notify -> () { app, image_tag };
    /// After the buildpack stack of an app changed (no core buildpacks
    /// plugin here).
    PostStackSet = "post-stack-set", Notify -> () { app, value };
}

// ---- containers, restore, cron ----

trigger! {
    /// A container was created and is not started yet: `kind` is `app`
    /// (or `service` for community services), `phase` is `build`, `deploy`
    /// or `run`.
    PostContainerCreate = "post-container-create", Notify -> () { kind, container_id, app, phase };
    /// Before `ps:restore --all` restores the apps; no arguments.
    PreRestore = "pre-restore", Notify -> () {};
    /// After a scheduler started the containers of one process type.
    SchedulerPostDeployProcess = "scheduler-post-deploy-process", Notify -> () { app, process_type };
    /// Show the logs of the app's proxy: `log_type` is `access` or `error`
    /// (the options default to no tail and all lines).
    SchedulerProxyLogs = "scheduler-proxy-logs", Select -> () { scheduler, app, proxy_type, log_type, tail: bool, num = "0" };
}

// ---- git and the deployed image ----

trigger! {
    /// A branch other than the deploy branch was pushed.
    ReceiveBranch = "receive-branch", Notify -> () { app, rev, refname };
    /// The registry host the app's image is pushed to and pulled from,
    /// with a trailing `/` (empty for a local image).
    DeployedAppRepository = "deployed-app-repository", Collect -> String { app };
    /// The revision the app's deploy branch points at (answered by git).
    GitRevision = "git-revision", Collect -> String { app };
    /// Commit an archive's contents to the app's repository and build.
    GitFromArchive = "git-from-archive", Notify -> () { app, archive_url, archive_type, user_name = "Dokku", user_email = "automated@dokku.sh" };
    /// Commit a directory to the app's repository and build.
    GitFromDirectory = "git-from-directory", Notify -> () { app, source_work_dir, user_name = "Dokku", user_email = "automated@dokku.sh" };
    /// Commit a Dockerfile naming an image to the app's repository and
    /// build.
    GitFromImage = "git-from-image", Notify -> () { app, docker_image, build_dir, user_name = "Dokku", user_email = "automated@dokku.sh" };
}
/// After `registry:login` stored credentials the registry accepted.
/// External plugins also get the password as `DOCKER_REGISTRY_PASS`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct PostRegistryLogin {
    /// The registry server (empty for Docker Hub).
    pub server: String,
    /// The user name.
    pub user: String,
    /// The password (environment only).
    pub password: String,
}

impl std::fmt::Debug for PostRegistryLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostRegistryLogin")
            .field("server", &self.server)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl crate::bus::NotifyTrigger for PostRegistryLogin {}

impl Trigger for PostRegistryLogin {
    const NAME: &'static str = "post-registry-login";
    const DISPATCH: Dispatch = Dispatch::Notify;
    type Output = ();

    fn to_args(&self) -> Vec<String> {
        vec![self.server.clone(), self.user.clone()]
    }

    fn from_args(args: &[String]) -> Result<Self> {
        Ok(PostRegistryLogin {
            server: arg(args, 0, "server", Self::NAME)?,
            user: arg(args, 1, "user", Self::NAME)?,
            password: std::env::var("DOCKER_REGISTRY_PASS").unwrap_or_default(),
        })
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![("DOCKER_REGISTRY_PASS".to_string(), self.password.clone())]
    }
}

// ---- traffic ----

trigger! {
    /// A port above 1024 nothing listens on (answered by ports).
    PortsGetAvailable = "ports-get-available", Collect -> String { app };
    /// One ports property of an app (answered by ports).
    PortsGetProperty = "ports-get-property", Collect -> String { app, key };
    /// The certificate (`crt`) or key (`key`) file of an app, as a path
    /// (answered by certs).
    CertsGet = "certs-get", Collect -> String { app, key_type };
    /// Disable the app's vhost domains (answered by domains).
    DomainsDisable = "domains-disable", Notify -> () { app, restart_app: bool };
    /// Enable the app's vhost domains (answered by domains).
    DomainsEnable = "domains-enable", Notify -> () { app, restart_app: bool };
    /// Write the network configuration a proxy needs for the app.
    NetworkBuildConfig = "network-build-config", Notify -> () { app };
    /// Forget the network configuration of the app.
    NetworkClearConfig = "network-clear-config", Notify -> () { app };
    /// Whether network configuration exists for the app (answered by
    /// network).
    NetworkConfigExists = "network-config-exists", Collect -> bool { app };
    /// The IP address of one container of the app (answered by network).
    NetworkGetIpaddr = "network-get-ipaddr", Collect -> String { app, proc_type, container_id };
    /// The static `host:port` listeners of a process type (answered by
    /// network).
    NetworkGetStaticListeners = "network-get-static-listeners", Collect -> Vec<String> { app, process_type };
    /// A caddy template for the app (caddy-vhosts is a community plugin).
    CaddyTemplateSource = "caddy-template-source", Collect -> String { app };
    /// A haproxy template for the app (haproxy-vhosts is a community
    /// plugin).
    HaproxyTemplateSource = "haproxy-template-source", Collect -> String { app };
    /// An openresty template for the app (openresty-vhosts is a community
    /// plugin).
    OpenrestyTemplateSource = "openresty-template-source", Collect -> String { app };
    /// A traefik template for the app (traefik-vhosts is a community
    /// plugin).
    TraefikTemplateSource = "traefik-template-source", Collect -> String { app };
    /// A vector template (no arguments).
    VectorTemplateSource = "vector-template-source", Collect -> String {};
}

// ---- storage entries ----

trigger! {
    /// A storage entry was created or changed; `entry` is the entry as
    /// JSON, on stdin.
    StorageCreate = "storage-create", Notify -> () { entry_name }, stdin = entry;
    /// A storage entry is being destroyed; `entry` is the entry as JSON,
    /// on stdin.
    StorageDestroy = "storage-destroy", Notify -> () { entry_name }, stdin = entry;
    /// The state of a storage entry's backing volume (`Bound`, `Pending`,
    /// `Lost`); `entry` is the entry as JSON, on stdin.
    StorageStatus = "storage-status", Collect -> String { entry_name }, stdin = entry;
    /// Run a command against a storage entry in a container of an image.
    /// `command` is the flags (`--interactive`, `--tty`, `--as-user
    /// <uid>`), then `--` and the command (none: a shell). The handler's
    /// failure carries the command's exit status.
    SchedulerStorageExec = "scheduler-storage-exec", Select -> () { scheduler, entry_name, image; ..command };
    /// Ours, not in Dokku's list, so internal-only: a storage entry as the
    /// registry keeps it (JSON), empty when there is none (answered by
    /// storage), for the scheduler handling `scheduler-storage-exec`.
    StorageEntryGet = "storage-entry-get", Collect -> String { entry_name }, internal = true;
}

// ---- plugin management ----

trigger! {
    /// `plugin:uninstall` tells every plugin which one is going.
    Uninstall = "uninstall", Notify -> () { plugin };
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::args::owned;

    #[test]
    fn missing_trailing_arguments_take_dokku_defaults() {
        assert_eq!(AppList::from_args(&[]).expect("parse").filtered, "true");
        assert_eq!(
            AppList::from_args(&owned(&["false"]))
                .expect("parse")
                .filtered,
            "false"
        );
        let g = GitFromImage::from_args(&owned(&["a", "img"])).expect("parse");
        assert_eq!(
            g.to_args(),
            owned(&["a", "img", "", "Dokku", "automated@dokku.sh"])
        );
        let d = DomainsEnable::from_args(&owned(&["a"])).expect("parse");
        assert!(!d.restart_app);
        let p = SchedulerProxyLogs::from_args(&owned(&["docker-local", "a", "nginx", "error"]))
            .expect("parse");
        assert_eq!(p.num, "0");
        assert!(!p.tail);
        assert_eq!(p.selector(), Some("docker-local"));
        assert_eq!(
            PreRestore::from_args(&owned(&["x"])).expect("parse"),
            PreRestore {}
        );
    }
}
