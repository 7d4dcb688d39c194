//! What a command learned about images, kept while nothing could have
//! changed them: [`Watched`] wraps the context's engine and forgets every
//! remembered image as soon as an image is built, tagged, committed,
//! loaded or removed through it; the bus forgets them too whenever an
//! external plugin ran, since it may change any image.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use dokku_docker::{
    AttachIo, BuildSpec, BuiltImage, CommitSpec, ContainerEngine, ContainerFilter, ContainerInfo,
    ContainerSpec, ContainerSummary, EngineError, EngineVersion, ExecOutput, ExecSpec, ImageFilter,
    ImageInfo, ImageSummary, LogOptions, LogStream, RegistryAuth, RunOutput, VolumeSpec,
};

/// Images inspected during one command, by the reference they were asked
/// for.
#[derive(Debug, Default)]
pub struct ImageMemo {
    images: Mutex<HashMap<String, ImageInfo>>,
    /// Release images made ahead of their release step, by the reference
    /// they are for (see [`Prepared`]); kept when images change, as each
    /// names the image it was made from.
    prepared: Mutex<HashMap<String, Prepared>>,
}

/// A release image made together with the build's image: the build's image
/// id, and the id of the untagged release image made from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The image the release image was made from.
    pub from: String,
    /// The release image.
    pub id: String,
}

impl ImageMemo {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, ImageInfo>> {
        self.images.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What is known of `image`, if nothing changed since it was learned.
    pub fn get(&self, image: &str) -> Option<ImageInfo> {
        self.map().get(image).cloned()
    }

    /// Remember `info` as what `image` is now.
    pub fn remember(&self, image: &str, info: ImageInfo) {
        self.map().insert(image.to_string(), info);
    }

    /// Keep `prepared` as the release image of `image`.
    pub fn prepare(&self, image: &str, prepared: Prepared) {
        self.prepared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(image.to_string(), prepared);
    }

    /// The release image prepared for `image`, taken out.
    pub fn take_prepared(&self, image: &str) -> Option<Prepared> {
        self.prepared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(image)
    }

    /// Forget every image: something may have changed them.
    pub fn forget_all(&self) {
        self.map().clear();
    }
}

/// The context's engine, forgetting remembered images whenever it changes
/// one.
pub struct Watched {
    inner: Arc<dyn ContainerEngine>,
    memo: Arc<ImageMemo>,
    /// The daemon's default log driver, asked once per command (every
    /// container a command starts asks for it).
    log_driver: std::sync::OnceLock<Option<String>>,
}

impl Watched {
    /// Watch `inner`, forgetting what `memo` holds on every image change.
    pub fn new(inner: Arc<dyn ContainerEngine>, memo: Arc<ImageMemo>) -> Self {
        Watched {
            inner,
            memo,
            log_driver: std::sync::OnceLock::new(),
        }
    }

    fn changes<T>(&self, result: T) -> T {
        self.memo.forget_all();
        result
    }
}

/// The engine methods `Watched` hands to the engine it wraps, each written
/// once as `reads fn name(args) -> type;` or, for those that may change an
/// image (and so forget every remembered one afterwards),
/// `changes fn ...;`.
macro_rules! forward {
    ($($kind:ident fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(
            fn $name(&self, $($arg: $ty),*) -> $ret {
                forward!(@$kind self, self.inner.$name($($arg),*))
            }
        )*
    };
    (@reads $self:ident, $call:expr) => {
        $call
    };
    (@changes $self:ident, $call:expr) => {
        $self.changes($call)
    };
}

impl ContainerEngine for Watched {
    fn swarm(&self) -> Option<&dyn dokku_docker::SwarmEngine> {
        self.inner.swarm()
    }
    fn swarm_workloads(&self) -> Option<&dyn dokku_docker::SwarmWorkloads> {
        self.inner.swarm_workloads()
    }
    fn default_log_driver(&self) -> Result<String, EngineError> {
        // A caller arriving while another thread asks waits for its answer
        // (a failure is not kept: the next caller asks again, and gets
        // the error).
        let known = self
            .log_driver
            .get_or_init(|| self.inner.default_log_driver().ok());
        match known {
            Some(driver) => Ok(driver.clone()),
            None => self.inner.default_log_driver(),
        }
    }

    forward! {
        reads fn ping() -> Result<(), EngineError>;
        reads fn version() -> Result<EngineVersion, EngineError>;
        reads fn live_restore_enabled() -> Result<bool, EngineError>;
        reads fn image_exists(image: &str) -> Result<bool, EngineError>;
        reads fn image_inspect(image: &str) -> Result<ImageInfo, EngineError>;
        changes fn build_image(spec: &BuildSpec, on_line: &mut dyn FnMut(&str)) -> Result<BuiltImage, EngineError>;
        changes fn tag_image(image: &str, target: &str) -> Result<(), EngineError>;
        reads fn registry_login(auth: &RegistryAuth) -> Result<String, EngineError>;
        reads fn push_image(image: &str, auth: Option<&RegistryAuth>, on_line: &mut dyn FnMut(&str)) -> Result<(), EngineError>;
        changes fn pull_image(image: &str, auth: Option<&RegistryAuth>, on_line: &mut dyn FnMut(&str)) -> Result<(), EngineError>;
        changes fn remove_image(image: &str, force: bool) -> Result<(), EngineError>;
        reads fn list_images(filter: &ImageFilter) -> Result<Vec<ImageSummary>, EngineError>;
        changes fn load_image(tar: &mut dyn Read) -> Result<Vec<String>, EngineError>;
        changes fn relabel_image(image: &str, labels: &std::collections::BTreeMap<String, String>, tag: &str) -> Result<Option<String>, EngineError>;
        changes fn relabel_image_steps(image: &str, steps: &[dokku_docker::RelabelStep]) -> Result<Option<Vec<String>>, EngineError>;
        changes fn commit_container(container: &str, spec: &CommitSpec) -> Result<String, EngineError>;
        reads fn create_container(spec: &ContainerSpec) -> Result<String, EngineError>;
        reads fn start_container(container: &str) -> Result<(), EngineError>;
        reads fn stop_container(container: &str, timeout: Option<Duration>) -> Result<(), EngineError>;
        reads fn kill_container(container: &str, signal: Option<&str>) -> Result<(), EngineError>;
        reads fn remove_container(container: &str, force: bool) -> Result<(), EngineError>;
        reads fn rename_container(container: &str, new_name: &str) -> Result<(), EngineError>;
        reads fn inspect_container(container: &str) -> Result<ContainerInfo, EngineError>;
        reads fn list_containers(filter: &ContainerFilter) -> Result<Vec<ContainerSummary>, EngineError>;
        reads fn wait_container(container: &str) -> Result<i64, EngineError>;
        reads fn container_logs(container: &str, options: &LogOptions, on_line: &mut dyn FnMut(LogStream, &str)) -> Result<(), EngineError>;
        reads fn exec(container: &str, spec: &ExecSpec) -> Result<ExecOutput, EngineError>;
        reads fn copy_from_container(container: &str, path: &str, out: &mut dyn std::io::Write) -> Result<(), EngineError>;
        reads fn create_volume(spec: &VolumeSpec) -> Result<(), EngineError>;
        reads fn remove_volume(name: &str, force: bool) -> Result<(), EngineError>;
        reads fn volume_exists(name: &str) -> Result<bool, EngineError>;
        reads fn create_network(spec: &dokku_docker::NetworkSpec) -> Result<String, EngineError>;
        reads fn remove_network(name: &str) -> Result<(), EngineError>;
        reads fn inspect_network(name: &str) -> Result<dokku_docker::NetworkInfo, EngineError>;
        reads fn list_networks() -> Result<Vec<dokku_docker::NetworkInfo>, EngineError>;
        reads fn connect_network(network: &str, container: &str, aliases: &[String]) -> Result<(), EngineError>;
        reads fn run_streaming(spec: &ContainerSpec, stdin: Option<&[u8]>, on_line: &mut dyn FnMut(LogStream, &str)) -> Result<i64, EngineError>;
        reads fn run_to_completion(spec: &ContainerSpec, stdin: Option<&[u8]>) -> Result<RunOutput, EngineError>;
        reads fn run_attached(spec: &ContainerSpec, io: AttachIo<'_>) -> Result<i64, EngineError>;
        reads fn attach_container(container: &str, io: AttachIo<'_>) -> Result<i64, EngineError>;
        reads fn exec_attached(container: &str, spec: &ExecSpec, io: AttachIo<'_>) -> Result<i64, EngineError>;
    }
}
