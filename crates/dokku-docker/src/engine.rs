//! The `ContainerEngine` trait: every container, image and volume operation Dokku needs.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

use crate::info::{
    AttachIo, BuiltImage, ContainerInfo, ContainerSummary, EngineVersion, ExecOutput, ImageInfo,
    ImageSummary, LogStream, NetworkInfo, RunOutput,
};
use crate::push::RegistryAuth;
use crate::spec::{
    BuildSpec, CommitSpec, ContainerFilter, ContainerSpec, ExecSpec, ImageFilter, LogOptions,
    NetworkSpec, VolumeSpec,
};
use crate::EngineError;

/// A container engine, in Dokku's vocabulary. Synchronous: each call
/// returns when the engine has finished the operation.
///
/// Names of containers, images and volumes are accepted wherever ids are.
/// Output streamed to a callback arrives one line at a time, without its
/// trailing `\n` (or `\r\n`); a last line without a newline is delivered too.
pub trait ContainerEngine: Send + Sync {
    /// Checks that the engine answers.
    fn ping(&self) -> Result<(), EngineError>;

    /// The engine's swarm calls, when this engine can answer them.
    fn swarm(&self) -> Option<&dyn crate::swarm::SwarmEngine> {
        None
    }

    /// The engine's calls reading swarm tasks' output and services' full
    /// specs, when this engine can answer them.
    fn swarm_workloads(&self) -> Option<&dyn crate::swarm_workloads::SwarmWorkloads> {
        None
    }

    /// The engine's version and the negotiated API version.
    fn version(&self) -> Result<EngineVersion, EngineError>;

    /// The log driver containers get when they name none (the daemon's
    /// `log-driver`). Engines without a daemon configuration use docker's
    /// own default, `json-file`.
    fn default_log_driver(&self) -> Result<String, EngineError> {
        Ok("json-file".to_string())
    }

    /// Whether the daemon runs with live-restore (containers survive an
    /// engine restart). Engines without a daemon say no.
    fn live_restore_enabled(&self) -> Result<bool, EngineError> {
        Ok(false)
    }

    /// Whether an image with this reference or id exists locally.
    fn image_exists(&self, image: &str) -> Result<bool, EngineError>;

    /// Inspects an image; [`EngineError::NotFound`] if it does not exist.
    fn image_inspect(&self, image: &str) -> Result<ImageInfo, EngineError>;

    /// Builds an image, calling `on_line` with each line of build output.
    /// Fails with [`EngineError::BuildFailed`] when a build step fails. Never
    /// pulls: base images must already be present.
    fn build_image(
        &self,
        spec: &BuildSpec,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<BuiltImage, EngineError>;

    /// Adds the reference `target` (`repo[:tag]`, tag `latest` when omitted)
    /// to `image`.
    fn tag_image(&self, image: &str, target: &str) -> Result<(), EngineError>;

    /// `docker login`: has the engine check `auth` against its registry;
    /// returns the engine's status line (`Login Succeeded`). A refusal is
    /// [`EngineError::Registry`] with the engine's message. Nothing is
    /// stored: keeping the credentials is the caller's business.
    fn registry_login(&self, auth: &RegistryAuth) -> Result<String, EngineError> {
        let _ = auth;
        Err(EngineError::Unsupported {
            operation: "registry login",
        })
    }

    /// `docker image push`: pushes the local `repo:tag` `image` with
    /// `auth`, calling `on_line` with each progress line `docker` prints.
    fn push_image(
        &self,
        image: &str,
        auth: Option<&RegistryAuth>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<(), EngineError> {
        let _ = (image, auth, on_line);
        Err(EngineError::Unsupported {
            operation: "image push",
        })
    }

    /// `docker image pull`: pulls `image` with `auth`, calling `on_line`
    /// with each progress line `docker` prints.
    fn pull_image(
        &self,
        image: &str,
        auth: Option<&RegistryAuth>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<(), EngineError> {
        let _ = (image, auth, on_line);
        Err(EngineError::Unsupported {
            operation: "image pull",
        })
    }

    /// Removes an image reference (and the image if that was its last one);
    /// `force` also removes an image used by stopped containers.
    fn remove_image(&self, image: &str, force: bool) -> Result<(), EngineError>;

    /// Lists images matching `filter`.
    fn list_images(&self, filter: &ImageFilter) -> Result<Vec<ImageSummary>, EngineError>;

    /// Loads images from an uncompressed `docker save` tarball; returns the
    /// engine's report lines, e.g. `Loaded image: dokku/app:latest`.
    fn load_image(&self, tar: &mut dyn Read) -> Result<Vec<String>, EngineError>;

    /// Makes `image` again as `tag` with `labels` added to its own,
    /// without a build (no container, no layer: see [`crate::relabel`]);
    /// returns the new image's id. `Ok(None)` when this engine cannot do it
    /// faithfully for this image: the caller builds instead.
    fn relabel_image(
        &self,
        image: &str,
        labels: &BTreeMap<String, String>,
        tag: &str,
    ) -> Result<Option<String>, EngineError> {
        let step = RelabelStep {
            labels: labels.clone(),
            tag: Some(tag.to_string()),
        };
        let ids = self.relabel_image_steps(image, std::slice::from_ref(&step))?;
        Ok(ids.and_then(|ids| ids.into_iter().next()))
    }

    /// [`ContainerEngine::relabel_image`] in steps, all made at once: each
    /// step's image is the previous step's (the first step's, `image`) with
    /// the step's labels added, tagged when the step names a tag; returns
    /// each step's image id. `Ok(None)` when this engine cannot do it
    /// faithfully for this image.
    fn relabel_image_steps(
        &self,
        _image: &str,
        _steps: &[RelabelStep],
    ) -> Result<Option<Vec<String>>, EngineError> {
        Ok(None)
    }

    /// Commits a container's filesystem to a new image; returns its id.
    fn commit_container(&self, container: &str, spec: &CommitSpec) -> Result<String, EngineError>;

    /// Creates a container (not started); returns its id. A missing image is
    /// [`EngineError::NotFound`]; a name in use is a conflict (409).
    fn create_container(&self, spec: &ContainerSpec) -> Result<String, EngineError>;

    /// Starts a created or stopped container.
    fn start_container(&self, container: &str) -> Result<(), EngineError>;

    /// Stops a container, killing it after `timeout` (the engine's default,
    /// 10 seconds, when `None`). Stopping a stopped container succeeds.
    fn stop_container(&self, container: &str, timeout: Option<Duration>)
        -> Result<(), EngineError>;

    /// Sends a signal (`SIGKILL` when `None`) to a running container.
    fn kill_container(&self, container: &str, signal: Option<&str>) -> Result<(), EngineError>;

    /// Removes a container; `force` kills it first if running.
    fn remove_container(&self, container: &str, force: bool) -> Result<(), EngineError>;

    /// Renames a container.
    fn rename_container(&self, container: &str, new_name: &str) -> Result<(), EngineError>;

    /// Inspects a container; [`EngineError::NotFound`] if it does not exist.
    fn inspect_container(&self, container: &str) -> Result<ContainerInfo, EngineError>;

    /// Lists containers matching `filter`.
    fn list_containers(
        &self,
        filter: &ContainerFilter,
    ) -> Result<Vec<ContainerSummary>, EngineError>;

    /// Waits until a container is not running and returns its exit code
    /// (at once if it already exited).
    fn wait_container(&self, container: &str) -> Result<i64, EngineError>;

    /// Streams a container's logs to `on_line`; with `follow`, until the
    /// container stops. Known losses: the engine (20.10) may drop a last
    /// line without a newline when following, and for a TTY container such
    /// a last line is always dropped.
    fn container_logs(
        &self,
        container: &str,
        options: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError>;

    /// Runs a command in a running container and collects its output and
    /// exit code. A non-zero exit is not an error.
    fn exec(&self, container: &str, spec: &ExecSpec) -> Result<ExecOutput, EngineError>;

    /// Creates a volume (succeeds if it already exists with the same driver).
    fn create_volume(&self, spec: &VolumeSpec) -> Result<(), EngineError>;

    /// Removes a volume; `force` ignores a missing volume engine-side.
    fn remove_volume(&self, name: &str, force: bool) -> Result<(), EngineError>;

    /// Whether a volume exists.
    fn volume_exists(&self, name: &str) -> Result<bool, EngineError>;

    /// Creates a network; returns its id. A name in use is a conflict (409).
    fn create_network(&self, spec: &NetworkSpec) -> Result<String, EngineError>;

    /// Removes a network; [`EngineError::NotFound`] if it does not exist.
    /// The engine refuses (403) while containers are connected to it.
    fn remove_network(&self, name: &str) -> Result<(), EngineError>;

    /// Inspects a network by name or id; [`EngineError::NotFound`] if it
    /// does not exist.
    fn inspect_network(&self, name: &str) -> Result<NetworkInfo, EngineError>;

    /// Every network, sorted by name.
    fn list_networks(&self) -> Result<Vec<NetworkInfo>, EngineError>;

    /// Connects a container to a network with `aliases` (`docker network
    /// connect --alias`).
    fn connect_network(
        &self,
        network: &str,
        container: &str,
        aliases: &[String],
    ) -> Result<(), EngineError>;

    /// Creates a container from `spec`, attaches to it, starts it, feeds it
    /// `stdin` (then closes its standard input), streams its output to
    /// `on_line`, waits for it to exit and removes it, even on failure.
    /// Returns its exit code. `spec.auto_remove` is ignored; with `stdin`,
    /// `spec.open_stdin` is implied.
    fn run_streaming(
        &self,
        spec: &ContainerSpec,
        stdin: Option<&[u8]>,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<i64, EngineError>;

    /// `docker container cp CONTAINER:PATH -`: writes `path` of a (possibly
    /// stopped) container to `out` as a tar archive, its entries named from
    /// the last component of `path`. [`EngineError::NotFound`] when the
    /// container or the path does not exist.
    fn copy_from_container(
        &self,
        container: &str,
        path: &str,
        out: &mut dyn std::io::Write,
    ) -> Result<(), EngineError>;

    /// Like [`ContainerEngine::run_streaming`], collecting the output bytes
    /// instead of streaming lines: `docker run --rm -i` with captured output.
    fn run_to_completion(
        &self,
        spec: &ContainerSpec,
        stdin: Option<&[u8]>,
    ) -> Result<RunOutput, EngineError>;

    /// `docker run -i [-t]` without `--detach`: creates a container from
    /// `spec`, attaches to it, starts it, streams `io.stdin` to it (closing
    /// its standard input at end of file) and hands every chunk of output to
    /// `io.on_output` as it arrives, waits for it to exit and removes it,
    /// even on failure. Returns its exit code. `spec.auto_remove` is
    /// ignored; a name in use is a conflict (409).
    fn run_attached(&self, spec: &ContainerSpec, io: AttachIo<'_>) -> Result<i64, EngineError>;

    /// `docker attach` to a created or running container: its output so
    /// far, then live output handed to `io.on_output` as it arrives, with
    /// `io.stdin` streamed to its standard input when given (the container
    /// must have been created with it open); waits for it to exit and
    /// returns its exit code. The container is left in place.
    /// `io.on_created` is ignored.
    fn attach_container(&self, container: &str, io: AttachIo<'_>) -> Result<i64, EngineError>;

    /// `docker exec -i [-t]`: runs `spec` in a running container, streaming
    /// `io.stdin` to it and its output to `io.on_output` as it arrives.
    /// Returns the command's exit code. `spec.stdin` is ignored.
    fn exec_attached(
        &self,
        container: &str,
        spec: &ExecSpec,
        io: AttachIo<'_>,
    ) -> Result<i64, EngineError>;
}

/// One step of [`ContainerEngine::relabel_image_steps`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelabelStep {
    /// The labels the step adds.
    pub labels: BTreeMap<String, String>,
    /// The tag of the step's image; an untagged image is known by its id.
    pub tag: Option<String>,
}
