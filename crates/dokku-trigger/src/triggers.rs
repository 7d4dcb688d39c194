//! Trigger definitions: one struct per Dokku trigger, with its arguments in
//! Dokku's order and its result type. Names follow Dokku's
//! (development/plugin-triggers.md), in UpperCamel.

use dokku_core::{Error, Result};

use crate::bus::{Dispatch, Trigger};

/// Argument `i` of an external call. A missing trailing argument is the
/// empty string, as Go's `flag.Arg` and bash's `"$N"` make it.
pub(crate) fn arg(args: &[String], i: usize, _name: &str, _trigger: &str) -> Result<String> {
    Ok(args.get(i).cloned().unwrap_or_default())
}

/// One positional argument of a trigger, as external plugins see it.
pub trait TriggerArg: Sized {
    /// The argument as passed to an executable.
    fn to_arg(&self) -> String;
    /// The value of an argument given by an external caller.
    fn from_arg(s: String) -> Self;
}

impl TriggerArg for String {
    fn to_arg(&self) -> String {
        self.clone()
    }
    fn from_arg(s: String) -> Self {
        s
    }
}

/// Flags travel as `true`/`false`; anything Go's `strconv.ParseBool` takes
/// for true counts as true, everything else (empty included) as false.
impl TriggerArg for bool {
    fn to_arg(&self) -> String {
        self.to_string()
    }
    fn from_arg(s: String) -> Self {
        matches!(s.as_str(), "true" | "1" | "t" | "T" | "TRUE" | "True")
    }
}

/// Declares a trigger struct whose fields are strings unless typed
/// (`flag: bool`), optionally ending in a variadic `Vec<String>`.
/// `field = "x"` gives a missing or empty argument of an external call the
/// default `x`. The dispatch kind becomes
/// a marker trait, so the bus only lets the trigger be called its way.
/// After the arguments, `, stdin = field` declares a string field that is
/// no argument but the payload external plugins read on stdin, and
/// `, internal = true` a trigger never run for external plugins.
/// One invocation declares any number of triggers, each ending in `;`.
macro_rules! trigger {
    ($($(#[$m:meta])* $ty:ident = $name:literal, $kind:ident -> $out:ty { $($body:tt)* } $(, $opt:ident = $val:tt)*);+ $(;)?) => {
        $(trigger!(@one $(#[$m])* $ty = $name, $kind -> $out { $($body)* } $(, $opt = $val)*);)+
    };
    (@one $(#[$m:meta])* $ty:ident = $name:literal, $kind:ident -> $out:ty { $($field:ident $(: $fty:ty)? $(= $def:literal)?),* $(; ..$rest:ident)? } $(, stdin = $payload:ident)? $(, internal = $internal:literal)?) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $ty {
            $(#[allow(missing_docs)] pub $field: trigger!(@ty $($fty)?),)*
            $(#[allow(missing_docs)] pub $rest: Vec<String>,)?
            $(
                /// What external plugins read on stdin (not an argument).
                pub $payload: String,
            )?
        }

        impl Trigger for $ty {
            const NAME: &'static str = $name;
            const DISPATCH: Dispatch = Dispatch::$kind;
            $(const INTERNAL: bool = $internal;)?
            type Output = $out;

            $(
                fn stdin(&self) -> Option<&[u8]> {
                    Some(self.$payload.as_bytes())
                }
            )?

            fn to_args(&self) -> Vec<String> {
                #[allow(unused_mut)]
                let mut v: Vec<String> =
                    vec![$($crate::triggers::TriggerArg::to_arg(&self.$field)),*];
                $(v.extend(self.$rest.iter().cloned());)?
                v
            }

            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn from_args(args: &[String]) -> Result<Self> {
                let mut i = 0usize;
                $(
                    let $field = {
                        let v = arg(args, i, stringify!($field), $name)?;
                        $(let v = if v.is_empty() { $def.to_string() } else { v };)?
                        $crate::triggers::TriggerArg::from_arg(v)
                    };
                    i += 1;
                )*
                Ok($ty {
                    $($field,)*
                    $($rest: args.get(i..).map(<[String]>::to_vec).unwrap_or_default(),)?
                    $($payload: String::new(),)?
                })
            }

            fn selector(&self) -> Option<&str> {
                trigger!(@sel self $($field)*)
            }
        }

        trigger!(@kind $ty $kind);
    };
    (@ty) => { String };
    (@ty $t:ty) => { $t };
    (@kind $ty:ident Notify) => { impl crate::bus::NotifyTrigger for $ty {} };
    (@kind $ty:ident Collect) => { impl crate::bus::CollectTrigger for $ty {} };
    (@kind $ty:ident Select) => { impl crate::bus::SelectTrigger for $ty {} };
    (@sel $s:ident scheduler $($more:ident)*) => { Some($s.scheduler.as_str()) };
    (@sel $s:ident builder_type $($more:ident)*) => { Some($s.builder_type.as_str()) };
    (@sel $s:ident $($any:ident)*) => { None };
}
pub(crate) use trigger;

trigger! {
    /// After `apps:create` made the app.
    PostCreate = "post-create", Notify -> () { app };
    /// Before `apps:destroy` removes the app.
    PreDelete = "pre-delete", Notify -> () { app, image_tag };
    /// After `apps:destroy` removed the app.
    PostDelete = "post-delete", Notify -> () { app, image_tag };
    /// After `apps:rename` set up the new app, before any rebuild: copy state.
    PostAppRenameSetup = "post-app-rename-setup", Notify -> () { old_app, new_app };
    /// After `apps:rename` finished.
    PostAppRename = "post-app-rename", Notify -> () { old_app, new_app };
    /// After `apps:clone` set up the new app, before any rebuild: copy state.
    PostAppCloneSetup = "post-app-clone-setup", Notify -> () { old_app, new_app };
    /// After `apps:clone` finished.
    PostAppClone = "post-app-clone", Notify -> () { old_app, new_app };
    /// After env vars were set, unset or cleared: action is `set`, `unset`
    /// or `clear`, followed by the pairs or keys.
    PostConfigUpdate = "post-config-update", Notify -> () { app, action; ..items };
    /// Restart a deployed app (answered by the deploy machinery).
    AppRestart = "app-restart", Notify -> () { app };
    /// Rebuild and deploy an app from its current source (answered by the
    /// deploy machinery).
    AppRebuild = "app-rebuild", Notify -> () { app }, internal = true;
    /// Export an app's (or the global) environment in a format.
    ConfigExport = "config-export", Collect -> String { app, global, merged, format };
}
impl ConfigExport {
    /// An app's environment with the global values merged under the app's,
    /// as the config plugin answers `config-export <app> false true json`.
    pub fn merged_env(
        ctx: &crate::Ctx,
        app: &str,
    ) -> Result<std::collections::BTreeMap<String, String>> {
        let t = ConfigExport {
            app: app.into(),
            global: "false".into(),
            merged: "true".into(),
            format: "json".into(),
        };
        let answer = ctx
            .bus
            .collect(ctx, &t)?
            .into_iter()
            .map(|a| a.trim().to_string())
            .find(|a| !a.is_empty());
        let Some(json) = answer else {
            return Ok(Default::default());
        };
        let map: std::collections::BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&json)
                .map_err(|e| Error::other("read app env from config-export", e))?;
        Ok(map
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect())
    }

    /// [`ConfigExport::merged_env`] as `KEY=VALUE` strings, for containers.
    pub fn merged_env_pairs(ctx: &crate::Ctx, app: &str) -> Result<Vec<String>> {
        Ok(Self::merged_env(ctx, app)?
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect())
    }
}

trigger! {
    /// One app env value.
    ConfigGet = "config-get", Collect -> String { app, key };
    /// One global env value.
    ConfigGetGlobal = "config-get-global", Collect -> String { key };
    /// `plugin:install` asks every plugin to set itself up.
    Install = "install", Notify -> () {};
    /// `plugin:update` asks every plugin to update.
    Update = "update", Notify -> () {};
    /// `plugin:install-dependencies` asks for system packages.
    Dependencies = "dependencies", Notify -> () {};
    /// `dokku report <app>`: each plugin prints its report.
    Report = "report", Notify -> () { app };
    /// Run on every command: a non-zero exit denies it.
    UserAuth = "user-auth", Notify -> () { ssh_user, ssh_name; ..command };
    /// Filters which apps a user sees: each non-empty stdout line is an
    /// allowed app name.
    UserAuthApp = "user-auth-app", Collect -> Vec<String> { ssh_user, ssh_name; ..apps };
    /// Create the app unless it exists, as a first `git push` does; refused
    /// when `apps:set --global disable-autocreation true` is set (answered
    /// by apps). Must print nothing on stdout: during a push, stdout is the
    /// git protocol stream.
    AppMaybeCreate = "app-maybe-create", Notify -> () { app };
    /// Whether the app is locked for deploys (answered by apps).
    AppIsLocked = "apps-is-locked", Collect -> bool { app }, internal = true;
}

trigger! {
    /// Drain the pre-0.38 `ENV` files into the config plugin's property
    /// path (answered by config; other plugins call it before reading
    /// deprecated variables).
    ConfigMigrateEnv = "config-migrate-env", Notify -> () {};
}

/// Set env vars of an app, or `--global` (answered by config): an optional
/// leading `--no-restart`, the app, then `KEY=VALUE` pairs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigSet {
    /// Skip the restart that follows the change.
    pub no_restart: bool,
    /// The app, or `--global`.
    pub app: String,
    /// `KEY=VALUE` pairs.
    pub pairs: Vec<String>,
}

impl crate::bus::NotifyTrigger for ConfigSet {}

impl Trigger for ConfigSet {
    const NAME: &'static str = "config-set";
    const DISPATCH: Dispatch = Dispatch::Notify;
    type Output = ();

    fn to_args(&self) -> Vec<String> {
        let mut v = Vec::with_capacity(self.pairs.len() + 2);
        if self.no_restart {
            v.push("--no-restart".to_string());
        }
        v.push(self.app.clone());
        v.extend(self.pairs.iter().cloned());
        v
    }

    fn from_args(args: &[String]) -> Result<Self> {
        let (no_restart, rest) = match args.first().map(String::as_str) {
            Some("--no-restart") => (true, &args[1..]),
            _ => (false, args),
        };
        let app = arg(rest, 0, "app", Self::NAME)?;
        Ok(ConfigSet {
            no_restart,
            app,
            pairs: rest.get(1..).map(<[String]>::to_vec).unwrap_or_default(),
        })
    }
}

/// Unset one env var of an app, or the global one (answered by config):
/// `APP KEY [RESTART]` or `--global KEY [RESTART]`. No restart unless
/// `RESTART` is given and non-empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigUnset {
    /// The global environment instead of an app's.
    pub global: bool,
    /// The app (ignored with `global`).
    pub app: String,
    /// The variable.
    pub key: String,
    /// Restart the app afterwards when non-empty.
    pub restart: String,
}

impl crate::bus::NotifyTrigger for ConfigUnset {}

impl Trigger for ConfigUnset {
    const NAME: &'static str = "config-unset";
    const DISPATCH: Dispatch = Dispatch::Notify;
    type Output = ();

    fn to_args(&self) -> Vec<String> {
        let mut v = Vec::with_capacity(4);
        if self.global {
            v.push("--global".to_string());
        } else {
            v.push(self.app.clone());
        }
        v.push(self.key.clone());
        if !self.restart.is_empty() {
            v.push(self.restart.clone());
        }
        v
    }

    fn from_args(args: &[String]) -> Result<Self> {
        let global = args.first().map(String::as_str) == Some("--global");
        let rest = if global { &args[1..] } else { args };
        // As with config-get, `--global` takes the place of the app.
        let (app, rest) = if global {
            (String::new(), rest)
        } else {
            (arg(rest, 0, "app", Self::NAME)?, &rest[1..])
        };
        Ok(ConfigUnset {
            global,
            app,
            key: arg(rest, 0, "key", Self::NAME)?,
            restart: rest.get(1).cloned().unwrap_or_default(),
        })
    }
}

// ---- container arguments: mounts and docker options (storage, docker-options) ----

/// The magic process type of options and mounts that apply to every process.
pub const DEFAULT_PROCESS_TYPE: &str = "_default_";

/// One `--volume source:target[:options]` a plugin contributes to a
/// container: a host directory (absolute `source`) or a docker volume name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VolumeMount {
    /// The storage entry it comes from; empty for a raw `-v` docker option.
    pub entry_name: String,
    /// Absolute host path, or docker volume name.
    pub source: String,
    /// Absolute path inside the container.
    pub target: String,
    /// Mounted read-only (`ro`).
    pub readonly: bool,
    /// Further mount options, comma-separated, verbatim (`Z`, `noexec,nosuid`).
    pub options: String,
    /// Sub-directory of the source to mount (schedulers that support it).
    pub subpath: String,
    /// Ownership the scheduler should give the source before use
    /// (`herokuish`, `heroku`, `paketo`, `root`, a uid), empty for none.
    pub chown: String,
}

/// The uid (and gid) a `--chown` value stands for; `None` for `false`.
pub fn chown_id(value: &str) -> dokku_core::Result<Option<u32>> {
    let id = match value {
        "herokuish" => 32767,
        "heroku" => 1000,
        "paketo" | "packeto" => 2000,
        "root" => 0,
        "false" => return Ok(None),
        v if !v.is_empty() && v.len() <= 5 && v.bytes().all(|b| b.is_ascii_digit()) => {
            match v.parse::<u32>() {
                Ok(n) if n <= 65535 => n,
                _ => return Err(unsupported_chown()),
            }
        }
        _ => return Err(unsupported_chown()),
    };
    Ok(Some(id))
}

fn unsupported_chown() -> dokku_core::Error {
    dokku_core::Error::fail("Unsupported chown permissions")
}

impl VolumeMount {
    /// The uid (and gid) the scheduler should give the source before use,
    /// if any.
    pub fn chown_uid(&self) -> dokku_core::Result<Option<u32>> {
        if self.chown.is_empty() {
            return Ok(None);
        }
        chown_id(&self.chown)
    }

    /// Whether the source is a host path rather than a docker volume.
    pub fn is_bind(&self) -> bool {
        self.source.starts_with('/')
    }

    /// The mount options as docker takes them after the second colon:
    /// `ro` first when read-only, then the verbatim options.
    pub fn mount_options(&self) -> String {
        match (self.readonly, self.options.is_empty()) {
            (true, true) => "ro".to_string(),
            (true, false) => format!("ro,{}", self.options),
            (false, _) => self.options.clone(),
        }
    }

    /// `source:target[:options]`, the value of a `-v` flag.
    pub fn to_volume_arg(&self) -> String {
        let opts = self.mount_options();
        if opts.is_empty() {
            format!("{}:{}", self.source, self.target)
        } else {
            format!("{}:{}:{opts}", self.source, self.target)
        }
    }
}

/// What the plugins contribute to the containers of one app, phase and
/// process type: volume mounts, and the other docker options, each a group
/// of shell words as stored by `docker-options:add` (`--ulimit nofile=12`).
/// External plugins answer with a string of docker arguments, kept as one
/// option.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerArgs {
    /// Volume mounts, in order.
    pub mounts: Vec<VolumeMount>,
    /// Other docker options, in order.
    pub options: Vec<String>,
}

impl ContainerArgs {
    /// All answers of a collect, in plugin order, as one.
    pub fn merge(parts: Vec<ContainerArgs>) -> ContainerArgs {
        let mut all = ContainerArgs::default();
        for p in parts {
            all.mounts.extend(p.mounts);
            all.options.extend(p.options);
        }
        all
    }

    /// Docker's command-line form, as Dokku's `docker-args-*` triggers print
    /// it: `-v a:b -v c:d --ulimit nofile=12`.
    pub fn to_docker_args(&self) -> String {
        let mut words: Vec<String> = self
            .mounts
            .iter()
            .map(|m| format!("-v {}", m.to_volume_arg()))
            .collect();
        words.extend(
            self.options
                .iter()
                .filter(|o| !o.trim().is_empty())
                .cloned(),
        );
        words.join(" ")
    }
}

impl crate::bus::TriggerOutput for ContainerArgs {
    const CAPTURE: bool = true;
    fn from_stdout(stdout: &str) -> Self {
        let s = stdout.trim();
        ContainerArgs {
            mounts: Vec::new(),
            options: if s.is_empty() {
                Vec::new()
            } else {
                vec![s.to_string()]
            },
        }
    }
    fn to_stdout(&self) -> String {
        let s = self.to_docker_args();
        if s.is_empty() {
            String::new()
        } else {
            format!(" {s}")
        }
    }
}

trigger! {
    /// Docker arguments for the build containers of an app (answered by
    /// docker-options and storage).
    DockerArgsProcessBuild = "docker-args-process-build", Collect -> ContainerArgs { app, image_source_type };
    /// Docker arguments for one-off `run` and cron containers of an app
    /// (answered by docker-options and storage).
    DockerArgsProcessRun = "docker-args-process-run", Collect -> ContainerArgs { app, image_source_type, image_tag };
}

/// Docker arguments for the deployed containers of one process type of an
/// app (answered by docker-options and storage). An empty `proc_type` or
/// `_default_` asks for what applies to every process type only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DockerArgsProcessDeploy {
    /// The app.
    pub app: String,
    /// `herokuish`, `dockerfile`, `pack`, ...
    pub image_source_type: String,
    /// The image tag being deployed.
    pub image_tag: String,
    /// The process type (`web`), optional.
    pub proc_type: String,
    /// The container index (`1`), optional.
    pub container_index: String,
}

impl crate::bus::CollectTrigger for DockerArgsProcessDeploy {}

impl Trigger for DockerArgsProcessDeploy {
    const NAME: &'static str = "docker-args-process-deploy";
    const DISPATCH: Dispatch = Dispatch::Collect;
    type Output = ContainerArgs;

    fn to_args(&self) -> Vec<String> {
        let mut v = vec![
            self.app.clone(),
            self.image_source_type.clone(),
            self.image_tag.clone(),
        ];
        if !self.proc_type.is_empty() || !self.container_index.is_empty() {
            v.push(self.proc_type.clone());
            v.push(self.container_index.clone());
        }
        v
    }

    fn from_args(args: &[String]) -> Result<Self> {
        let opt = |i: usize| args.get(i).cloned().unwrap_or_default();
        Ok(DockerArgsProcessDeploy {
            app: arg(args, 0, "app", Self::NAME)?,
            image_source_type: opt(1),
            image_tag: opt(2),
            proc_type: opt(3),
            container_index: opt(4),
        })
    }
}

trigger! {
    /// Deprecated form of `docker-args-process-build` that community
    /// plugins may still answer: extra `docker build`/`run` arguments.
    DockerArgsBuild = "docker-args-build", Collect -> ContainerArgs { app, image_source_type };
    /// Deprecated form of `docker-args-process-deploy`: extra arguments for
    /// deploy containers (process type and index may follow).
    DockerArgsDeploy = "docker-args-deploy", Collect -> ContainerArgs { app, image_tag; ..process };
    /// Deprecated form of `docker-args-process-run`: extra arguments for
    /// one-off containers.
    DockerArgsRun = "docker-args-run", Collect -> ContainerArgs { app, image_tag };
}

impl DockerArgsProcessBuild {
    /// Everything every plugin adds to a build, from this trigger and its
    /// deprecated `docker-args-build` form.
    pub fn collect_all(&self, ctx: &crate::Ctx) -> Result<ContainerArgs> {
        let mut parts = ctx.bus.collect(ctx, self)?;
        let old = DockerArgsBuild {
            app: self.app.clone(),
            image_source_type: self.image_source_type.clone(),
        };
        parts.extend(ctx.bus.collect(ctx, &old)?);
        Ok(ContainerArgs::merge(parts))
    }
}

impl DockerArgsProcessDeploy {
    /// Everything every plugin adds to a deploy container, from this trigger
    /// and its deprecated `docker-args-deploy` form.
    pub fn collect_all(&self, ctx: &crate::Ctx) -> Result<ContainerArgs> {
        let mut parts = ctx.bus.collect(ctx, self)?;
        let mut process = Vec::new();
        if !self.proc_type.is_empty() || !self.container_index.is_empty() {
            process = vec![self.proc_type.clone(), self.container_index.clone()];
        }
        let old = DockerArgsDeploy {
            app: self.app.clone(),
            image_tag: self.image_tag.clone(),
            process,
        };
        parts.extend(ctx.bus.collect(ctx, &old)?);
        Ok(ContainerArgs::merge(parts))
    }
}

impl DockerArgsProcessRun {
    /// Everything every plugin adds to a one-off container, from this
    /// trigger and its deprecated `docker-args-run` form.
    pub fn collect_all(&self, ctx: &crate::Ctx) -> Result<ContainerArgs> {
        let mut parts = ctx.bus.collect(ctx, self)?;
        let old = DockerArgsRun {
            app: self.app.clone(),
            image_tag: self.image_tag.clone(),
        };
        parts.extend(ctx.bus.collect(ctx, &old)?);
        Ok(ContainerArgs::merge(parts))
    }
}

trigger! {
    /// The storage entries an app mounts in a phase, as a JSON array of
    /// `{"entry": ..., "attachment": ...}` objects (answered by storage).
    StorageAppMounts = "storage-app-mounts", Collect -> String { app, phase = "deploy" };
    /// Deprecated: an app's mounts for a phase, one `host:container` per
    /// line, or JSON with format `json` (answered by storage).
    StorageList = "storage-list", Collect -> String { app, phase = "deploy", format };
}

/// One option stored by docker-options, with the scope it is stored in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopedOption {
    /// `build`, `deploy` or `run`.
    pub phase: String,
    /// A process type, or `_default_`.
    pub process_type: String,
    /// The option as stored (`-v /a:/b`).
    pub option: String,
}

impl crate::bus::TriggerOutput for Vec<ScopedOption> {
    const CAPTURE: bool = true;
    fn from_stdout(stdout: &str) -> Self {
        stdout
            .lines()
            .filter_map(|l| {
                let mut it = l.splitn(3, '\t');
                let phase = it.next()?.to_string();
                let process_type = it.next()?.to_string();
                let option = it.next()?.to_string();
                Some(ScopedOption {
                    phase,
                    process_type,
                    option,
                })
            })
            .collect()
    }
    fn to_stdout(&self) -> String {
        self.iter()
            .map(|o| format!("{}\t{}\t{}\n", o.phase, o.process_type, o.option))
            .collect()
    }
}

trigger! {
    /// Every volume option (`-v`, `--volume`) docker-options stores for an
    /// app, in every phase and process scope (answered by docker-options;
    /// the storage migration reads it). One `phase<TAB>process<TAB>option`
    /// line each for external callers.
    DockerOptionsVolumes = "docker-options-volumes", Collect -> Vec<ScopedOption> { app }, internal = true;
    /// Every option docker-options stores for an app, in every phase and
    /// process scope (answered by docker-options; install-time migrations
    /// of other plugins read it).
    DockerOptionsList = "docker-options-list", Collect -> Vec<ScopedOption> { app };
    /// Remove stored options, matched exactly, from one phase and process
    /// scope of an app (answered by docker-options).
    DockerOptionsRemove = "docker-options-remove", Notify -> () { app, phase, process_type; ..options }, internal = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_round_trip_in_dokku_order() {
        let t = PostConfigUpdate {
            app: "a".into(),
            action: "set".into(),
            items: vec!["K=V".into(), "X=Y".into()],
        };
        let args = t.to_args();
        assert_eq!(args, vec!["a", "set", "K=V", "X=Y"]);
        assert_eq!(PostConfigUpdate::from_args(&args).expect("parse"), t);
        // Missing trailing arguments are empty, as for Dokku's triggers,
        // or take the trigger's default.
        assert_eq!(
            PostCreate::from_args(&[]).expect("empty"),
            PostCreate::default()
        );
        assert_eq!(
            StorageAppMounts::from_args(&["a".into()]).expect("default phase"),
            StorageAppMounts {
                app: "a".into(),
                phase: "deploy".into()
            }
        );
        assert!(ConfigSet::from_args(&[]).is_ok());
        assert_eq!(Install::from_args(&[]).expect("no args"), Install {});
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let u = ConfigUnset::from_args(&args(&["--global", "K"])).expect("global");
        assert!(u.global && u.key == "K" && u.restart.is_empty());
        assert_eq!(ConfigUnset::from_args(&u.to_args()).expect("round trip"), u);
        let u = ConfigUnset::from_args(&args(&["app", "K", "true"])).expect("app");
        assert_eq!(
            (u.app.as_str(), u.key.as_str(), u.restart.as_str()),
            ("app", "K", "true")
        );
        let set = ConfigSet {
            no_restart: true,
            app: "a".into(),
            pairs: vec!["K=V".into()],
        };
        assert_eq!(set.to_args(), vec!["--no-restart", "a", "K=V"]);
        assert_eq!(ConfigSet::from_args(&set.to_args()).expect("parse"), set);
        assert!(ConfigSet::from_args(&["--no-restart".to_string()]).is_ok());
    }
}

#[cfg(test)]
mod container_args_tests {
    use super::*;
    use crate::bus::TriggerOutput;

    #[test]
    fn mounts_render_as_docker_args() {
        let mut m = VolumeMount {
            source: "/var/lib/dokku/data/storage/a".into(),
            target: "/app/storage".into(),
            ..Default::default()
        };
        assert_eq!(
            m.to_volume_arg(),
            "/var/lib/dokku/data/storage/a:/app/storage"
        );
        m.options = "Z".into();
        assert_eq!(
            m.to_volume_arg(),
            "/var/lib/dokku/data/storage/a:/app/storage:Z"
        );
        m.readonly = true;
        m.options = "noexec,nosuid".into();
        assert_eq!(
            m.to_volume_arg(),
            "/var/lib/dokku/data/storage/a:/app/storage:ro,noexec,nosuid"
        );
        let args = ContainerArgs {
            mounts: vec![m],
            options: vec!["--ulimit nofile=12".into()],
        };
        assert_eq!(
            args.to_stdout(),
            " -v /var/lib/dokku/data/storage/a:/app/storage:ro,noexec,nosuid --ulimit nofile=12"
        );
        assert_eq!(
            ContainerArgs::from_stdout(" --build-arg X=1\n").options,
            vec!["--build-arg X=1"]
        );
    }

    #[test]
    fn deploy_args_are_optional_after_the_tag() {
        let t = DockerArgsProcessDeploy::from_args(&["app".to_string()]).expect("parse");
        assert_eq!(t.to_args(), vec!["app", "", ""]);
        let full: Vec<String> = ["app", "dockerfile", "latest", "web", "1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            DockerArgsProcessDeploy::from_args(&full)
                .expect("parse")
                .to_args(),
            full
        );
        let opts = vec![ScopedOption {
            phase: "deploy".into(),
            process_type: "web".into(),
            option: "-v /a:/b".into(),
        }];
        assert_eq!(Vec::<ScopedOption>::from_stdout(&opts.to_stdout()), opts);
    }
}
