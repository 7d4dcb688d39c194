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
    log_driver: std::sync::OnceLock<String>,
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

impl ContainerEngine for Watched {
    fn ping(&self) -> Result<(), EngineError> {
        self.inner.ping()
    }
    fn swarm(&self) -> Option<&dyn dokku_docker::SwarmEngine> {
        self.inner.swarm()
    }

    fn swarm_workloads(&self) -> Option<&dyn dokku_docker::SwarmWorkloads> {
        self.inner.swarm_workloads()
    }
    fn version(&self) -> Result<EngineVersion, EngineError> {
        self.inner.version()
    }
    fn default_log_driver(&self) -> Result<String, EngineError> {
        if let Some(driver) = self.log_driver.get() {
            return Ok(driver.clone());
        }
        let driver = self.inner.default_log_driver()?;
        Ok(self.log_driver.get_or_init(|| driver).clone())
    }
    fn live_restore_enabled(&self) -> Result<bool, EngineError> {
        self.inner.live_restore_enabled()
    }
    fn image_exists(&self, image: &str) -> Result<bool, EngineError> {
        self.inner.image_exists(image)
    }
    fn image_inspect(&self, image: &str) -> Result<ImageInfo, EngineError> {
        self.inner.image_inspect(image)
    }
    fn build_image(
        &self,
        spec: &BuildSpec,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<BuiltImage, EngineError> {
        self.changes(self.inner.build_image(spec, on_line))
    }
    fn tag_image(&self, image: &str, target: &str) -> Result<(), EngineError> {
        self.changes(self.inner.tag_image(image, target))
    }
    fn registry_login(&self, auth: &RegistryAuth) -> Result<String, EngineError> {
        self.inner.registry_login(auth)
    }
    fn push_image(
        &self,
        image: &str,
        auth: Option<&RegistryAuth>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<(), EngineError> {
        self.inner.push_image(image, auth, on_line)
    }
    fn pull_image(
        &self,
        image: &str,
        auth: Option<&RegistryAuth>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<(), EngineError> {
        self.changes(self.inner.pull_image(image, auth, on_line))
    }
    fn remove_image(&self, image: &str, force: bool) -> Result<(), EngineError> {
        self.changes(self.inner.remove_image(image, force))
    }
    fn list_images(&self, filter: &ImageFilter) -> Result<Vec<ImageSummary>, EngineError> {
        self.inner.list_images(filter)
    }
    fn load_image(&self, tar: &mut dyn Read) -> Result<Vec<String>, EngineError> {
        self.changes(self.inner.load_image(tar))
    }
    fn relabel_image(
        &self,
        image: &str,
        labels: &std::collections::BTreeMap<String, String>,
        tag: &str,
    ) -> Result<Option<String>, EngineError> {
        self.changes(self.inner.relabel_image(image, labels, tag))
    }
    fn commit_container(&self, container: &str, spec: &CommitSpec) -> Result<String, EngineError> {
        self.changes(self.inner.commit_container(container, spec))
    }
    fn create_container(&self, spec: &ContainerSpec) -> Result<String, EngineError> {
        self.inner.create_container(spec)
    }
    fn start_container(&self, container: &str) -> Result<(), EngineError> {
        self.inner.start_container(container)
    }
    fn stop_container(
        &self,
        container: &str,
        timeout: Option<Duration>,
    ) -> Result<(), EngineError> {
        self.inner.stop_container(container, timeout)
    }
    fn kill_container(&self, container: &str, signal: Option<&str>) -> Result<(), EngineError> {
        self.inner.kill_container(container, signal)
    }
    fn remove_container(&self, container: &str, force: bool) -> Result<(), EngineError> {
        self.inner.remove_container(container, force)
    }
    fn rename_container(&self, container: &str, new_name: &str) -> Result<(), EngineError> {
        self.inner.rename_container(container, new_name)
    }
    fn inspect_container(&self, container: &str) -> Result<ContainerInfo, EngineError> {
        self.inner.inspect_container(container)
    }
    fn list_containers(
        &self,
        filter: &ContainerFilter,
    ) -> Result<Vec<ContainerSummary>, EngineError> {
        self.inner.list_containers(filter)
    }
    fn wait_container(&self, container: &str) -> Result<i64, EngineError> {
        self.inner.wait_container(container)
    }
    fn container_logs(
        &self,
        container: &str,
        options: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError> {
        self.inner.container_logs(container, options, on_line)
    }
    fn exec(&self, container: &str, spec: &ExecSpec) -> Result<ExecOutput, EngineError> {
        self.inner.exec(container, spec)
    }
    fn copy_from_container(
        &self,
        container: &str,
        path: &str,
        out: &mut dyn std::io::Write,
    ) -> Result<(), EngineError> {
        self.inner.copy_from_container(container, path, out)
    }
    fn create_volume(&self, spec: &VolumeSpec) -> Result<(), EngineError> {
        self.inner.create_volume(spec)
    }
    fn remove_volume(&self, name: &str, force: bool) -> Result<(), EngineError> {
        self.inner.remove_volume(name, force)
    }
    fn volume_exists(&self, name: &str) -> Result<bool, EngineError> {
        self.inner.volume_exists(name)
    }
    fn create_network(&self, spec: &dokku_docker::NetworkSpec) -> Result<String, EngineError> {
        self.inner.create_network(spec)
    }
    fn remove_network(&self, name: &str) -> Result<(), EngineError> {
        self.inner.remove_network(name)
    }
    fn inspect_network(&self, name: &str) -> Result<dokku_docker::NetworkInfo, EngineError> {
        self.inner.inspect_network(name)
    }
    fn list_networks(&self) -> Result<Vec<dokku_docker::NetworkInfo>, EngineError> {
        self.inner.list_networks()
    }
    fn connect_network(
        &self,
        network: &str,
        container: &str,
        aliases: &[String],
    ) -> Result<(), EngineError> {
        self.inner.connect_network(network, container, aliases)
    }
    fn run_streaming(
        &self,
        spec: &ContainerSpec,
        stdin: Option<&[u8]>,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<i64, EngineError> {
        self.inner.run_streaming(spec, stdin, on_line)
    }
    fn run_to_completion(
        &self,
        spec: &ContainerSpec,
        stdin: Option<&[u8]>,
    ) -> Result<RunOutput, EngineError> {
        self.inner.run_to_completion(spec, stdin)
    }
    fn run_attached(
        &self,
        spec: &ContainerSpec,
        io: AttachIo,
        on_output: &mut dyn FnMut(LogStream, &[u8]),
    ) -> Result<i64, EngineError> {
        self.inner.run_attached(spec, io, on_output)
    }
    fn attach_container(
        &self,
        container: &str,
        io: AttachIo,
        on_output: &mut dyn FnMut(LogStream, &[u8]),
    ) -> Result<i64, EngineError> {
        self.inner.attach_container(container, io, on_output)
    }
    fn exec_attached(
        &self,
        container: &str,
        spec: &ExecSpec,
        io: AttachIo,
        on_output: &mut dyn FnMut(LogStream, &[u8]),
    ) -> Result<i64, EngineError> {
        self.inner.exec_attached(container, spec, io, on_output)
    }
}
