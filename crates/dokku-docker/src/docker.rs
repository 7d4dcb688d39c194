//! `DockerEngine`: the `ContainerEngine` over the Docker Engine API (bollard), on a private runtime.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::io::Read;
use std::pin::{pin, Pin};
use std::time::Duration;

use bollard::container::{
    AttachContainerOptions, CreateContainerOptions, KillContainerOptions, ListContainersOptions,
    LogOutput, LogsOptions, RemoveContainerOptions, RenameContainerOptions,
    ResizeContainerTtyOptions, StopContainerOptions, WaitContainerOptions,
};
use bollard::exec::{CreateExecOptions, ResizeExecOptions, StartExecOptions, StartExecResults};
use bollard::image::{
    BuildImageOptions, CommitContainerOptions, ImportImageOptions, ListImagesOptions,
    RemoveImageOptions, TagImageOptions,
};
use bollard::models::EndpointSettings;
use bollard::network::{
    ConnectNetworkOptions, CreateNetworkOptions, InspectNetworkOptions, ListNetworksOptions,
};
use bollard::volume::{CreateVolumeOptions, RemoveVolumeOptions};
use bollard::Docker;
use futures_util::future::{self, Either};
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::context::{tar_directory, with_labels};
use crate::convert;
use crate::error::{classify, ApiError, ContainerOp};
use crate::info::{
    AttachIo, BuiltImage, ContainerInfo, ContainerSummary, EngineVersion, ExecOutput, ImageInfo,
    ImageSummary, LogStream, NetworkInfo, RunOutput,
};
use crate::lines::LineBuffer;
use crate::push::RegistryAuth;
use crate::reference::split_reference;
use crate::spec::{
    BuildContext, BuildSpec, CommitSpec, ContainerFilter, ContainerSpec, ExecSpec, ImageFilter,
    LogOptions, NetworkSpec, VolumeSpec,
};
use crate::{ContainerEngine, EngineError, RelabelStep};

/// Per-request timeout once connected. The docker CLI has none; builds,
/// loads, commits and `stop` with a long grace period legitimately take long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// How long `exec` waits for the engine to record the exit code of a
/// command whose output has ended.
const EXEC_EXIT_WAIT: Duration = Duration::from_secs(30);

/// Size of the chunks an image archive is streamed to the engine in.
const LOAD_CHUNK: usize = 256 * 1024;

type OutputStream = Pin<Box<dyn Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>;
type InputSink = Pin<Box<dyn AsyncWrite + Send>>;

/// The container engine on this machine, reached through the Docker Engine
/// API. Owns a current-thread tokio runtime and blocks on it in every call,
/// so it must not be used from inside an async runtime.
pub struct DockerEngine {
    runtime: tokio::runtime::Runtime,
    docker: Docker,
    /// The client of the calls the library lacks (registry, swarm), for
    /// engines on a unix socket or plain TCP.
    http: Option<crate::http::EngineHttp>,
}

impl std::fmt::Debug for DockerEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DockerEngine")
            .field("api_version", &self.docker.client_version().to_string())
            .finish_non_exhaustive()
    }
}

impl DockerEngine {
    /// The daemon's `GET /info`.
    fn system_info(&self) -> Result<bollard::models::SystemInfo, EngineError> {
        self.block(self.docker.info())
            .map_err(|e| EngineError::Info {
                source: ApiError::new(e),
            })
    }

    /// Connects to the local engine (`DOCKER_HOST` when set to a `unix://`,
    /// `tcp://` or `http://` address, else `/var/run/docker.sock`) and
    /// negotiates the API version, so the engine is known to answer.
    pub fn connect() -> Result<Self, EngineError> {
        let host = std::env::var("DOCKER_HOST").ok();
        Self::open(host.as_deref(), || match host.as_deref() {
            Some(h) if h.starts_with("tcp://") || h.starts_with("http://") => {
                Docker::connect_with_http_defaults()
            }
            _ => Docker::connect_with_local_defaults(),
        })
    }

    /// Connects to the engine at `host` (`unix:///path/to/docker.sock`),
    /// whatever `DOCKER_HOST` says; for tests that run several engines.
    pub fn connect_to(host: &str) -> Result<Self, EngineError> {
        let path = host.strip_prefix("unix://").unwrap_or(host);
        Self::open(Some(&format!("unix://{path}")), || {
            Docker::connect_with_unix(path, 120, bollard::API_DEFAULT_VERSION)
        })
    }

    /// Starts the runtime, makes the client with `client` inside it and
    /// negotiates the API version; `host` is the engine's address, for
    /// the requests made without the client.
    fn open(
        host: Option<&str>,
        client: impl FnOnce() -> Result<Docker, bollard::errors::Error>,
    ) -> Result<Self, EngineError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| EngineError::Runtime { source })?;
        let connect_error = |e| EngineError::Connect {
            source: ApiError::new(e),
        };
        let docker = {
            let _guard = runtime.enter();
            client().map_err(connect_error)?
        };
        let docker = runtime
            .block_on(docker.negotiate_version())
            .map_err(connect_error)?
            .with_timeout(REQUEST_TIMEOUT);
        let http = crate::http::Endpoint::of(host).map(|endpoint| crate::http::EngineHttp {
            endpoint,
            api_version: docker.client_version().to_string(),
        });
        Ok(Self {
            runtime,
            docker,
            http,
        })
    }

    /// The API version negotiated with the engine, e.g. `1.41`.
    pub fn api_version(&self) -> String {
        self.docker.client_version().to_string()
    }

    fn block<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    async fn inspect_image_async(&self, image: &str) -> Result<ImageInfo, EngineError> {
        let inspect = self.docker.inspect_image(image).await.map_err(|e| {
            classify(e, "inspect image", image, |source| {
                EngineError::InspectImage {
                    image: image.to_string(),
                    source,
                }
            })
        })?;
        convert::image_info(inspect)
    }

    async fn tag_image_async(&self, image: &str, target: &str) -> Result<(), EngineError> {
        let (repo, tag) = split_reference(target);
        if tag.is_empty() {
            return Err(EngineError::InvalidSpec {
                what: "image tag",
                message: format!("{target:?} is a digest reference, not a tag"),
            });
        }
        let options = TagImageOptions { repo, tag };
        self.docker
            .tag_image(image, Some(options))
            .await
            .map_err(|e| {
                classify(e, "tag image", image, |source| EngineError::TagImage {
                    image: image.to_string(),
                    target: target.to_string(),
                    source,
                })
            })
    }

    async fn build_async(
        &self,
        spec: &BuildSpec,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<BuiltImage, EngineError> {
        let tag = spec
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| "<untagged>".to_string());
        // Labels go in as one LABEL instruction appended to the Dockerfile
        // when it is a plain file of the directory: the engine's `labels`
        // option would add a step and an intermediate container per label.
        let mut labels = spec.labels.clone();
        let context = match &spec.context {
            BuildContext::Directory(dir) => {
                let name = spec.dockerfile.as_deref().unwrap_or("Dockerfile");
                let folded = (!labels.is_empty())
                    .then(|| folded_dockerfile(dir, name, &labels))
                    .flatten();
                match folded {
                    Some(text) => {
                        labels.clear();
                        tar_directory(dir, Some((name, &text)))?
                    }
                    None => tar_directory(dir, None)?,
                }
            }
            BuildContext::Tar(bytes) => bytes.clone(),
        };
        let options = BuildImageOptions::<String> {
            dockerfile: spec.dockerfile.clone().unwrap_or_default(),
            t: spec.tags.first().cloned().unwrap_or_default(),
            nocache: spec.no_cache,
            rm: true,
            forcerm: true,
            pull: false,
            buildargs: spec.build_args.clone().into_iter().collect(),
            labels: labels.into_iter().collect(),
            networkmode: spec.network.clone().unwrap_or_default(),
            memory: spec.memory.and_then(|m| u64::try_from(m).ok()),
            memswap: spec.memory_swap,
            ..BuildImageOptions::default()
        };

        let mut stream = pin!(self.docker.build_image(options, None, Some(context.into())));
        let mut lines = LineBuffer::default();
        let mut image_id = None;
        let mut failure = None;
        while let Some(item) = stream.next().await {
            let info = match item {
                Ok(info) => info,
                // bollard turns the engine's `error` message into an error.
                Err(bollard::errors::Error::DockerStreamError { error }) => {
                    failure = Some(error);
                    break;
                }
                Err(e) => {
                    return Err(classify(e, "build image", &tag, |source| {
                        EngineError::Build {
                            tag: tag.clone(),
                            source,
                        }
                    }))
                }
            };
            if let Some(text) = &info.stream {
                lines.push(text.as_bytes(), on_line);
            }
            if let Some(status) = &info.status {
                lines.finish(on_line);
                on_line(status.trim_end());
            }
            if let Some(id) = info.aux.and_then(|aux| aux.id) {
                image_id = Some(id);
            }
            if let Some(error) = info.error {
                failure = Some(error);
            }
        }
        lines.finish(on_line);
        if let Some(message) = failure {
            return Err(EngineError::BuildFailed {
                tag,
                message: message.trim_end().to_string(),
            });
        }

        let id = match (image_id, spec.tags.first()) {
            (Some(id), _) => id,
            (None, Some(first)) => self.inspect_image_async(first).await?.id,
            (None, None) => {
                return Err(EngineError::MissingField {
                    operation: "build image",
                    field: "aux.ID",
                })
            }
        };
        for extra in spec.tags.iter().skip(1) {
            self.tag_image_async(&id, extra).await?;
        }
        Ok(BuiltImage { id })
    }

    async fn relabel_steps_async(
        &self,
        image: &str,
        steps: &[RelabelStep],
    ) -> Result<Option<Vec<String>>, EngineError> {
        let inspect_err = |e| {
            classify(e, "inspect image", image, |source| {
                EngineError::InspectImage {
                    image: image.to_string(),
                    source,
                }
            })
        };
        let inspect = self
            .docker
            .inspect_image(image)
            .await
            .map_err(inspect_err)?;
        let history = self
            .docker
            .image_history(image)
            .await
            .map_err(inspect_err)?;
        let now = dokku_core::time::now_unix();
        let Some((first, rest)) = steps.split_first() else {
            return Ok(Some(Vec::new()));
        };
        let Some(mut config) =
            crate::relabel::relabelled_config(&inspect, &history, &first.labels, now)
        else {
            return Ok(None);
        };
        let invalid = |e: std::io::Error| EngineError::InvalidSpec {
            what: "relabelled image",
            message: e.to_string(),
        };
        let mut configs = vec![serde_json::to_vec(&config).map_err(|e| invalid(e.into()))?];
        for step in rest {
            crate::relabel::add_labels(&mut config, &step.labels, now);
            configs.push(serde_json::to_vec(&config).map_err(|e| invalid(e.into()))?);
        }
        let layers = config["rootfs"]["diff_ids"]
            .as_array()
            .map(Vec::len)
            .unwrap_or_default();
        let images: Vec<(&[u8], Option<&str>)> = configs
            .iter()
            .zip(steps)
            .map(|(c, step)| (c.as_slice(), step.tag.as_deref()))
            .collect();
        let archive = crate::relabel::load_archive(&images, layers).map_err(invalid)?;
        let reports = self.load_async(&mut archive.as_slice()).await?;
        // The engine reports every image's id, in the archive's order,
        // when the last one is untagged; a tagged image is known by its tag.
        let reported: Vec<String> = reports
            .iter()
            .filter_map(|l| l.strip_prefix("Loaded image ID: "))
            .map(str::to_string)
            .collect();
        if reported.len() == steps.len() {
            return Ok(Some(reported));
        }
        let mut ids = Vec::with_capacity(steps.len());
        for step in steps {
            let Some(tag) = &step.tag else {
                return Err(EngineError::MissingField {
                    operation: "load relabelled image",
                    field: "Loaded image ID",
                });
            };
            ids.push(self.inspect_image_async(tag).await?.id);
        }
        Ok(Some(ids))
    }

    async fn load_async(&self, tar: &mut dyn Read) -> Result<Vec<String>, EngineError> {
        let (sender, receiver) = tokio::sync::mpsc::channel::<bytes::Bytes>(4);
        let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|chunk| (chunk, receiver))
        });

        let produce = async move {
            loop {
                let mut chunk = vec![0u8; LOAD_CHUNK];
                let read = loop {
                    match tar.read(&mut chunk) {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        other => break other,
                    }
                };
                let read = read.map_err(|source| EngineError::LoadImageRead { source })?;
                if read == 0 {
                    return Ok::<(), EngineError>(());
                }
                chunk.truncate(read);
                if sender.send(chunk.into()).await.is_err() {
                    // The engine stopped reading: its answer tells why.
                    return Ok(());
                }
            }
        };

        let consume = async {
            let options = ImportImageOptions { quiet: true };
            let mut stream = pin!(self.docker.import_image_stream(options, body, None));
            let mut reports = Vec::new();
            while let Some(item) = stream.next().await {
                let info = item.map_err(|e| EngineError::LoadImage {
                    source: ApiError::new(e),
                })?;
                if let Some(text) = info.stream {
                    reports.extend(
                        text.lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_string),
                    );
                }
            }
            Ok::<Vec<String>, EngineError>(reports)
        };

        match future::select(pin!(consume), pin!(produce)).await {
            Either::Left((reports, _producer)) => reports,
            Either::Right((produced, consume)) => {
                produced?;
                consume.await
            }
        }
    }

    async fn create_async(
        &self,
        spec: &ContainerSpec,
        attach_stdin: bool,
    ) -> Result<String, EngineError> {
        let config = convert::container_config(spec, attach_stdin)?;
        let options = spec.name.as_ref().map(|name| CreateContainerOptions {
            name: name.clone(),
            platform: None,
        });
        let created = self
            .docker
            .create_container(options, config)
            .await
            .map_err(|e| {
                classify(e, "create container from image", &spec.image, |source| {
                    EngineError::CreateContainer {
                        name: spec.display_name().to_string(),
                        source,
                    }
                })
            })?;
        Ok(created.id)
    }

    async fn start_async(&self, container: &str) -> Result<(), EngineError> {
        self.docker
            .start_container::<String>(container, None)
            .await
            .map_err(|e| ContainerOp::Start.classify(e, container))
    }

    async fn remove_async(&self, container: &str, force: bool) -> Result<(), EngineError> {
        let options = RemoveContainerOptions {
            v: false,
            force,
            link: false,
        };
        self.docker
            .remove_container(container, Some(options))
            .await
            .map_err(|e| ContainerOp::Remove.classify(e, container))
    }

    async fn wait_async(&self, container: &str) -> Result<i64, EngineError> {
        let wrap = |e| ContainerOp::Wait.classify(e, container);
        let options = WaitContainerOptions {
            condition: "not-running",
        };
        let mut stream = pin!(self.docker.wait_container(container, Some(options)));
        match stream.next().await {
            Some(Ok(response)) => Ok(response.status_code),
            // bollard reports a non-zero exit as an error; it is an answer.
            Some(Err(bollard::errors::Error::DockerContainerWaitError { error, code }))
                if error.is_empty() =>
            {
                Ok(code)
            }
            Some(Err(e)) => Err(wrap(e)),
            None => Err(EngineError::MissingField {
                operation: "wait for container",
                field: "StatusCode",
            }),
        }
    }

    /// Attaches to the created `container` (standard input too when
    /// `stdin`), then starts it; returns the hijacked streams.
    async fn attach_and_start(
        &self,
        container: &str,
        stdin: bool,
    ) -> Result<(OutputStream, InputSink), EngineError> {
        let streams = self.attach_streams(container, stdin, false).await?;
        self.start_async(container).await?;
        Ok(streams)
    }

    /// Attaches to `container` (standard input too when `stdin`; its
    /// output so far first when `past`); returns the hijacked streams.
    async fn attach_streams(
        &self,
        container: &str,
        stdin: bool,
        past: bool,
    ) -> Result<(OutputStream, InputSink), EngineError> {
        let options = AttachContainerOptions::<String> {
            stdin: Some(stdin),
            stdout: Some(true),
            stderr: Some(true),
            stream: Some(true),
            logs: Some(past),
            detach_keys: None,
        };
        let attached = self
            .docker
            .attach_container(container, Some(options))
            .await
            .map_err(|e| ContainerOp::Attach.classify(e, container))?;
        Ok((attached.output, attached.input))
    }

    /// Removes a finished run's container: the run's own error first, then
    /// a removal error other than the container being gone already.
    async fn remove_after_run(
        &self,
        id: &str,
        result: Result<i64, EngineError>,
    ) -> Result<i64, EngineError> {
        let removed = self.remove_async(id, true).await;
        let code = result?;
        match removed {
            Err(e) if !e.is_not_found() => Err(e),
            _ => Ok(code),
        }
    }

    /// Attaches, starts, pumps stdin and output, waits: the body of
    /// `run_streaming`, without the create and the removal.
    async fn attach_start_wait(
        &self,
        container: &str,
        stdin: Option<&[u8]>,
        sink: &mut dyn FnMut(LogStream, &[u8]),
    ) -> Result<i64, EngineError> {
        let (output, input) = self.attach_and_start(container, stdin.is_some()).await?;
        pump(output, input, stdin, sink)
            .await
            .map_err(|e| e.into_engine_error(container, "attach to container"))?;
        self.wait_async(container).await
    }

    async fn run_async(
        &self,
        spec: &ContainerSpec,
        stdin: Option<&[u8]>,
        sink: &mut dyn FnMut(LogStream, &[u8]),
    ) -> Result<i64, EngineError> {
        let mut spec = spec.clone();
        spec.auto_remove = false;
        let id = self.create_async(&spec, stdin.is_some()).await?;
        let result = self.attach_start_wait(&id, stdin, sink).await;
        self.remove_after_run(&id, result).await
    }

    /// The body of `run_attached`: create with standard input attached,
    /// attach, start, stream, wait, remove.
    async fn run_attached_async(
        &self,
        spec: &ContainerSpec,
        io: AttachIo<'_>,
    ) -> Result<i64, EngineError> {
        let mut spec = spec.clone();
        spec.auto_remove = false;
        let id = self.create_async(&spec, io.stdin.is_some()).await?;
        let result = self.attach_and_pump(&id, true, io).await;
        self.remove_after_run(&id, result).await
    }

    /// Attaches to `container`, sizes its TTY, pumps standard input and
    /// output until the streams close and waits for its exit code: a
    /// `created` container is started once attached, one already started
    /// shows its output so far first.
    async fn attach_and_pump(
        &self,
        container: &str,
        created: bool,
        io: AttachIo<'_>,
    ) -> Result<i64, EngineError> {
        let stdin = io.stdin.is_some();
        let (output, input) = if created {
            self.attach_and_start(container, stdin).await?
        } else {
            self.attach_streams(container, stdin, true).await?
        };
        if let Some((height, width)) = io.tty_size {
            let size = ResizeContainerTtyOptions { width, height };
            // A terminal of the wrong size is no reason to fail the run.
            let _ = self.docker.resize_container_tty(container, size).await;
        }
        pump_live(output, input, io.stdin, io.on_output)
            .await
            .map_err(|e| e.into_engine_error(container, "attach to container"))?;
        self.wait_async(container).await
    }

    /// Creates an exec of `spec` in `container` and starts it attached;
    /// returns its id and the hijacked streams.
    async fn start_exec_attached(
        &self,
        container: &str,
        spec: &ExecSpec,
        attach_stdin: bool,
    ) -> Result<(String, OutputStream, InputSink), EngineError> {
        let options = CreateExecOptions::<String> {
            attach_stdin: Some(attach_stdin),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            tty: Some(spec.tty),
            env: (!spec.env.is_empty()).then(|| spec.env.clone()),
            cmd: Some(spec.cmd.clone()),
            privileged: Some(spec.privileged),
            user: spec.user.clone(),
            working_dir: spec.working_dir.clone(),
            detach_keys: None,
        };
        let exec = self
            .docker
            .create_exec(container, options)
            .await
            .map_err(|e| ContainerOp::Exec.classify(e, container))?;
        let start = StartExecOptions {
            detach: false,
            tty: spec.tty,
            output_capacity: None,
        };
        match self
            .docker
            .start_exec(&exec.id, Some(start))
            .await
            .map_err(|e| ContainerOp::Exec.classify(e, container))?
        {
            StartExecResults::Attached { output, input } => Ok((exec.id, output, input)),
            StartExecResults::Detached => Err(EngineError::MissingField {
                operation: "exec in container",
                field: "attached streams",
            }),
        }
    }

    /// Waits (a bounded time) for the engine to record the exit code of an
    /// exec whose streams have closed.
    async fn exec_exit_code(&self, container: &str, exec_id: &str) -> Result<i64, EngineError> {
        let deadline = tokio::time::Instant::now() + EXEC_EXIT_WAIT;
        loop {
            let inspect = self
                .docker
                .inspect_exec(exec_id)
                .await
                .map_err(|e| ContainerOp::Exec.classify(e, container))?;
            match (inspect.running, inspect.exit_code) {
                (Some(false) | None, Some(code)) => return Ok(code),
                _ if tokio::time::Instant::now() >= deadline => {
                    return Err(EngineError::MissingField {
                        operation: "exec in container",
                        field: "ExitCode",
                    })
                }
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    async fn exec_attached_async(
        &self,
        container: &str,
        spec: &ExecSpec,
        io: AttachIo<'_>,
    ) -> Result<i64, EngineError> {
        let (exec_id, output, input) = self
            .start_exec_attached(container, spec, io.stdin.is_some())
            .await?;
        if let Some((height, width)) = io.tty_size {
            let size = ResizeExecOptions { height, width };
            let _ = self.docker.resize_exec(&exec_id, size).await;
        }
        pump_live(output, input, io.stdin, io.on_output)
            .await
            .map_err(|e| e.into_engine_error(container, "exec in container"))?;
        self.exec_exit_code(container, &exec_id).await
    }

    async fn exec_async(
        &self,
        container: &str,
        spec: &ExecSpec,
    ) -> Result<ExecOutput, EngineError> {
        let (exec_id, stream, input) = self
            .start_exec_attached(container, spec, spec.stdin.is_some())
            .await?;
        let mut output = ExecOutput::default();
        let mut sink = |which: LogStream, bytes: &[u8]| match which {
            LogStream::Stdout => output.stdout.extend_from_slice(bytes),
            LogStream::Stderr => output.stderr.extend_from_slice(bytes),
        };
        pump(stream, input, spec.stdin.as_deref(), &mut sink)
            .await
            .map_err(|e| e.into_engine_error(container, "exec in container"))?;
        output.exit_code = self.exec_exit_code(container, &exec_id).await?;
        Ok(output)
    }

    async fn logs_async(
        &self,
        container: &str,
        options: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError> {
        let api_options = LogsOptions::<String> {
            follow: options.follow,
            stdout: options.stdout,
            stderr: options.stderr,
            since: options.since.unwrap_or(0),
            until: 0,
            timestamps: options.timestamps,
            tail: options
                .tail
                .map_or_else(|| "all".to_string(), |n| n.to_string()),
        };
        let mut stream = pin!(self.docker.logs(container, Some(api_options)));
        let mut out = LineBuffer::default();
        let mut err = LineBuffer::default();
        while let Some(item) = stream.next().await {
            let item = match item {
                Ok(item) => item,
                // bollard 0.17 splits a TTY container's raw log stream at
                // newlines and fails at the end on a last line without one;
                // that line is lost, the rest was delivered.
                Err(bollard::errors::Error::IOError { err }) if is_unterminated_tail(&err) => break,
                Err(e) => return Err(ContainerOp::Logs.classify(e, container)),
            };
            match item {
                LogOutput::StdOut { message } | LogOutput::Console { message } => {
                    out.push(&message, &mut |line| on_line(LogStream::Stdout, line))
                }
                LogOutput::StdErr { message } => {
                    err.push(&message, &mut |line| on_line(LogStream::Stderr, line))
                }
                LogOutput::StdIn { .. } => {}
            }
        }
        out.finish(&mut |line| on_line(LogStream::Stdout, line));
        err.finish(&mut |line| on_line(LogStream::Stderr, line));
        Ok(())
    }
}

/// An engine error of the network `operation` (`create`, `remove`,
/// `connect`, `list`, `inspect`) on `name`.
fn network_error(e: bollard::errors::Error, operation: &'static str, name: &str) -> EngineError {
    let what = match operation {
        "create" => "create network",
        "remove" => "remove network",
        "connect" => "connect network",
        "list" => "list networks",
        _ => "inspect network",
    };
    classify(e, what, name, |source| EngineError::Network {
        operation,
        name: name.to_string(),
        source,
    })
}

/// The decoder's complaint about bytes left after the last newline at the
/// end of a raw (TTY) log stream.
fn is_unterminated_tail(err: &std::io::Error) -> bool {
    err.kind() == std::io::ErrorKind::Other && err.to_string() == "bytes remaining on stream"
}

/// What can go wrong pumping a hijacked connection.
enum PumpError {
    Read(bollard::errors::Error),
    Write(std::io::Error),
}

impl PumpError {
    fn into_engine_error(self, container: &str, operation: &'static str) -> EngineError {
        match self {
            PumpError::Read(e) => classify(e, operation, container, |source| {
                ContainerOp::Attach.error(container, source)
            }),
            PumpError::Write(source) => EngineError::WriteStdin {
                container: container.to_string(),
                source,
            },
        }
    }
}

/// Feeds `stdin` (then closes the write side) while handing every output
/// frame to `sink`, until the engine closes the output.
async fn pump(
    mut output: OutputStream,
    mut input: InputSink,
    stdin: Option<&[u8]>,
    sink: &mut dyn FnMut(LogStream, &[u8]),
) -> Result<(), PumpError> {
    let write = async {
        if let Some(bytes) = stdin {
            input.write_all(bytes).await?;
            input.flush().await?;
            input.shutdown().await?;
        }
        Ok::<(), std::io::Error>(())
    };
    let read = async {
        while let Some(item) = output.next().await {
            match item.map_err(PumpError::Read)? {
                LogOutput::StdOut { message } | LogOutput::Console { message } => {
                    sink(LogStream::Stdout, &message)
                }
                LogOutput::StdErr { message } => sink(LogStream::Stderr, &message),
                LogOutput::StdIn { .. } => {}
            }
        }
        Ok::<(), PumpError>(())
    };
    let (written, read) = future::join(write, read).await;
    read?;
    match written {
        // The command may exit without reading all its input, as with a pipe.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::NotConnected
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(PumpError::Write(e)),
        Ok(()) => Ok(()),
    }
}

/// Like [`pump`], for a live session: standard input is read on a thread of
/// its own and forwarded as it comes (the write side closed at its end of
/// file), and the session ends when the engine closes the output, whether
/// or not the input has ended.
async fn pump_live(
    mut output: OutputStream,
    mut input: InputSink,
    stdin: Option<Box<dyn Read + Send>>,
    sink: &mut dyn FnMut(LogStream, &[u8]),
) -> Result<(), PumpError> {
    let write = async {
        let Some(mut reader) = stdin else {
            return Ok::<(), std::io::Error>(());
        };
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
        // Blocking reads of a terminal or pipe; the thread ends with the
        // input or when nobody listens any more.
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if sender.blocking_send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
        });
        while let Some(chunk) = receiver.recv().await {
            input.write_all(&chunk).await?;
            input.flush().await?;
        }
        input.shutdown().await
    };
    let read = async {
        while let Some(item) = output.next().await {
            let item = match item {
                Ok(item) => item,
                // A TTY's last bytes without a newline (see `logs_async`).
                Err(bollard::errors::Error::IOError { err }) if is_unterminated_tail(&err) => break,
                Err(e) => return Err(PumpError::Read(e)),
            };
            match item {
                LogOutput::StdOut { message } | LogOutput::Console { message } => {
                    sink(LogStream::Stdout, &message)
                }
                LogOutput::StdErr { message } => sink(LogStream::Stderr, &message),
                LogOutput::StdIn { .. } => {}
            }
        }
        Ok::<(), PumpError>(())
    };
    match future::select(pin!(read), pin!(write)).await {
        Either::Left((read, _)) => read,
        Either::Right((written, read)) => {
            read.await?;
            match written {
                Err(e)
                    if !matches!(
                        e.kind(),
                        std::io::ErrorKind::BrokenPipe
                            | std::io::ErrorKind::ConnectionReset
                            | std::io::ErrorKind::NotConnected
                    ) =>
                {
                    Err(PumpError::Write(e))
                }
                _ => Ok(()),
            }
        }
    }
}

impl DockerEngine {
    /// The crate's own client, for engines it can reach.
    fn http(&self, operation: &'static str) -> Result<&crate::http::EngineHttp, EngineError> {
        self.http
            .as_ref()
            .ok_or(EngineError::Unsupported { operation })
    }
}

impl ContainerEngine for DockerEngine {
    fn swarm(&self) -> Option<&dyn crate::swarm::SwarmEngine> {
        self.http
            .as_ref()
            .map(|r| r as &dyn crate::swarm::SwarmEngine)
    }

    fn swarm_workloads(&self) -> Option<&dyn crate::swarm_workloads::SwarmWorkloads> {
        self.http
            .as_ref()
            .map(|r| r as &dyn crate::swarm_workloads::SwarmWorkloads)
    }

    fn ping(&self) -> Result<(), EngineError> {
        self.block(self.docker.ping())
            .map(|_| ())
            .map_err(|e| EngineError::Ping {
                source: ApiError::new(e),
            })
    }

    fn version(&self) -> Result<EngineVersion, EngineError> {
        let version = self
            .block(self.docker.version())
            .map_err(|e| EngineError::Version {
                source: ApiError::new(e),
            })?;
        let missing = |field| EngineError::MissingField {
            operation: "get the docker engine version",
            field,
        };
        Ok(EngineVersion {
            server_version: version.version.ok_or_else(|| missing("Version"))?,
            api_version: version.api_version.ok_or_else(|| missing("ApiVersion"))?,
            min_api_version: version.min_api_version,
            client_api_version: self.api_version(),
            os: version.os,
            arch: version.arch,
        })
    }

    fn default_log_driver(&self) -> Result<String, EngineError> {
        Ok(self
            .system_info()?
            .logging_driver
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "json-file".to_string()))
    }

    fn live_restore_enabled(&self) -> Result<bool, EngineError> {
        Ok(self.system_info()?.live_restore_enabled.unwrap_or(false))
    }

    fn image_exists(&self, image: &str) -> Result<bool, EngineError> {
        match self.image_inspect(image) {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn image_inspect(&self, image: &str) -> Result<ImageInfo, EngineError> {
        self.block(self.inspect_image_async(image))
    }

    fn build_image(
        &self,
        spec: &BuildSpec,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<BuiltImage, EngineError> {
        self.block(self.build_async(spec, on_line))
    }

    fn tag_image(&self, image: &str, target: &str) -> Result<(), EngineError> {
        self.block(self.tag_image_async(image, target))
    }

    fn registry_login(&self, auth: &RegistryAuth) -> Result<String, EngineError> {
        crate::push::login(self.http("registry login")?, auth)
    }

    fn push_image(
        &self,
        image: &str,
        auth: Option<&RegistryAuth>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<(), EngineError> {
        crate::push::push(self.http("image push")?, image, auth, on_line).map(drop)
    }

    fn pull_image(
        &self,
        image: &str,
        auth: Option<&RegistryAuth>,
        on_line: &mut dyn FnMut(&str),
    ) -> Result<(), EngineError> {
        crate::push::pull(self.http("image pull")?, image, auth, on_line)
    }

    fn remove_image(&self, image: &str, force: bool) -> Result<(), EngineError> {
        let options = RemoveImageOptions {
            force,
            noprune: false,
        };
        self.block(self.docker.remove_image(image, Some(options), None))
            .map(|_| ())
            .map_err(|e| {
                classify(e, "remove image", image, |source| {
                    EngineError::RemoveImage {
                        image: image.to_string(),
                        source,
                    }
                })
            })
    }

    fn list_images(&self, filter: &ImageFilter) -> Result<Vec<ImageSummary>, EngineError> {
        let reference: Vec<String> = filter.reference.iter().cloned().collect();
        let dangling: Vec<String> = filter.dangling.iter().map(|d| d.to_string()).collect();
        let options = ListImagesOptions {
            all: false,
            filters: convert::filters(&[
                ("label", &filter.labels),
                ("reference", &reference),
                ("dangling", &dangling),
            ]),
            digests: false,
        };
        let images = self
            .block(self.docker.list_images(Some(options)))
            .map_err(|e| EngineError::ListImages {
                source: ApiError::new(e),
            })?;
        Ok(images.into_iter().map(convert::image_summary).collect())
    }

    fn load_image(&self, tar: &mut dyn Read) -> Result<Vec<String>, EngineError> {
        self.block(self.load_async(tar))
    }

    fn relabel_image_steps(
        &self,
        image: &str,
        steps: &[RelabelStep],
    ) -> Result<Option<Vec<String>>, EngineError> {
        self.block(self.relabel_steps_async(image, steps))
    }

    fn commit_container(&self, container: &str, spec: &CommitSpec) -> Result<String, EngineError> {
        let (repo, tag) = split_reference(&spec.reference);
        if tag.is_empty() {
            return Err(EngineError::InvalidSpec {
                what: "commit reference",
                message: format!("{:?} is a digest reference, not a tag", spec.reference),
            });
        }
        let changes = spec.changes.join("\n");
        let options = CommitContainerOptions {
            container,
            repo,
            tag,
            comment: spec.message.as_deref().unwrap_or_default(),
            author: spec.author.as_deref().unwrap_or_default(),
            pause: spec.pause,
            changes: (!changes.is_empty()).then_some(changes.as_str()),
        };
        let commit = self
            .block(
                self.docker
                    .commit_container(options, bollard::container::Config::<String>::default()),
            )
            .map_err(|e| ContainerOp::Commit.classify(e, container))?;
        // bollard 0.17 reads the answer as containerd's `{"ID": ...}` while
        // the engine sends `{"Id": ...}`: read the id back through the tag.
        match commit.id {
            Some(id) => Ok(id),
            None => Ok(self.image_inspect(&spec.reference)?.id),
        }
    }

    fn create_container(&self, spec: &ContainerSpec) -> Result<String, EngineError> {
        self.block(self.create_async(spec, false))
    }

    fn start_container(&self, container: &str) -> Result<(), EngineError> {
        self.block(self.start_async(container))
    }

    fn stop_container(
        &self,
        container: &str,
        timeout: Option<Duration>,
    ) -> Result<(), EngineError> {
        let options = timeout.map(|t| StopContainerOptions {
            t: i64::try_from(t.as_secs()).unwrap_or(i64::MAX),
        });
        self.block(self.docker.stop_container(container, options))
            .map_err(|e| ContainerOp::Stop.classify(e, container))
    }

    fn kill_container(&self, container: &str, signal: Option<&str>) -> Result<(), EngineError> {
        let options = KillContainerOptions {
            signal: signal.unwrap_or("SIGKILL"),
        };
        self.block(self.docker.kill_container(container, Some(options)))
            .map_err(|e| ContainerOp::Kill.classify(e, container))
    }

    fn remove_container(&self, container: &str, force: bool) -> Result<(), EngineError> {
        self.block(self.remove_async(container, force))
    }

    fn copy_from_container(
        &self,
        container: &str,
        path: &str,
        out: &mut dyn std::io::Write,
    ) -> Result<(), EngineError> {
        let options = bollard::container::DownloadFromContainerOptions { path };
        let fail = |e| {
            classify(e, "copy from container", container, |source| {
                EngineError::CopyFromContainer {
                    container: container.to_string(),
                    path: path.to_string(),
                    source,
                }
            })
        };
        self.block(async {
            let mut stream = pin!(self
                .docker
                .download_from_container(container, Some(options)));
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(fail)?;
                out.write_all(&chunk)
                    .map_err(|source| EngineError::CopyWrite {
                        path: path.to_string(),
                        source,
                    })?;
            }
            Ok(())
        })
    }

    fn rename_container(&self, container: &str, new_name: &str) -> Result<(), EngineError> {
        let options = RenameContainerOptions { name: new_name };
        self.block(self.docker.rename_container(container, options))
            .map_err(|e| {
                classify(e, "rename container", container, |source| {
                    EngineError::RenameContainer {
                        container: container.to_string(),
                        new_name: new_name.to_string(),
                        source,
                    }
                })
            })
    }

    fn inspect_container(&self, container: &str) -> Result<ContainerInfo, EngineError> {
        let inspect = self
            .block(self.docker.inspect_container(container, None))
            .map_err(|e| ContainerOp::Inspect.classify(e, container))?;
        convert::container_info(inspect)
    }

    fn list_containers(
        &self,
        filter: &ContainerFilter,
    ) -> Result<Vec<ContainerSummary>, EngineError> {
        let options = ListContainersOptions {
            all: filter.all,
            limit: None,
            size: false,
            filters: convert::filters(&[
                ("label", &filter.labels),
                ("name", &filter.names),
                ("status", &filter.statuses),
            ]),
        };
        let containers = self
            .block(self.docker.list_containers(Some(options)))
            .map_err(|e| EngineError::ListContainers {
                source: ApiError::new(e),
            })?;
        containers
            .into_iter()
            .map(convert::container_summary)
            .collect()
    }

    fn wait_container(&self, container: &str) -> Result<i64, EngineError> {
        self.block(self.wait_async(container))
    }

    fn container_logs(
        &self,
        container: &str,
        options: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError> {
        self.block(self.logs_async(container, options, on_line))
    }

    fn exec(&self, container: &str, spec: &ExecSpec) -> Result<ExecOutput, EngineError> {
        self.block(self.exec_async(container, spec))
    }

    fn create_volume(&self, spec: &VolumeSpec) -> Result<(), EngineError> {
        let options = CreateVolumeOptions::<String> {
            name: spec.name.clone(),
            driver: spec.driver.clone().unwrap_or_default(),
            driver_opts: spec.driver_opts.clone().into_iter().collect(),
            labels: spec.labels.clone().into_iter().collect::<HashMap<_, _>>(),
        };
        self.block(self.docker.create_volume(options))
            .map(|_| ())
            .map_err(|e| EngineError::CreateVolume {
                name: spec.name.clone(),
                source: ApiError::new(e),
            })
    }

    fn remove_volume(&self, name: &str, force: bool) -> Result<(), EngineError> {
        let options = RemoveVolumeOptions { force };
        self.block(self.docker.remove_volume(name, Some(options)))
            .map_err(|e| {
                classify(e, "remove volume", name, |source| {
                    EngineError::RemoveVolume {
                        name: name.to_string(),
                        source,
                    }
                })
            })
    }

    fn volume_exists(&self, name: &str) -> Result<bool, EngineError> {
        match self.block(self.docker.inspect_volume(name)) {
            Ok(_) => Ok(true),
            Err(e) => {
                let e = classify(e, "inspect volume", name, |source| {
                    EngineError::InspectVolume {
                        name: name.to_string(),
                        source,
                    }
                });
                if e.is_not_found() {
                    Ok(false)
                } else {
                    Err(e)
                }
            }
        }
    }

    fn create_network(&self, spec: &NetworkSpec) -> Result<String, EngineError> {
        let options = CreateNetworkOptions::<String> {
            name: spec.name.clone(),
            check_duplicate: true,
            driver: spec.driver.clone().unwrap_or_else(|| "bridge".into()),
            attachable: spec.attachable,
            labels: spec.labels.clone().into_iter().collect::<HashMap<_, _>>(),
            ..CreateNetworkOptions::default()
        };
        let created = self
            .block(self.docker.create_network(options))
            .map_err(|e| network_error(e, "create", &spec.name))?;
        Ok(created.id.unwrap_or_default())
    }

    fn remove_network(&self, name: &str) -> Result<(), EngineError> {
        self.block(self.docker.remove_network(name))
            .map_err(|e| network_error(e, "remove", name))
    }

    fn inspect_network(&self, name: &str) -> Result<NetworkInfo, EngineError> {
        let options = InspectNetworkOptions::<String> {
            verbose: false,
            scope: String::new(),
        };
        let network = self
            .block(self.docker.inspect_network(name, Some(options)))
            .map_err(|e| network_error(e, "inspect", name))?;
        convert::network_info(network)
    }

    fn list_networks(&self) -> Result<Vec<NetworkInfo>, EngineError> {
        let options = ListNetworksOptions::<String>::default();
        let list = self
            .block(self.docker.list_networks(Some(options)))
            .map_err(|e| network_error(e, "list", ""))?;
        let mut networks = list
            .into_iter()
            .map(convert::network_info)
            .collect::<Result<Vec<_>, _>>()?;
        networks.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(networks)
    }

    fn connect_network(
        &self,
        network: &str,
        container: &str,
        aliases: &[String],
    ) -> Result<(), EngineError> {
        let options = ConnectNetworkOptions::<String> {
            container: container.to_string(),
            endpoint_config: EndpointSettings {
                aliases: (!aliases.is_empty()).then(|| aliases.to_vec()),
                ..EndpointSettings::default()
            },
        };
        self.block(self.docker.connect_network(network, options))
            .map_err(|e| network_error(e, "connect", network))
    }

    fn run_streaming(
        &self,
        spec: &ContainerSpec,
        stdin: Option<&[u8]>,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<i64, EngineError> {
        let mut out = LineBuffer::default();
        let mut err = LineBuffer::default();
        let mut sink = |which: LogStream, bytes: &[u8]| match which {
            LogStream::Stdout => out.push(bytes, &mut |line| on_line(LogStream::Stdout, line)),
            LogStream::Stderr => err.push(bytes, &mut |line| on_line(LogStream::Stderr, line)),
        };
        let result = self.block(self.run_async(spec, stdin, &mut sink));
        out.finish(&mut |line| on_line(LogStream::Stdout, line));
        err.finish(&mut |line| on_line(LogStream::Stderr, line));
        result
    }

    fn run_to_completion(
        &self,
        spec: &ContainerSpec,
        stdin: Option<&[u8]>,
    ) -> Result<RunOutput, EngineError> {
        let mut output = RunOutput::default();
        let mut sink = |which: LogStream, bytes: &[u8]| match which {
            LogStream::Stdout => output.stdout.extend_from_slice(bytes),
            LogStream::Stderr => output.stderr.extend_from_slice(bytes),
        };
        let code = self.block(self.run_async(spec, stdin, &mut sink))?;
        output.exit_code = code;
        Ok(output)
    }

    fn run_attached(&self, spec: &ContainerSpec, io: AttachIo<'_>) -> Result<i64, EngineError> {
        let mut io = io;
        let Some(mut hook) = io.on_created.take() else {
            return self.block(self.run_attached_async(spec, io));
        };
        // The hook may use the engine itself: it runs outside the runtime.
        let mut spec = spec.clone();
        spec.auto_remove = false;
        let id = self.block(self.create_async(&spec, io.stdin.is_some()))?;
        if let Err(message) = hook(&id) {
            let _ = self.block(self.remove_async(&id, true));
            return Err(EngineError::Refused {
                container: id,
                message,
            });
        }
        self.block(async {
            let result = self.attach_and_pump(&id, true, io).await;
            self.remove_after_run(&id, result).await
        })
    }

    fn exec_attached(
        &self,
        container: &str,
        spec: &ExecSpec,
        io: AttachIo<'_>,
    ) -> Result<i64, EngineError> {
        self.block(self.exec_attached_async(container, spec, io))
    }

    fn attach_container(&self, container: &str, io: AttachIo<'_>) -> Result<i64, EngineError> {
        self.block(self.attach_and_pump(container, false, io))
    }
}

/// The Dockerfile `name` of the context directory `dir` with `labels`
/// appended as one instruction; `None` when it is not a regular file
/// below `dir` (a link, `..`), cannot be read, or sets its own escape.
fn folded_dockerfile(
    dir: &std::path::Path,
    name: &str,
    labels: &BTreeMap<String, String>,
) -> Option<String> {
    let rel = std::path::Path::new(name);
    if !rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
    let path = dir.join(rel);
    let mut at = dir.to_path_buf();
    for c in rel.components() {
        at.push(c);
        if std::fs::symlink_metadata(&at)
            .ok()?
            .file_type()
            .is_symlink()
        {
            return None;
        }
    }
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    with_labels(&std::fs::read_to_string(&path).ok()?, labels)
}
