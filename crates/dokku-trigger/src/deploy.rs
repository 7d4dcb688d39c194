//! Triggers of the build-release-deploy pipeline and of the scheduler, in
//! Dokku's names and argument order (development/plugin-triggers.md).
//!
//! Builders answer the `builder-*` triggers selected by `builder_type`;
//! schedulers answer the `scheduler-*` triggers selected by `scheduler`.

use dokku_core::Result;

use crate::bus::{Dispatch, Trigger};
use crate::triggers::{arg, trigger};

trigger! {
    /// The git plugin received a push of the deploy branch (or a rebuild
    /// asks for the current source): extract, build, release and deploy.
    /// The git handler holds the app's deploy lock (`.deploy.lock`) from
    /// extraction until `release-and-deploy` returns, so callers must not
    /// hold it, and `release-and-deploy` handlers must not take it again.
    ReceiveApp = "receive-app", Notify -> () { app; ..rev };
    /// Source was extracted to a work directory; plugins may change it.
    PostExtract = "post-extract", Notify -> () { app, tmp_work_dir; ..rev };
    /// Before the source in a work directory is handed to a builder.
    PreReceiveApp = "pre-receive-app", Notify -> () { app, image_source_type, tmp_work_dir, rev };
    /// Which builder fits a source directory; the first non-empty answer
    /// wins.
    BuilderDetect = "builder-detect", Collect -> String { app, source_work_dir };
    /// Before a build.
    PreBuild = "pre-build", Notify -> () { builder_type, app, source_work_dir };
    /// Build the app's image with the selected builder.
    BuilderBuild = "builder-build", Select -> () { builder_type, app, source_work_dir };
    /// After a build.
    PostBuild = "post-build", Notify -> () { builder_type, app, source_work_dir };
    /// Before the release step of a builder.
    PreReleaseBuilder = "pre-release-builder", Notify -> () { builder_type, app, image };
    /// Turn a built image into a release image with the selected builder.
    BuilderRelease = "builder-release", Select -> () { builder_type, app, image_tag };
    /// After the release step of a builder.
    PostReleaseBuilder = "post-release-builder", Notify -> () { builder_type, app, image };
    /// Release an image and deploy it (what `ps:rebuild` and pushes end in).
    ReleaseAndDeploy = "release-and-deploy", Notify -> () { app, image_tag };
    /// Deploy an already released image: optional tag, optional process type.
    Deploy = "deploy", Notify -> () { app; ..rest };
    /// Before containers of a new release start.
    PreDeploy = "pre-deploy", Notify -> () { app, image_tag };
    /// Start the containers of a release with the selected scheduler.
    SchedulerDeploy = "scheduler-deploy", Select -> () { scheduler, app, image_tag; ..process_type };
    /// Health-check one new container before it takes traffic.
    CheckDeploy = "check-deploy", Notify -> () { app, container_id, proc_type, port, ip };
    /// After new containers pass their checks, before old ones retire:
    /// the proxy switches here.
    CorePostDeploy = "core-post-deploy", Notify -> () { app, internal_port, internal_ip_address, image_tag };
    /// After a deploy finished.
    PostDeploy = "post-deploy", Notify -> () { app, internal_port, internal_ip_address, image_tag };
    /// Whether the app has running containers: `true` or `false`.
    SchedulerIsDeployed = "scheduler-is-deployed", Select -> bool { scheduler, app };
    /// Stop an app's containers; `remove_containers` is `true` or `false`.
    SchedulerStop = "scheduler-stop", Select -> () { scheduler, app, remove_containers: bool };
    /// Remove containers and images left from earlier releases.
    SchedulerRetire = "scheduler-retire", Select -> () { scheduler, app };
    /// The app was destroyed: remove its containers and images.
    SchedulerPostDelete = "scheduler-post-delete", Select -> () { scheduler, app, image_tag };
}
/// How a one-off container runs. In process this travels typed with
/// [`SchedulerRun`]; external schedulers get it as Dokku gives it to them,
/// in the environment ([`run_env`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunOptions {
    /// Start it and return its name at once.
    pub detach: bool,
    /// Allocate a pseudo-TTY even when detached.
    pub force_tty: bool,
    /// Never allocate a pseudo-TTY.
    pub no_tty: bool,
    /// The cron task it runs for.
    pub cron_id: Option<String>,
    /// How long it may run before `run:retire` reaps it.
    pub ttl_seconds: Option<u64>,
    /// For a cron task: `allow`, `forbid` or `replace` another run of the
    /// same task still going (app.json's `concurrency_policy`).
    pub concurrency_policy: Option<String>,
}

impl RunOptions {
    /// The options an external caller put in the environment.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        RunOptions {
            detach: var(run_env::DETACH).is_some_and(|v| v != "0" && v != "false"),
            force_tty: var(run_env::FORCE_TTY).as_deref() == Some("true"),
            no_tty: var(run_env::DISABLE_TTY).as_deref() == Some("true"),
            cron_id: var(run_env::CRON_ID),
            ttl_seconds: var(run_env::TTL_SECONDS).and_then(|v| v.parse().ok()),
            concurrency_policy: var(run_env::CONCURRENCY_POLICY),
        }
    }

    /// The environment an external scheduler reads them from.
    pub fn to_env(&self) -> Vec<(String, String)> {
        let mut env = Vec::new();
        let mut put = |k: &str, v: String| env.push((k.to_string(), v));
        if self.detach {
            put(run_env::DETACH, "1".into());
        }
        if self.force_tty {
            put(run_env::FORCE_TTY, "true".into());
        }
        if self.no_tty {
            put(run_env::DISABLE_TTY, "true".into());
        }
        if let Some(id) = &self.cron_id {
            put(run_env::CRON_ID, id.clone());
        }
        if let Some(ttl) = self.ttl_seconds {
            put(run_env::TTL_SECONDS, ttl.to_string());
        }
        if let Some(p) = &self.concurrency_policy {
            put(run_env::CONCURRENCY_POLICY, p.clone());
        }
        env
    }
}

/// Run a one-off command in a new container of the app: `args` is the
/// count of `KEY=VALUE` env entries, the entries, then the command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchedulerRun {
    /// The selected scheduler.
    pub scheduler: String,
    /// The app.
    pub app: String,
    /// Env count, env entries, command words.
    pub args: Vec<String>,
    /// How the container runs.
    pub options: RunOptions,
}

impl crate::bus::SelectTrigger for SchedulerRun {}

impl Trigger for SchedulerRun {
    const NAME: &'static str = "scheduler-run";
    const DISPATCH: Dispatch = Dispatch::Select;
    type Output = ();

    fn to_args(&self) -> Vec<String> {
        let mut v = vec![self.scheduler.clone(), self.app.clone()];
        v.extend(self.args.iter().cloned());
        v
    }

    fn from_args(args: &[String]) -> Result<Self> {
        Ok(SchedulerRun {
            scheduler: arg(args, 0, "scheduler", Self::NAME)?,
            app: arg(args, 1, "app", Self::NAME)?,
            args: args.get(2..).map(<[String]>::to_vec).unwrap_or_default(),
            options: RunOptions::from_env(),
        })
    }

    fn selector(&self) -> Option<&str> {
        Some(&self.scheduler)
    }

    fn env(&self) -> Vec<(String, String)> {
        self.options.to_env()
    }
}
trigger! {
    /// Run a command in a running container of the app.
    SchedulerEnter = "scheduler-enter", Select -> () { scheduler, app; ..args };
    /// Print an app's logs.
    SchedulerLogs = "scheduler-logs", Select -> () { scheduler, app, process_type, tail, pretty_print, num };
    /// The image tag of the running release.
    DeployedAppImageTag = "deployed-app-image-tag", Collect -> String { app };
    /// The image repository of the app (`dokku/<app>`).
    DeployedAppImageRepo = "deployed-app-image-repo", Collect -> String { app };
    /// Record how the app was last deployed (`git`, `docker-image`, ...).
    DeploySourceSet = "deploy-source-set", Notify -> () { app, source_type, metadata };
    /// The command of a process type from the app's Procfile.
    ProcfileGetCommand = "procfile-get-command", Collect -> String { app, process_type, port = "5000" };
    /// The app's scheduler (`docker-local` unless set).
    SchedulerDetect = "scheduler-detect", Collect -> String { app };
    /// Before an app's containers start (`ps:start`, deploys).
    PreStart = "pre-start", Notify -> () { app };
    /// After an app's containers stopped.
    PostStop = "post-stop", Notify -> () { app };
}

// ---- added for the deploy half: ps, checks, scheduler-docker-local ----

trigger! {
    /// Core plugins only: the source was extracted to a work directory,
    /// before the builder is detected. ps copies the app's Procfile out of
    /// it here (to `$DOKKU_LIB_ROOT/data/ps/<app>/Procfile`), app-json its
    /// app.json, builder moves a `build-dir` into place.
    CorePostExtract = "core-post-extract", Notify -> () { app, tmp_work_dir; ..rev };
    /// The Procfile of a deploy comes from an image (`git:from-image`,
    /// `git:load-image`): ps reads it from the image's working directory.
    ProcfileExtractImage = "procfile-extract-image", Notify -> () { app, image }, internal = true;
    /// Whether the app has a Procfile: `true` or `false` (answered by ps).
    ProcfileExists = "procfile-exists", Collect -> bool { app };
    /// The content of the app's `app.json`, empty when it has none
    /// (answered by app-json; jsonc allowed: parse it with
    /// [`crate::appjson::AppJson::parse`]).
    AppJsonGetContent = "app-json-get-content", Collect -> String { app };
    /// How many containers of a process type may be deployed at once
    /// (`formation.<proc>.max_parallel` of app.json); empty means 1.
    AppJsonProcessDeployParallelism = "app-json-process-deploy-parallelism", Collect -> String { app, process_type };
    /// Whether the app's repository has code on a branch (empty: the deploy
    /// branch): `true` or `false` (answered by git).
    GitHasCode = "git-has-code", Collect -> bool { app, branch_name };
    /// Whether `ps:scale` may change the app's scale: `true` or `false`
    /// (answered by ps; app-json sets `false` when app.json has a formation).
    PsCanScale = "ps-can-scale", Notify -> () { app, can_scale: bool };
}
/// How many containers of each process type an app runs, in the order ps
/// keeps them. External plugins see one `process-type=quantity` per line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scale(pub Vec<(String, u32)>);

impl Scale {
    /// The process types, in order.
    pub fn process_types(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(p, _)| p.as_str())
    }

    /// The total number of containers.
    pub fn total(&self) -> u64 {
        self.0.iter().map(|(_, n)| u64::from(*n)).sum()
    }

    /// The same scale with `web` first (the order deploys start in).
    pub fn web_first(mut self) -> Self {
        self.0.sort_by_key(|(p, _)| p != "web");
        self
    }
}

impl PsCurrentScale {
    /// The app's scale as ps answers it (empty when nobody answers), with
    /// `web` first: what a deploy starts, in order.
    pub fn web_first_of(ctx: &crate::Ctx, app: &str) -> Result<Vec<(String, u32)>> {
        let t = PsCurrentScale {
            app: app.to_string(),
        };
        Ok(ctx
            .bus
            .collect(ctx, &t)?
            .into_iter()
            .next()
            .unwrap_or_default()
            .web_first()
            .0)
    }
}

impl PsGetProperty {
    /// One ps property of an app as ps computes it; empty when nobody
    /// answers or the bus fails.
    pub fn value(ctx: &crate::Ctx, app: &str, property: &str) -> String {
        let t = PsGetProperty {
            app: app.to_string(),
            property: property.to_string(),
        };
        ctx.bus
            .collect(ctx, &t)
            .ok()
            .and_then(first_answer)
            .unwrap_or_default()
    }
}

impl SchedulerDeploy {
    /// The one process type to deploy, when the deploy is limited to one.
    pub fn only_process_type(&self) -> Option<&str> {
        self.process_type
            .first()
            .map(String::as_str)
            .filter(|p| !p.is_empty())
    }
}

impl crate::bus::TriggerOutput for Scale {
    const CAPTURE: bool = true;
    fn from_stdout(stdout: &str) -> Self {
        Scale(
            stdout
                .lines()
                .filter_map(|l| {
                    let (p, n) = l.trim().split_once('=')?;
                    let p = p.trim();
                    if p.is_empty() || p.starts_with('#') {
                        return None;
                    }
                    Some((p.to_string(), n.trim().parse().ok()?))
                })
                .collect(),
        )
    }
    fn to_stdout(&self) -> String {
        self.0.iter().map(|(p, n)| format!("{p}={n}\n")).collect()
    }
}

trigger! {
    /// The app's scale (answered by ps).
    PsCurrentScale = "ps-current-scale", Collect -> Scale { app };
    /// Set the app's scale from `process-type=quantity` tuples; types not
    /// named are kept unless `clear_existing` is `true` (answered by ps).
    PsSetScale = "ps-set-scale", Notify -> () { app, skip_deploy: bool, clear_existing: bool; ..process_tuples };
    /// One ps property, computed (app value, else global, else default):
    /// `restart-policy`, `stop-timeout-seconds`, `procfile-path`,
    /// `start-cmd`, `dockerfile-start-cmd` (answered by ps).
    PsGetProperty = "ps-get-property", Collect -> String { app, property }, internal = true;
    /// One checks property, computed: `disabled` and `skipped` (a process
    /// list, `_all_`, or empty), `wait-to-retire` (answered by checks).
    ChecksGetProperty = "checks-get-property", Collect -> String { app, key };
    /// The state of the app's deployed containers, one line each:
    /// `<proc>.<index> <status> <container-id>`.
    SchedulerAppStatus = "scheduler-app-status", Select -> String { scheduler, app };
    /// Print a sanitized `docker inspect` of the app's containers.
    SchedulerInspect = "scheduler-inspect", Select -> () { scheduler, app };
    /// Remember a container to retire after `wait` seconds.
    SchedulerRegisterRetired = "scheduler-register-retired", Notify -> () { app, container_id; ..wait };
    /// Retiring old containers failed.
    RetireContainerFailed = "retire-container-failed", Notify -> () { app };
    /// Before `ps:restore` brings an app back.
    SchedulerPreRestore = "scheduler-pre-restore", Select -> () { scheduler, app };
    /// Write the IP address of one container of an app.
    NetworkWriteIpaddr = "network-write-ipaddr", Notify -> () { app, proc_type, container_index, ip_address };
    /// Write the port of one container of an app.
    NetworkWritePort = "network-write-port", Notify -> () { app, proc_type, container_index, port };
}

trigger! {
    /// The URLs an app answers on, one per line, replacing the detected
    /// ones (`url_type` is `urls`); printed after a deploy.
    AppUrls = "app-urls", Collect -> Vec<String> { app, url_type };
}

pub use crate::release::{image_labels, vendor_labels};

/// A container of `image` that files of it are read through (created,
/// never started). It carries the app's label so that one left behind by
/// a killed deploy is found and removed by the next deploy or by
/// `apps:destroy`.
pub fn extraction_spec(app: &str, image: &str) -> dokku_docker::ContainerSpec {
    let mut spec = dokku_docker::ContainerSpec::new(image);
    spec.labels = vendor_labels();
    spec.labels
        .insert("com.dokku.app-name".into(), app.to_string());
    spec
}

/// The first non-empty answer of a collect, trimmed.
pub fn first_answer(answers: Vec<String>) -> Option<String> {
    answers
        .into_iter()
        .map(|a| a.trim().to_string())
        .find(|a| !a.is_empty())
}

impl ChecksGetProperty {
    /// The first answer for `key` of `app` (or `--global`), empty when
    /// none or when asking failed.
    pub fn get(ctx: &crate::Ctx, app: &str, key: &str) -> String {
        ctx.bus
            .collect(
                ctx,
                &ChecksGetProperty {
                    app: app.to_string(),
                    key: key.to_string(),
                },
            )
            .ok()
            .and_then(first_answer)
            .unwrap_or_default()
    }
}

impl AppJsonGetContent {
    /// The app's app.json content, empty when it has none.
    pub fn get(ctx: &crate::Ctx, app: &str) -> Result<String> {
        Ok(first_answer(ctx.bus.collect(
            ctx,
            &AppJsonGetContent {
                app: app.to_string(),
            },
        )?)
        .unwrap_or_default())
    }
}

/// An app's config value of `key`, through `config-get`: the first
/// non-empty answer, trimmed (`None` when nothing answers with a value).
pub fn config_value(ctx: &crate::Ctx, app: &str, key: &str) -> Result<Option<String>> {
    let ask = crate::triggers::ConfigGet {
        app: app.into(),
        key: key.into(),
    };
    Ok(first_answer(ctx.bus.collect(ctx, &ask)?))
}

impl SchedulerPostRun {
    /// Tell the app's scheduler a one-off run of `container_id` ended.
    pub fn fire(ctx: &crate::Ctx, app: &str, container_id: &str) -> Result<()> {
        let t = SchedulerPostRun {
            scheduler: scheduler_of(ctx, app)?,
            app: app.to_string(),
            container_id: container_id.to_string(),
        };
        ctx.bus.select(ctx, &t)?;
        Ok(())
    }
}

impl SchedulerIsDeployed {
    /// Whether `app` is deployed as far as its scheduler
    /// (`scheduler-detect`) says: `scheduler-is-deployed`, `false` when no
    /// plugin answers.
    pub fn ask(ctx: &crate::Ctx, app: &str) -> Result<bool> {
        Self::ask_scheduler(ctx, &scheduler_of(ctx, app)?, app)
    }

    /// [`SchedulerIsDeployed::ask`] for an app whose `scheduler` is known.
    pub fn ask_scheduler(ctx: &crate::Ctx, scheduler: &str, app: &str) -> Result<bool> {
        let t = SchedulerIsDeployed {
            scheduler: scheduler.to_string(),
            app: app.to_string(),
        };
        Ok(ctx.bus.select(ctx, &t)?.unwrap_or(false))
    }
}

/// The scheduler of an app: the first answer of `scheduler-detect`, else
/// `docker-local`.
pub fn scheduler_of(ctx: &crate::Ctx, app: &str) -> Result<String> {
    let answers = ctx.bus.collect(
        ctx,
        &SchedulerDetect {
            app: app.to_string(),
        },
    )?;
    Ok(first_answer(answers).unwrap_or_else(|| "docker-local".to_string()))
}

// ---- one-off containers, entering containers and logs (run, enter, logs) ----

/// How `run` hands its options to the scheduler, as Dokku does: exported
/// environment variables, read by the `scheduler-run` handler.
pub mod run_env {
    /// `--no-tty`: `true` runs without a pseudo-TTY.
    pub const DISABLE_TTY: &str = "DOKKU_DISABLE_TTY";
    /// `--force-tty`: `true` allocates a pseudo-TTY even when detached.
    pub const FORCE_TTY: &str = "DOKKU_FORCE_TTY";
    /// `run:detached` / global `--detach`: `1` starts the container and
    /// returns its name at once.
    pub const DETACH: &str = "DOKKU_DETACH_CONTAINER";
    /// Global `--rm` / `--rm-container`: remove the container at exit (the
    /// default since 0.25.0).
    pub const RM: &str = "DOKKU_RM_CONTAINER";
    /// `--cron-id`: the cron task the container runs for.
    pub const CRON_ID: &str = "DOKKU_CRON_ID";
    /// `--ttl-seconds`: how long the container may run before
    /// `run:retire` reaps it.
    pub const TTL_SECONDS: &str = "DOKKU_RUN_TTL_SECONDS";
    /// A cron task's `concurrency_policy` (`allow`, `forbid`, `replace`).
    pub const CONCURRENCY_POLICY: &str = "DOKKU_CRON_CONCURRENCY_POLICY";
}

trigger! {
    /// After a one-off container of `run` exited (or, detached, started).
    SchedulerPostRun = "scheduler-post-run", Select -> () { scheduler, app, container_id };
    /// List the app's one-off containers; `format` is `stdout` or `json`.
    SchedulerRunList = "scheduler-run-list", Select -> () { scheduler, app, format };
    /// Print the logs of the app's one-off containers, or of one of them
    /// (`container` empty for all); `tail` and `pretty_print` are `true` or
    /// `false` (`pretty_print` is `--quiet`: raw lines), `num` a line count.
    SchedulerRunLogs = "scheduler-run-logs", Select -> () { scheduler, app, container, tail, pretty_print, num };
    /// Stop the app's one-off containers, or the named one, printing each
    /// name stopped.
    SchedulerRunStop = "scheduler-run-stop", Select -> () { scheduler, app, container_name };
    /// Stop and remove the app's one-off containers that outlived their
    /// ttl.
    SchedulerRunRetire = "scheduler-run-retire", Select -> () { scheduler, app };
    /// Print the logs of the app's containers from failed deploys.
    SchedulerLogsFailed = "scheduler-logs-failed", Select -> () { scheduler, app };
    /// One logs property of an app, computed (app value, else global, else
    /// default): `max-size`, `vector-sink`, `app-label-alias`, ... (answered
    /// by logs).
    LogsGetProperty = "logs-get-property", Collect -> String { app, key };
    /// One resource value of an app's process type: `resource_type` is
    /// `limit` or `reserve`, `property` a resource (`memory`, `cpu`...);
    /// the process type's value, else the app's default (answered by
    /// resource).
    ResourceGetProperty = "resource-get-property", Collect -> String { app, process_type, resource_type, property };
}

// ---- source and build phase (git, builders, app-json) ----

trigger! {
    /// A builder property of an app, with global and default values applied
    /// (`selected`, `build-dir`, `skip-cleanup`; answered by builder).
    BuilderGetProperty = "builder-get-property", Collect -> String { app, key };
    /// A git property of an app, with global and default values applied
    /// (`deploy-branch`, `rev-env-var`, `source-image`, ...; answered by git).
    GitGetProperty = "git-get-property", Collect -> String { app, key };
    /// The branch whose pushes deploy the app (answered by git).
    GitDeployBranch = "git-deploy-branch", Collect -> String { app };
    /// Before `git-upload-pack` serves a fetch or clone of the app's repo.
    GitPrePull = "git-pre-pull", Notify -> () { app };
    /// After `git-upload-pack` served a fetch or clone of the app's repo.
    GitPostPull = "git-post-pull", Notify -> () { app };
    /// The buildpack stack image configured for an app (answered by a
    /// buildpacks plugin; empty for the builder's default).
    BuildpackStackName = "buildpack-stack-name", Collect -> String { app };
}

impl BuilderDetect {
    /// Which builder builds the source in `dir`: the selected one, else the
    /// first detected one (a Dockerfile only when nothing else is
    /// detected), else herokuish.
    pub fn builder_type(ctx: &crate::Ctx, app: &str, dir: &str) -> Result<String> {
        let selected = first_answer(ctx.bus.collect(
            ctx,
            &BuilderGetProperty {
                app: app.into(),
                key: "selected".into(),
            },
        )?);
        if let Some(s) = selected {
            return Ok(s);
        }
        let detected: Vec<String> = ctx
            .bus
            .collect(
                ctx,
                &BuilderDetect {
                    app: app.into(),
                    source_work_dir: dir.into(),
                },
            )?
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        Ok(detected
            .iter()
            .find(|d| d.as_str() != "dockerfile")
            .or_else(|| detected.first())
            .cloned()
            .unwrap_or_else(|| "herokuish".to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_crosses_the_boundary_as_lines() {
        use crate::bus::TriggerOutput;
        let s = Scale::from_stdout("worker=2\n# note\nweb=1\nbad\n");
        assert_eq!(s.0, vec![("worker".into(), 2), ("web".into(), 1)]);
        assert_eq!(s.total(), 3);
        assert_eq!(s.clone().web_first().to_stdout(), "web=1\nworker=2\n");
    }

    #[test]
    fn select_triggers_name_their_selector() {
        let t = SchedulerDeploy {
            scheduler: "docker-local".into(),
            app: "a".into(),
            image_tag: "latest".into(),
            process_type: vec![],
        };
        assert_eq!(t.selector(), Some("docker-local"));
        assert_eq!(t.to_args(), vec!["docker-local", "a", "latest"]);
        let b = BuilderBuild {
            builder_type: "dockerfile".into(),
            app: "a".into(),
            source_work_dir: "/tmp/x".into(),
        };
        assert_eq!(b.selector(), Some("dockerfile"));
        assert_eq!(
            ReceiveApp::from_args(&["a".to_string()])
                .expect("parse")
                .rev,
            Vec::<String>::new()
        );
    }
}
