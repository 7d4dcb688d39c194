//! Triggers of the build-release-deploy pipeline and of the scheduler, in
//! Dokku's names and argument order (development/plugin-triggers.md).
//!
//! Builders answer the `builder-*` triggers selected by `builder_type`;
//! schedulers answer the `scheduler-*` triggers selected by `scheduler`.

use dokku_core::Result;

use crate::bus::{Dispatch, Trigger};
use crate::triggers::{arg, trigger};

trigger!(
    /// The git plugin received a push of the deploy branch (or a rebuild
    /// asks for the current source): extract, build, release and deploy.
    ReceiveApp = "receive-app", Notify -> () { app; ..rev }
);
trigger!(
    /// Source was extracted to a work directory; plugins may change it.
    PostExtract = "post-extract", Notify -> () { app, tmp_work_dir; ..rev }
);
trigger!(
    /// Before the source in a work directory is handed to a builder.
    PreReceiveApp = "pre-receive-app", Notify -> () { app, image_source_type, tmp_work_dir, rev }
);
trigger!(
    /// Which builder fits a source directory; the first non-empty answer
    /// wins.
    BuilderDetect = "builder-detect", Collect -> String { app, source_work_dir }
);
trigger!(
    /// Before a build.
    PreBuild = "pre-build", Notify -> () { builder_type, app, source_work_dir }
);
trigger!(
    /// Build the app's image with the selected builder.
    BuilderBuild = "builder-build", Select -> () { builder_type, app, source_work_dir }
);
trigger!(
    /// After a build.
    PostBuild = "post-build", Notify -> () { builder_type, app, source_work_dir }
);
trigger!(
    /// Before the release step of a builder.
    PreReleaseBuilder = "pre-release-builder", Notify -> () { builder_type, app, image }
);
trigger!(
    /// Turn a built image into a release image with the selected builder.
    BuilderRelease = "builder-release", Select -> () { builder_type, app, image_tag }
);
trigger!(
    /// After the release step of a builder.
    PostReleaseBuilder = "post-release-builder", Notify -> () { builder_type, app, image }
);
trigger!(
    /// Release an image and deploy it (what `ps:rebuild` and pushes end in).
    ReleaseAndDeploy = "release-and-deploy", Notify -> () { app, image_tag }
);
trigger!(
    /// Deploy an already released image: optional tag, optional process type.
    Deploy = "deploy", Notify -> () { app; ..rest }
);
trigger!(
    /// Before containers of a new release start.
    PreDeploy = "pre-deploy", Notify -> () { app, image_tag }
);
trigger!(
    /// Start the containers of a release with the selected scheduler.
    SchedulerDeploy = "scheduler-deploy", Select -> () { scheduler, app, image_tag; ..process_type }
);
trigger!(
    /// Health-check one new container before it takes traffic.
    CheckDeploy = "check-deploy", Notify -> () { app, container_id, proc_type, port, ip }
);
trigger!(
    /// After new containers pass their checks, before old ones retire:
    /// the proxy switches here.
    CorePostDeploy = "core-post-deploy", Notify -> () { app, internal_port, internal_ip_address, image_tag }
);
trigger!(
    /// After a deploy finished.
    PostDeploy = "post-deploy", Notify -> () { app, internal_port, internal_ip_address, image_tag }
);
trigger!(
    /// Whether the app has running containers: `true` or `false`.
    SchedulerIsDeployed = "scheduler-is-deployed", Select -> String { scheduler, app }
);
trigger!(
    /// Stop an app's containers; `remove_containers` is `true` or `false`.
    SchedulerStop = "scheduler-stop", Select -> () { scheduler, app, remove_containers }
);
trigger!(
    /// Remove containers and images left from earlier releases.
    SchedulerRetire = "scheduler-retire", Select -> () { scheduler, app }
);
trigger!(
    /// The app was destroyed: remove its containers and images.
    SchedulerPostDelete = "scheduler-post-delete", Select -> () { scheduler, app, image_tag }
);
trigger!(
    /// Run a one-off command in a new container of the app.
    SchedulerRun = "scheduler-run", Select -> () { scheduler, app; ..args }
);
trigger!(
    /// Run a command in a running container of the app.
    SchedulerEnter = "scheduler-enter", Select -> () { scheduler, app; ..args }
);
trigger!(
    /// Print an app's logs.
    SchedulerLogs = "scheduler-logs", Select -> () { scheduler, app, process_type, tail, pretty_print, num }
);
trigger!(
    /// The image tag of the running release.
    DeployedAppImageTag = "deployed-app-image-tag", Collect -> String { app }
);
trigger!(
    /// The image repository of the app (`dokku/<app>`).
    DeployedAppImageRepo = "deployed-app-image-repo", Collect -> String { app }
);
trigger!(
    /// Record how the app was last deployed (`git`, `docker-image`, ...).
    DeploySourceSet = "deploy-source-set", Notify -> () { app, source_type, metadata }
);
trigger!(
    /// The command of a process type from the app's Procfile.
    ProcfileGetCommand = "procfile-get-command", Collect -> String { app, process_type, port }
);
trigger!(
    /// The app's scheduler (`docker-local` unless set).
    SchedulerDetect = "scheduler-detect", Collect -> String { app }
);
trigger!(
    /// Before an app's containers start (`ps:start`, deploys).
    PreStart = "pre-start", Notify -> () { app }
);
trigger!(
    /// After an app's containers stopped.
    PostStop = "post-stop", Notify -> () { app }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_triggers_name_their_selector() {
        let t = SchedulerDeploy { scheduler: "docker-local".into(), app: "a".into(), image_tag: "latest".into(), process_type: vec![] };
        assert_eq!(t.selector(), Some("docker-local"));
        assert_eq!(t.to_args(), vec!["docker-local", "a", "latest"]);
        let b = BuilderBuild { builder_type: "dockerfile".into(), app: "a".into(), source_work_dir: "/tmp/x".into() };
        assert_eq!(b.selector(), Some("dockerfile"));
        assert_eq!(ReceiveApp::from_args(&["a".to_string()]).expect("parse").rev, Vec::<String>::new());
    }
}
