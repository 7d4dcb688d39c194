//! An in-memory [`ContainerEngine`] for unit tests of logic that drives containers: no daemon, scripted failures, a log of calls.
//!
//! Enabled by the `fake` feature; use it from `[dev-dependencies]` only.
//! It models what deploy-style code looks at (names, labels, states,
//! addresses, image references) and nothing it does not: builds read no
//! context, commands never run, logs and exec output are whatever the test
//! scripted. Tests that need a real container keep using the real engine.
//!
//! ```
//! use dokku_docker::fake::{FakeEngine, Op};
//! use dokku_docker::{ContainerEngine, ContainerSpec, ImageInfo};
//!
//! # fn main() -> Result<(), dokku_docker::EngineError> {
//! let engine = FakeEngine::new();
//! engine.add_image("dokku/app:latest", ImageInfo::default());
//! engine.fail(Op::Start, "app.worker");
//! let mut spec = ContainerSpec::new("dokku/app:latest");
//! spec.name = Some("app.worker.1".into());
//! let id = engine.create_container(&spec)?;
//! assert!(engine.start_container(&id).is_err());
//! assert_eq!(engine.calls(), ["create app.worker.1", "start app.worker.1"]);
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::error::{ApiError, ContainerOp};
use crate::info::{
    AttachIo, BuiltImage, ContainerInfo, ContainerNetwork, ContainerSummary, EngineVersion,
    ExecOutput, ImageInfo, ImageSummary, LogStream, NetworkInfo, RunOutput,
};
use crate::spec::{
    BuildSpec, CommitSpec, ContainerFilter, ContainerSpec, ExecSpec, ImageFilter, LogOptions,
    NetworkSpec, VolumeSpec,
};
use crate::{ContainerEngine, EngineError};

/// An operation of the engine, as named in the call log and in scripted
/// failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `create_container` (matched against the requested name, else the image).
    Create,
    /// `start_container`.
    Start,
    /// `stop_container`.
    Stop,
    /// `kill_container`.
    Kill,
    /// `remove_container`.
    Remove,
    /// `rename_container` (matched against the current name).
    Rename,
    /// `inspect_container`.
    Inspect,
    /// `list_containers` (matched against nothing: any pattern matches).
    List,
    /// `wait_container`.
    Wait,
    /// `container_logs`.
    Logs,
    /// `exec` and `exec_attached`.
    Exec,
    /// `commit_container`.
    Commit,
    /// `image_exists` and `image_inspect`.
    InspectImage,
    /// `tag_image` (matched against the source image).
    Tag,
    /// `remove_image`.
    RemoveImage,
    /// `build_image` (matched against the first tag).
    Build,
    /// `run_streaming`, `run_to_completion` and `run_attached` (matched
    /// against the requested name, else the image).
    Run,
    /// `create_volume`, `remove_volume` and `volume_exists`.
    Volume,
    /// `create_network`, `remove_network`, `inspect_network`,
    /// `list_networks` and `connect_network` (matched against the network).
    Network,
}

impl Op {
    fn word(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Start => "start",
            Op::Stop => "stop",
            Op::Kill => "kill",
            Op::Remove => "remove",
            Op::Rename => "rename",
            Op::Inspect => "inspect",
            Op::List => "list",
            Op::Wait => "wait",
            Op::Logs => "logs",
            Op::Exec => "exec",
            Op::Commit => "commit",
            Op::InspectImage => "inspect-image",
            Op::Tag => "tag",
            Op::RemoveImage => "remove-image",
            Op::Build => "build",
            Op::Run => "run",
            Op::Volume => "volume",
            Op::Network => "network",
        }
    }
}

/// A scripted failure: `op` on a target whose name (or id, or image
/// reference) contains `pattern` fails, `remaining` more times (`None`:
/// always).
#[derive(Debug, Clone)]
struct Failure {
    op: Op,
    pattern: String,
    remaining: Option<u32>,
}

#[derive(Debug, Clone)]
struct Container {
    id: String,
    name: String,
    spec: ContainerSpec,
    image_id: String,
    state: &'static str,
    exit_code: i64,
    ip: Option<String>,
    created: i64,
    /// Networks joined after creation, with their aliases.
    joined: BTreeMap<String, Vec<String>>,
}

impl Container {
    fn running(&self) -> bool {
        self.state == "running"
    }

    fn network(&self) -> String {
        self.spec
            .network
            .clone()
            .unwrap_or_else(|| "bridge".to_string())
    }

    /// Whether the container was started on, or joined, network `name`.
    fn on_network(&self, name: &str) -> bool {
        self.joined.contains_key(name) || self.network() == name
    }

    fn info(&self) -> ContainerInfo {
        let mut networks = BTreeMap::new();
        if self.network() != "host" {
            networks.insert(
                self.network(),
                ContainerNetwork {
                    ip_address: self.ip.clone(),
                    aliases: self.spec.network_aliases.clone(),
                },
            );
        }
        for (name, aliases) in &self.joined {
            networks.insert(
                name.clone(),
                ContainerNetwork {
                    ip_address: self.ip.clone(),
                    aliases: aliases.clone(),
                },
            );
        }
        ContainerInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            image_id: self.image_id.clone(),
            image: Some(self.spec.image.clone()),
            status: self.state.to_string(),
            running: self.running(),
            exit_code: self.exit_code,
            labels: self.spec.labels.clone(),
            env: self.spec.env.clone(),
            networks,
            ..ContainerInfo::default()
        }
    }

    fn summary(&self) -> ContainerSummary {
        ContainerSummary {
            id: self.id.clone(),
            names: vec![self.name.clone()],
            image: self.spec.image.clone(),
            image_id: self.image_id.clone(),
            labels: self.spec.labels.clone(),
            state: self.state.to_string(),
            status: self.state.to_string(),
            command: self.spec.cmd.clone().unwrap_or_default().join(" "),
            created: self.created,
        }
    }
}

#[derive(Debug, Clone)]
struct Image {
    info: ImageInfo,
    created: i64,
}

#[derive(Debug, Default)]
struct State {
    serial: u64,
    containers: Vec<Container>,
    images: BTreeMap<String, Image>,
    /// `repo:tag` to image id.
    refs: BTreeMap<String, String>,
    volumes: BTreeSet<String>,
    networks: BTreeMap<String, NetworkInfo>,
    failures: Vec<Failure>,
    /// Name patterns whose containers exit at once with this code when
    /// started.
    exits: Vec<(String, i64)>,
    /// Name patterns and the log lines their containers have.
    logs: Vec<(String, Vec<(LogStream, String)>)>,
    calls: Vec<String>,
    next_ip: u32,
}

impl State {
    fn next(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    fn check(&mut self, op: Op, target: &str) -> Result<(), EngineError> {
        self.calls.push(format!("{} {target}", op.word()));
        let hit = self.failures.iter_mut().find(|f| {
            f.op == op && (op == Op::List || target.contains(&f.pattern)) && f.remaining != Some(0)
        });
        let Some(hit) = hit else {
            return Ok(());
        };
        if let Some(n) = hit.remaining.as_mut() {
            *n -= 1;
        }
        Err(scripted(op, target))
    }

    fn container(&self, key: &str) -> Option<usize> {
        self.containers
            .iter()
            .position(|c| c.name == key || c.id == key)
            .or_else(|| {
                (key.len() >= 12)
                    .then(|| self.containers.iter().position(|c| c.id.starts_with(key)))
                    .flatten()
            })
    }

    fn container_or_404(&self, key: &str, operation: &'static str) -> Result<usize, EngineError> {
        self.container(key)
            .ok_or_else(|| not_found(operation, key, &format!("No such container: {key}")))
    }

    /// Records `op` on `container` (by the name it is known by), fails it
    /// when scripted to, then finds the container: its index, or the
    /// engine's 404 for `operation`.
    fn find(
        &mut self,
        op: Op,
        container: &str,
        operation: &'static str,
    ) -> Result<usize, EngineError> {
        let label = self.label_of(container);
        self.check(op, &label)?;
        self.container_or_404(container, operation)
    }

    /// The engine's 409 for `op` on `container` (found at `i`) unless it
    /// runs: a stopped container cannot be killed or run a command.
    fn require_running(
        &self,
        i: usize,
        op: ContainerOp,
        container: &str,
    ) -> Result<(), EngineError> {
        if self.containers[i].running() {
            return Ok(());
        }
        let message = format!("Container {container} is not running");
        Err(conflict(op, container, &message))
    }

    /// The network `name`, or the engine's 404 for `operation`.
    fn network_or_404(
        &self,
        name: &str,
        operation: &'static str,
    ) -> Result<&NetworkInfo, EngineError> {
        self.networks
            .get(name)
            .ok_or_else(|| not_found(operation, name, &format!("network {name} not found")))
    }

    /// The name a container is known by in the call log.
    fn label_of(&self, key: &str) -> String {
        self.container(key)
            .map(|i| self.containers[i].name.clone())
            .unwrap_or_else(|| key.to_string())
    }

    fn image_id(&self, key: &str) -> Option<String> {
        if let Some(id) = self.refs.get(&normalize(key)) {
            return Some(id.clone());
        }
        let with_prefix = if key.starts_with("sha256:") {
            key.to_string()
        } else {
            format!("sha256:{key}")
        };
        if self.images.contains_key(&with_prefix) {
            return Some(with_prefix);
        }
        (key.len() >= 12)
            .then(|| {
                self.images
                    .keys()
                    .find(|id| id.starts_with(&with_prefix))
                    .cloned()
            })
            .flatten()
    }

    fn image_info(&self, id: &str) -> Option<ImageInfo> {
        let image = self.images.get(id)?;
        let mut info = image.info.clone();
        info.id = id.to_string();
        info.repo_tags = self
            .refs
            .iter()
            .filter(|(_, i)| *i == id)
            .map(|(r, _)| r.clone())
            .collect();
        Some(info)
    }

    fn add_image(&mut self, info: ImageInfo) -> String {
        let n = self.next();
        let id = format!("sha256:{n:064x}");
        let created = n as i64;
        self.images.insert(id.clone(), Image { info, created });
        id
    }

    fn create(&mut self, spec: &ContainerSpec) -> Result<String, EngineError> {
        let operation = "create container";
        let image_id = self.image_id(&spec.image).ok_or_else(|| {
            not_found(
                operation,
                &spec.image,
                &format!("No such image: {}", spec.image),
            )
        })?;
        let n = self.next();
        // Distinct in their first twelve characters, as short ids are shown.
        let id = format!("{n:012x}{:052x}", u64::MAX - n);
        let name = spec.name.clone().unwrap_or_else(|| format!("fake_{n}"));
        if self.container(&name).is_some() {
            return Err(name_in_use(&name, |source| EngineError::CreateContainer {
                name: name.clone(),
                source,
            }));
        }
        self.containers.push(Container {
            id: id.clone(),
            name,
            spec: spec.clone(),
            image_id,
            state: "created",
            exit_code: 0,
            ip: None,
            created: n as i64,
            joined: BTreeMap::new(),
        });
        Ok(id)
    }

    fn start(&mut self, i: usize) {
        let name = self.containers[i].name.clone();
        let exit = self
            .exits
            .iter()
            .find(|(p, _)| name.contains(p.as_str()))
            .map(|(_, code)| *code);
        if let Some(code) = exit {
            let c = &mut self.containers[i];
            c.state = "exited";
            c.exit_code = code;
            c.ip = None;
            return;
        }
        self.next_ip += 1;
        let ip = (self.containers[i].network() != "host")
            .then(|| format!("172.17.{}.{}", self.next_ip / 250, self.next_ip % 250 + 2));
        let c = &mut self.containers[i];
        c.state = "running";
        c.exit_code = 0;
        c.ip = ip;
    }

    fn halt(&mut self, i: usize, code: i64) {
        let c = &mut self.containers[i];
        if c.running() {
            c.state = "exited";
            c.exit_code = code;
        }
        c.ip = None;
    }

    fn logs_of(&self, name: &str) -> Vec<(LogStream, String)> {
        self.logs
            .iter()
            .filter(|(p, _)| name.contains(p.as_str()))
            .flat_map(|(_, lines)| lines.iter().cloned())
            .collect()
    }
}

/// `repo` is `repo:latest`; digests and tags are kept as given.
fn normalize(reference: &str) -> String {
    match crate::split_reference(reference) {
        (repo, "") => repo.to_string(),
        (repo, tag) => format!("{repo}:{tag}"),
    }
}

fn not_found(operation: &'static str, name: &str, message: &str) -> EngineError {
    EngineError::NotFound {
        operation,
        name: name.to_string(),
        message: message.to_string(),
    }
}

fn api(status_code: u16, message: &str, wrap: impl FnOnce(ApiError) -> EngineError) -> EngineError {
    wrap(ApiError::new(
        bollard::errors::Error::DockerResponseServerError {
            status_code,
            message: message.to_string(),
        },
    ))
}

/// The engine's 409 for a container name another container has.
fn name_in_use(name: &str, wrap: impl FnOnce(ApiError) -> EngineError) -> EngineError {
    let message = format!("Conflict. The container name \"/{name}\" is already in use");
    api(409, &message, wrap)
}

/// A 409 from the engine for `op` on `container`.
fn conflict(op: ContainerOp, container: &str, message: &str) -> EngineError {
    api(409, message, |source| op.error(container, source))
}

/// The error a scripted failure of `op` on `target` returns: a 500 from the
/// engine, in the variant the real engine would use.
fn scripted(op: Op, target: &str) -> EngineError {
    let t = target.to_string();
    let message = format!("scripted failure: {} {target}", op.word());
    api(500, &message, |source| match op {
        Op::Create | Op::Run => EngineError::CreateContainer { name: t, source },
        Op::Start => ContainerOp::Start.error(target, source),
        Op::Stop => ContainerOp::Stop.error(target, source),
        Op::Kill => ContainerOp::Kill.error(target, source),
        Op::Remove => ContainerOp::Remove.error(target, source),
        Op::Rename => EngineError::RenameContainer {
            container: t.clone(),
            new_name: t,
            source,
        },
        Op::Inspect => ContainerOp::Inspect.error(target, source),
        Op::List => EngineError::ListContainers { source },
        Op::Wait => ContainerOp::Wait.error(target, source),
        Op::Logs => ContainerOp::Logs.error(target, source),
        Op::Exec => ContainerOp::Exec.error(target, source),
        Op::Commit => ContainerOp::Commit.error(target, source),
        Op::InspectImage => EngineError::InspectImage { image: t, source },
        Op::Tag => EngineError::TagImage {
            image: t.clone(),
            target: t,
            source,
        },
        Op::RemoveImage => EngineError::RemoveImage { image: t, source },
        Op::Build => EngineError::Build { tag: t, source },
        Op::Volume => EngineError::CreateVolume { name: t, source },
        Op::Network => EngineError::Network {
            operation: "create",
            name: t,
            source,
        },
    })
}

/// Whether `labels` carries `filter` (`key` or `key=value`).
fn has_label(labels: &BTreeMap<String, String>, filter: &str) -> bool {
    match filter.split_once('=') {
        Some((k, v)) => labels.get(k).map(String::as_str) == Some(v),
        None => labels.contains_key(filter),
    }
}

/// An in-memory container engine. Cheap to create; share it behind an
/// `Arc` to hand it to code that takes `Arc<dyn ContainerEngine>`.
#[derive(Debug, Default)]
pub struct FakeEngine {
    state: Mutex<State>,
}

impl FakeEngine {
    /// An engine with no image, container or volume.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds an image known as `reference` (moving the reference if another
    /// image had it); returns its id.
    pub fn add_image(&self, reference: &str, info: ImageInfo) -> String {
        let mut s = self.state();
        let id = s.add_image(info);
        s.refs.insert(normalize(reference), id.clone());
        id
    }

    /// Makes every later `op` on a target whose name, id or reference
    /// contains `pattern` fail with a 500 from the "engine".
    pub fn fail(&self, op: Op, pattern: &str) {
        self.state().failures.push(Failure {
            op,
            pattern: pattern.to_string(),
            remaining: None,
        });
    }

    /// Like [`FakeEngine::fail`], for the next `times` matching calls only.
    pub fn fail_times(&self, op: Op, pattern: &str, times: u32) {
        self.state().failures.push(Failure {
            op,
            pattern: pattern.to_string(),
            remaining: Some(times),
        });
    }

    /// Containers whose name contains `pattern` exit with `code` as soon
    /// as they are started (the start itself succeeds, as with a command
    /// that fails at once).
    pub fn exit_on_start(&self, pattern: &str, code: i64) {
        self.state().exits.push((pattern.to_string(), code));
    }

    /// Containers whose name contains `pattern` have these log lines.
    pub fn set_logs(&self, pattern: &str, lines: &[(LogStream, &str)]) {
        let lines = lines.iter().map(|(s, l)| (*s, l.to_string())).collect();
        self.state().logs.push((pattern.to_string(), lines));
    }

    /// Every call so far, in order, as `<op> <target>`: containers by their
    /// name at the time of the call, images by the reference given.
    pub fn calls(&self) -> Vec<String> {
        self.state().calls.clone()
    }

    /// Forgets the calls so far.
    pub fn clear_calls(&self) {
        self.state().calls.clear();
    }

    /// Every container, in creation order.
    pub fn containers(&self) -> Vec<ContainerInfo> {
        self.state()
            .containers
            .iter()
            .map(Container::info)
            .collect()
    }

    /// The spec a container was created from.
    pub fn spec_of(&self, container: &str) -> Option<ContainerSpec> {
        let s = self.state();
        s.container(container).map(|i| s.containers[i].spec.clone())
    }

    /// Every `repo:tag` known, sorted.
    pub fn references(&self) -> Vec<String> {
        self.state().refs.keys().cloned().collect()
    }
}

impl ContainerEngine for FakeEngine {
    fn ping(&self) -> Result<(), EngineError> {
        Ok(())
    }

    fn version(&self) -> Result<EngineVersion, EngineError> {
        Ok(EngineVersion {
            server_version: "fake".into(),
            api_version: "1.41".into(),
            min_api_version: None,
            client_api_version: "1.41".into(),
            os: Some("linux".into()),
            arch: None,
        })
    }

    fn image_exists(&self, image: &str) -> Result<bool, EngineError> {
        let mut s = self.state();
        s.check(Op::InspectImage, image)?;
        Ok(s.image_id(image).is_some())
    }

    fn image_inspect(&self, image: &str) -> Result<ImageInfo, EngineError> {
        let mut s = self.state();
        s.check(Op::InspectImage, image)?;
        s.image_id(image)
            .and_then(|id| s.image_info(&id))
            .ok_or_else(|| not_found("inspect image", image, &format!("No such image: {image}")))
    }

    fn build_image(
        &self,
        spec: &BuildSpec,
        _on_line: &mut dyn FnMut(&str),
    ) -> Result<BuiltImage, EngineError> {
        let mut s = self.state();
        let tag = spec
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| "<untagged>".into());
        s.check(Op::Build, &tag)?;
        let info = ImageInfo {
            labels: spec.labels.clone(),
            ..ImageInfo::default()
        };
        let id = s.add_image(info);
        for t in &spec.tags {
            s.refs.insert(normalize(t), id.clone());
        }
        Ok(BuiltImage { id })
    }

    fn tag_image(&self, image: &str, target: &str) -> Result<(), EngineError> {
        let mut s = self.state();
        s.check(Op::Tag, image)?;
        let id = s
            .image_id(image)
            .ok_or_else(|| not_found("tag image", image, &format!("No such image: {image}")))?;
        s.refs.insert(normalize(target), id);
        Ok(())
    }

    fn remove_image(&self, image: &str, force: bool) -> Result<(), EngineError> {
        let mut s = self.state();
        s.check(Op::RemoveImage, image)?;
        let id = s
            .image_id(image)
            .ok_or_else(|| not_found("remove image", image, &format!("No such image: {image}")))?;
        let by_reference = s.refs.contains_key(&normalize(image));
        let other_refs = s
            .refs
            .iter()
            .filter(|(r, i)| **i == id && **r != normalize(image))
            .count();
        if by_reference && other_refs > 0 {
            s.refs.remove(&normalize(image));
            return Ok(());
        }
        let used = s.containers.iter().any(|c| c.image_id == id);
        if used && !force {
            return Err(api(
                409,
                &format!("conflict: unable to remove image {image}: image is being used"),
                |source| EngineError::RemoveImage {
                    image: image.to_string(),
                    source,
                },
            ));
        }
        s.refs.retain(|_, i| *i != id);
        if !used {
            s.images.remove(&id);
        }
        Ok(())
    }

    fn list_images(&self, filter: &ImageFilter) -> Result<Vec<ImageSummary>, EngineError> {
        let s = self.state();
        let ids: Vec<String> = s.images.keys().cloned().collect();
        let mut out = Vec::new();
        for id in ids {
            let Some(info) = s.image_info(&id) else {
                continue;
            };
            if !filter.labels.iter().all(|l| has_label(&info.labels, l)) {
                continue;
            }
            if let Some(dangling) = filter.dangling {
                if dangling != info.repo_tags.is_empty() {
                    continue;
                }
            }
            if let Some(reference) = &filter.reference {
                let matches = |tag: &String| match reference.strip_suffix('*') {
                    Some(prefix) => tag.starts_with(prefix),
                    None if reference.contains(':') => *tag == normalize(reference),
                    None => tag.split_once(':').map(|(r, _)| r) == Some(reference.as_str()),
                };
                if !info.repo_tags.iter().any(matches) {
                    continue;
                }
            }
            out.push(ImageSummary {
                id: id.clone(),
                repo_tags: info.repo_tags.clone(),
                labels: info.labels.clone(),
                created: s.images.get(&id).map(|i| i.created).unwrap_or_default(),
                size: 0,
            });
        }
        Ok(out)
    }

    fn copy_from_container(
        &self,
        container: &str,
        path: &str,
        _out: &mut dyn std::io::Write,
    ) -> Result<(), EngineError> {
        Err(EngineError::InvalidSpec {
            what: "copy from container",
            message: format!("the fake engine does not copy {path} out of {container}"),
        })
    }

    fn load_image(&self, _tar: &mut dyn Read) -> Result<Vec<String>, EngineError> {
        Err(EngineError::InvalidSpec {
            what: "image archive",
            message: "the fake engine does not load images".into(),
        })
    }

    fn commit_container(&self, container: &str, spec: &CommitSpec) -> Result<String, EngineError> {
        let mut s = self.state();
        let i = s.find(Op::Commit, container, "commit container")?;
        let base = s.containers[i].image_id.clone();
        let info = s
            .images
            .get(&base)
            .map(|i| i.info.clone())
            .unwrap_or_default();
        let id = s.add_image(info);
        if !spec.reference.is_empty() {
            s.refs.insert(normalize(&spec.reference), id.clone());
        }
        Ok(id)
    }

    fn create_container(&self, spec: &ContainerSpec) -> Result<String, EngineError> {
        let mut s = self.state();
        let target = spec.name.clone().unwrap_or_else(|| spec.image.clone());
        s.check(Op::Create, &target)?;
        s.create(spec)
    }

    fn start_container(&self, container: &str) -> Result<(), EngineError> {
        let mut s = self.state();
        let i = s.find(Op::Start, container, "start container")?;
        if !s.containers[i].running() {
            s.start(i);
        }
        Ok(())
    }

    fn stop_container(
        &self,
        container: &str,
        _timeout: Option<Duration>,
    ) -> Result<(), EngineError> {
        let mut s = self.state();
        let i = s.find(Op::Stop, container, "stop container")?;
        s.halt(i, 0);
        Ok(())
    }

    fn kill_container(&self, container: &str, _signal: Option<&str>) -> Result<(), EngineError> {
        let mut s = self.state();
        let i = s.find(Op::Kill, container, "kill container")?;
        s.require_running(i, ContainerOp::Kill, container)?;
        s.halt(i, 137);
        Ok(())
    }

    fn remove_container(&self, container: &str, force: bool) -> Result<(), EngineError> {
        let mut s = self.state();
        let i = s.find(Op::Remove, container, "remove container")?;
        if s.containers[i].running() && !force {
            return Err(conflict(
                ContainerOp::Remove,
                container,
                &format!("You cannot remove a running container {container}"),
            ));
        }
        s.containers.remove(i);
        Ok(())
    }

    fn rename_container(&self, container: &str, new_name: &str) -> Result<(), EngineError> {
        let mut s = self.state();
        let label = s.label_of(container);
        s.calls.push(format!("rename {label} -> {new_name}"));
        let hit = s
            .failures
            .iter_mut()
            .find(|f| f.op == Op::Rename && label.contains(&f.pattern) && f.remaining != Some(0));
        if let Some(hit) = hit {
            if let Some(n) = hit.remaining.as_mut() {
                *n -= 1;
            }
            return Err(scripted(Op::Rename, &label));
        }
        let i = s.container_or_404(container, "rename container")?;
        if s.container(new_name).is_some_and(|j| j != i) {
            return Err(name_in_use(new_name, |source| {
                EngineError::RenameContainer {
                    container: container.to_string(),
                    new_name: new_name.to_string(),
                    source,
                }
            }));
        }
        s.containers[i].name = new_name.to_string();
        Ok(())
    }

    fn inspect_container(&self, container: &str) -> Result<ContainerInfo, EngineError> {
        let mut s = self.state();
        let i = s.find(Op::Inspect, container, "inspect container")?;
        Ok(s.containers[i].info())
    }

    fn list_containers(
        &self,
        filter: &ContainerFilter,
    ) -> Result<Vec<ContainerSummary>, EngineError> {
        let mut s = self.state();
        s.check(Op::List, "")?;
        // Newest first, as the engine lists them.
        Ok(s.containers
            .iter()
            .rev()
            .filter(|c| filter.all || c.running())
            .filter(|c| filter.labels.iter().all(|l| has_label(&c.spec.labels, l)))
            .filter(|c| filter.names.iter().all(|n| c.name.contains(n.as_str())))
            .filter(|c| {
                filter.statuses.is_empty() || filter.statuses.iter().any(|st| st == c.state)
            })
            .map(Container::summary)
            .collect())
    }

    fn wait_container(&self, container: &str) -> Result<i64, EngineError> {
        let mut s = self.state();
        let i = s.find(Op::Wait, container, "wait for container")?;
        // Nothing runs: a running container "exits" 0 when waited for.
        s.halt(i, 0);
        Ok(s.containers[i].exit_code)
    }

    fn container_logs(
        &self,
        container: &str,
        options: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError> {
        let lines = {
            let mut s = self.state();
            let i = s.find(Op::Logs, container, "read container logs")?;
            let name = s.containers[i].name.clone();
            s.logs_of(&name)
        };
        let skip = options
            .tail
            .map(|t| lines.len().saturating_sub(t as usize))
            .unwrap_or(0);
        for (stream, line) in lines.iter().skip(skip) {
            on_line(*stream, line);
        }
        Ok(())
    }

    fn exec(&self, container: &str, _spec: &ExecSpec) -> Result<ExecOutput, EngineError> {
        let mut s = self.state();
        let i = s.find(Op::Exec, container, "exec in container")?;
        s.require_running(i, ContainerOp::Exec, container)?;
        Ok(ExecOutput::default())
    }

    fn create_volume(&self, spec: &VolumeSpec) -> Result<(), EngineError> {
        let mut s = self.state();
        s.check(Op::Volume, &spec.name)?;
        s.volumes.insert(spec.name.clone());
        Ok(())
    }

    fn remove_volume(&self, name: &str, force: bool) -> Result<(), EngineError> {
        let mut s = self.state();
        s.check(Op::Volume, name)?;
        if !s.volumes.remove(name) && !force {
            return Err(not_found(
                "remove volume",
                name,
                &format!("get {name}: no such volume"),
            ));
        }
        Ok(())
    }

    fn volume_exists(&self, name: &str) -> Result<bool, EngineError> {
        let mut s = self.state();
        s.check(Op::Volume, name)?;
        Ok(s.volumes.contains(name))
    }

    fn create_network(&self, spec: &NetworkSpec) -> Result<String, EngineError> {
        let mut s = self.state();
        s.check(Op::Network, &spec.name)?;
        if s.networks.contains_key(&spec.name) {
            return Err(api(
                409,
                &format!("network with name {} already exists", spec.name),
                |source| EngineError::Network {
                    operation: "create",
                    name: spec.name.clone(),
                    source,
                },
            ));
        }
        let id = format!("{:064x}", s.next());
        let info = NetworkInfo {
            id: id.clone(),
            name: spec.name.clone(),
            driver: spec.driver.clone().unwrap_or_else(|| "bridge".into()),
            scope: "local".into(),
            created: "2024-01-01T00:00:00Z".into(),
            attachable: spec.attachable,
            labels: spec.labels.clone(),
            ..NetworkInfo::default()
        };
        s.networks.insert(spec.name.clone(), info);
        Ok(id)
    }

    fn remove_network(&self, name: &str) -> Result<(), EngineError> {
        let mut s = self.state();
        s.check(Op::Network, name)?;
        s.network_or_404(name, "remove network")?;
        if s.containers.iter().any(|c| c.on_network(name)) {
            return Err(api(
                403,
                &format!("error while removing network: network {name} has active endpoints"),
                |source| EngineError::Network {
                    operation: "remove",
                    name: name.to_string(),
                    source,
                },
            ));
        }
        s.networks.remove(name);
        Ok(())
    }

    fn inspect_network(&self, name: &str) -> Result<NetworkInfo, EngineError> {
        let mut s = self.state();
        s.check(Op::Network, name)?;
        let mut info = s.network_or_404(name, "inspect network")?.clone();
        info.containers = s
            .containers
            .iter()
            .filter(|c| c.on_network(name))
            .map(|c| c.id.clone())
            .collect();
        Ok(info)
    }

    fn list_networks(&self) -> Result<Vec<NetworkInfo>, EngineError> {
        let mut s = self.state();
        s.check(Op::Network, "")?;
        Ok(s.networks.values().cloned().collect())
    }

    fn connect_network(
        &self,
        network: &str,
        container: &str,
        aliases: &[String],
    ) -> Result<(), EngineError> {
        let mut s = self.state();
        s.check(Op::Network, network)?;
        s.network_or_404(network, "connect network")?;
        let i = s.container_or_404(container, "connect network")?;
        s.containers[i]
            .joined
            .insert(network.to_string(), aliases.to_vec());
        Ok(())
    }

    fn run_streaming(
        &self,
        spec: &ContainerSpec,
        _stdin: Option<&[u8]>,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<i64, EngineError> {
        let (code, lines) = self.run_once(spec)?;
        for (stream, line) in &lines {
            on_line(*stream, line);
        }
        Ok(code)
    }

    fn run_to_completion(
        &self,
        spec: &ContainerSpec,
        _stdin: Option<&[u8]>,
    ) -> Result<RunOutput, EngineError> {
        let (exit_code, lines) = self.run_once(spec)?;
        let mut out = RunOutput {
            exit_code,
            ..RunOutput::default()
        };
        for (stream, line) in lines {
            let buf = match stream {
                LogStream::Stdout => &mut out.stdout,
                LogStream::Stderr => &mut out.stderr,
            };
            buf.extend_from_slice(line.as_bytes());
            buf.push(b'\n');
        }
        Ok(out)
    }

    fn run_attached(&self, spec: &ContainerSpec, io: AttachIo<'_>) -> Result<i64, EngineError> {
        if let Some(mut hook) = io.on_created {
            let id = spec.display_name().to_string();
            hook(&id).map_err(|message| EngineError::Refused {
                container: id,
                message,
            })?;
        }
        let (code, lines) = self.run_once(spec)?;
        for (stream, line) in &lines {
            (io.on_output)(*stream, format!("{line}\n").as_bytes());
        }
        Ok(code)
    }

    fn attach_container(&self, container: &str, io: AttachIo<'_>) -> Result<i64, EngineError> {
        self.container_logs(container, &LogOptions::default(), &mut |stream, line| {
            (io.on_output)(stream, format!("{line}\n").as_bytes());
        })?;
        self.wait_container(container)
    }

    fn exec_attached(
        &self,
        container: &str,
        spec: &ExecSpec,
        _io: AttachIo<'_>,
    ) -> Result<i64, EngineError> {
        self.exec(container, spec).map(|o| o.exit_code)
    }
}

impl FakeEngine {
    /// A one-off container: created, "run" (its scripted logs are its
    /// output, its scripted exit code its result) and removed.
    fn run_once(
        &self,
        spec: &ContainerSpec,
    ) -> Result<(i64, Vec<(LogStream, String)>), EngineError> {
        let mut s = self.state();
        let target = spec.name.clone().unwrap_or_else(|| spec.image.clone());
        s.check(Op::Run, &target)?;
        let id = s.create(spec)?;
        let i = s.container_or_404(&id, "run container")?;
        s.start(i);
        let name = s.containers[i].name.clone();
        let code = s.containers[i].exit_code;
        let lines = s.logs_of(&name);
        s.containers.remove(i);
        Ok((code, lines))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, labels: &[(&str, &str)]) -> ContainerSpec {
        let mut spec = ContainerSpec::new("dokku/app:latest");
        spec.name = Some(name.into());
        spec.labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        spec
    }

    fn engine() -> FakeEngine {
        let e = FakeEngine::new();
        e.add_image("dokku/app", ImageInfo::default());
        e
    }

    #[test]
    fn containers_go_through_their_lifecycle() {
        let e = engine();
        let id = e.create_container(&spec("app.web.1", &[])).expect("create");
        let info = e.inspect_container("app.web.1").expect("inspect");
        assert_eq!(
            (info.id.as_str(), info.status.as_str()),
            (id.as_str(), "created")
        );
        assert_eq!(info.first_ip_address(), None);
        e.start_container(&id).expect("start");
        let info = e.inspect_container(&id[..12]).expect("inspect by short id");
        assert!(info.running);
        assert_eq!(info.ip_address("bridge"), Some("172.17.0.3"));
        let conflict = e.remove_container(&id, false).expect_err("running");
        assert!(conflict.is_conflict());
        e.stop_container(&id, None).expect("stop");
        assert_eq!(e.inspect_container(&id).expect("inspect").status, "exited");
        e.rename_container(&id, "app.web.1.123").expect("rename");
        e.remove_container("app.web.1.123", false).expect("remove");
        assert!(e.inspect_container(&id).expect_err("gone").is_not_found());
        assert_eq!(
            e.calls(),
            [
                "create app.web.1",
                "inspect app.web.1",
                "start app.web.1",
                "inspect app.web.1",
                "remove app.web.1",
                "stop app.web.1",
                "inspect app.web.1",
                "rename app.web.1 -> app.web.1.123",
                "remove app.web.1.123",
                &format!("inspect {id}"),
            ]
        );
    }

    #[test]
    fn names_are_unique_and_images_must_exist() {
        let e = engine();
        e.create_container(&spec("a", &[])).expect("create");
        assert!(e
            .create_container(&spec("a", &[]))
            .expect_err("taken")
            .is_conflict());
        let b = e.create_container(&spec("b", &[])).expect("create");
        assert!(e
            .rename_container(&b, "a")
            .expect_err("taken")
            .is_conflict());
        let mut missing = spec("c", &[]);
        missing.image = "dokku/other:latest".into();
        assert!(e
            .create_container(&missing)
            .expect_err("no image")
            .is_not_found());
    }

    #[test]
    fn lists_by_label_and_state_newest_first() {
        let e = engine();
        let a = e
            .create_container(&spec("a", &[("app", "x"), ("type", "deploy")]))
            .expect("a");
        e.create_container(&spec("b", &[("app", "x")])).expect("b");
        e.create_container(&spec("c", &[("app", "y")])).expect("c");
        e.start_container(&a).expect("start");
        let names = |f: &ContainerFilter| -> Vec<String> {
            e.list_containers(f)
                .expect("list")
                .into_iter()
                .map(|c| c.names[0].clone())
                .collect()
        };
        assert_eq!(names(&ContainerFilter::label("app=x")), ["b", "a"]);
        let mut f = ContainerFilter::label("app=x");
        f.labels.push("type".into());
        assert_eq!(names(&f), ["a"]);
        f = ContainerFilter::label("app");
        f.all = false;
        assert_eq!(names(&f), ["a"]);
        f = ContainerFilter::label("app");
        f.statuses = vec!["created".into()];
        assert_eq!(names(&f), ["c", "b"]);
    }

    #[test]
    fn images_are_tagged_inspected_and_removed() {
        let e = engine();
        let id = e.image_inspect("dokku/app:latest").expect("inspect").id;
        e.tag_image("dokku/app", "dokku/app:v2").expect("tag");
        assert_eq!(
            e.image_inspect(&id).expect("by id").repo_tags,
            ["dokku/app:latest", "dokku/app:v2"]
        );
        e.remove_image("dokku/app:latest", false).expect("untag");
        assert!(e.image_exists(&id).expect("exists"));
        let c = e.create_container(&spec("a", &[])).err();
        assert!(c.expect("latest is gone").is_not_found());
        let mut s = spec("a", &[]);
        s.image = "dokku/app:v2".into();
        e.create_container(&s).expect("create");
        assert!(e
            .remove_image("dokku/app:v2", false)
            .expect_err("used")
            .is_conflict());
        e.remove_container("a", true).expect("remove");
        e.remove_image("dokku/app:v2", false).expect("remove");
        assert!(!e.image_exists(&id).expect("exists"));
        assert!(e.references().is_empty());
    }

    #[test]
    fn failures_are_scripted() {
        let e = engine();
        e.fail(Op::Start, "worker");
        e.fail_times(Op::Create, "web", 1);
        e.exit_on_start("clock", 3);
        e.set_logs("worker", &[(LogStream::Stderr, "boom")]);
        assert!(e.create_container(&spec("app.web.1", &[])).is_err());
        let web = e
            .create_container(&spec("app.web.1", &[]))
            .expect("second try");
        e.start_container(&web).expect("web starts");
        let worker = e
            .create_container(&spec("app.worker.1", &[]))
            .expect("create");
        let err = e.start_container(&worker).expect_err("scripted");
        assert_eq!(err.status_code(), Some(500));
        let clock = e
            .create_container(&spec("app.clock.1", &[]))
            .expect("create");
        e.start_container(&clock).expect("starts");
        let info = e.inspect_container(&clock).expect("inspect");
        assert_eq!((info.running, info.exit_code), (false, 3));
        let mut lines = Vec::new();
        e.container_logs(&worker, &LogOptions::default(), &mut |s, l| {
            lines.push((s, l.to_string()))
        })
        .expect("logs");
        assert_eq!(lines, [(LogStream::Stderr, "boom".to_string())]);
        assert!(e.image_exists("dokku/none").is_ok_and(|x| !x));
        e.fail(Op::InspectImage, "dokku/app");
        assert!(e.image_inspect("dokku/app").is_err());
    }

    #[test]
    fn runs_leave_nothing_behind() {
        let e = engine();
        e.set_logs("task", &[(LogStream::Stdout, "hello")]);
        let out = e.run_to_completion(&spec("task", &[]), None).expect("run");
        assert_eq!((out.exit_code, out.stdout_lossy().as_str()), (0, "hello\n"));
        assert!(e.containers().is_empty());
    }

    #[test]
    fn is_a_shareable_engine() {
        let e: std::sync::Arc<dyn ContainerEngine> = std::sync::Arc::new(engine());
        let threads: Vec<_> = (0..4)
            .map(|n| {
                let e = e.clone();
                std::thread::spawn(move || e.create_container(&spec(&format!("c{n}"), &[])))
            })
            .collect();
        for t in threads {
            t.join().expect("thread").expect("create");
        }
        assert_eq!(
            e.list_containers(&ContainerFilter::label("x"))
                .expect("list")
                .len(),
            0
        );
        assert_eq!(
            e.list_containers(&ContainerFilter {
                all: true,
                ..ContainerFilter::default()
            })
            .expect("list")
            .len(),
            4
        );
    }
}
