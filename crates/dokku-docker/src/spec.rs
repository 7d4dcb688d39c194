//! What callers ask the engine for: container, build, exec, commit and volume specs, and filters.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::EngineError;

/// A container to create, in the terms of `docker container create`.
///
/// `None` and empty fields leave the image's or the engine's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerSpec {
    /// The container name (`--name`); the engine picks one when `None`.
    pub name: Option<String>,
    /// The image reference or id to create the container from.
    pub image: String,
    /// The command (`CMD` override); the image's `CMD` when `None`.
    pub cmd: Option<Vec<String>>,
    /// The entrypoint (`--entrypoint`); the image's when `None`. `Some(vec![])`
    /// asks the engine to clear it.
    pub entrypoint: Option<Vec<String>>,
    /// Environment, each entry `KEY=value` (`--env`).
    pub env: Vec<String>,
    /// Container labels (`--label`).
    pub labels: BTreeMap<String, String>,
    /// Bind mounts and named volumes (`--volume`).
    pub mounts: Vec<Mount>,
    /// Restart policy (`--restart`).
    pub restart_policy: Option<RestartPolicy>,
    /// Network mode or network name to start on (`--network`).
    pub network: Option<String>,
    /// Aliases of the container on `network` (`--network-alias`); ignored
    /// without a user-defined `network`.
    pub network_aliases: Vec<String>,
    /// Published ports (`--publish`).
    pub ports: Vec<PortBinding>,
    /// Publish every exposed port on a random host port (`--publish-all`).
    pub publish_all_ports: bool,
    /// Working directory (`--workdir`).
    pub working_dir: Option<String>,
    /// User (`--user`), `name`, `uid` or `uid:gid`.
    pub user: Option<String>,
    /// Hostname (`--hostname`).
    pub hostname: Option<String>,
    /// Extra `/etc/hosts` entries, each `host:ip` (`--add-host`).
    pub extra_hosts: Vec<String>,
    /// Run an init process as PID 1 (`--init`).
    pub init: bool,
    /// Allocate a pseudo-TTY (`--tty`).
    pub tty: bool,
    /// Keep standard input open (`--interactive`).
    pub open_stdin: bool,
    /// Remove the container when it exits (`--rm`).
    pub auto_remove: bool,
    /// Fields of the engine's container `Config` JSON object not covered
    /// above, in the engine's naming (`{"StopSignal": "SIGINT"}`); merged over
    /// the typed fields. Meant for translating free-form docker options.
    pub raw_config: serde_json::Map<String, serde_json::Value>,
    /// Fields of the engine's `HostConfig` JSON object not covered above, in
    /// the engine's naming (`{"Memory": 536870912, "ShmSize": 67108864}`);
    /// merged over the typed fields.
    pub raw_host_config: serde_json::Map<String, serde_json::Value>,
}

impl ContainerSpec {
    /// A spec for `image` with every other field left to its default.
    pub fn new(image: impl Into<String>) -> Self {
        Self {
            image: image.into(),
            ..Self::default()
        }
    }

    /// A short name for error messages: the requested name or `<unnamed>`.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or("<unnamed>")
    }
}

/// Where a mount's content comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountSource {
    /// A host path, created by the engine if missing.
    Bind(PathBuf),
    /// A named volume, created by the engine if missing.
    Volume(String),
}

/// One `--volume source:target[:options]` of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// Host path or volume name.
    pub source: MountSource,
    /// Path inside the container.
    pub target: String,
    /// Mount read-only (`ro`).
    pub read_only: bool,
    /// Further options as docker takes them after the second colon, e.g.
    /// `z`, `Z`, `rshared`, `nocopy`.
    pub options: Vec<String>,
}

impl Mount {
    /// A read-write bind mount of a host path.
    pub fn bind(host_path: impl Into<PathBuf>, target: impl Into<String>) -> Self {
        Self {
            source: MountSource::Bind(host_path.into()),
            target: target.into(),
            read_only: false,
            options: Vec::new(),
        }
    }

    /// A read-write mount of a named volume.
    pub fn volume(name: impl Into<String>, target: impl Into<String>) -> Self {
        Self {
            source: MountSource::Volume(name.into()),
            target: target.into(),
            read_only: false,
            options: Vec::new(),
        }
    }

    /// The same mount, read-only.
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// The mount in docker's `source:target[:options]` form.
    pub fn to_volume_arg(&self) -> String {
        let source = match &self.source {
            MountSource::Bind(path) => path.display().to_string(),
            MountSource::Volume(name) => name.clone(),
        };
        let mut options: Vec<&str> = Vec::new();
        if self.read_only {
            options.push("ro");
        }
        options.extend(
            self.options
                .iter()
                .map(String::as_str)
                .filter(|o| !(self.read_only && *o == "ro")),
        );
        if options.is_empty() {
            format!("{source}:{}", self.target)
        } else {
            format!("{source}:{}:{}", self.target, options.join(","))
        }
    }
}

/// A container restart policy, parsed from Dokku's `--restart` strings:
/// `no`, `always`, `unless-stopped`, `on-failure` or `on-failure:N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestartPolicy {
    /// Never restart.
    No,
    /// Always restart.
    Always,
    /// Restart unless stopped by hand.
    UnlessStopped,
    /// Restart on a non-zero exit, at most this many times (`None`: no limit).
    OnFailure(Option<u32>),
}

impl FromStr for RestartPolicy {
    type Err = EngineError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || EngineError::InvalidSpec {
            what: "restart policy",
            message: format!("{s:?} is not one of no, always, unless-stopped, on-failure[:N]"),
        };
        match s.split_once(':') {
            None => match s {
                "no" => Ok(Self::No),
                "always" => Ok(Self::Always),
                "unless-stopped" => Ok(Self::UnlessStopped),
                "on-failure" => Ok(Self::OnFailure(None)),
                _ => Err(invalid()),
            },
            Some(("on-failure", count)) => count
                .parse()
                .map(|n| Self::OnFailure(Some(n)))
                .map_err(|_| invalid()),
            Some(_) => Err(invalid()),
        }
    }
}

impl fmt::Display for RestartPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::No => f.write_str("no"),
            Self::Always => f.write_str("always"),
            Self::UnlessStopped => f.write_str("unless-stopped"),
            Self::OnFailure(None) => f.write_str("on-failure"),
            Self::OnFailure(Some(n)) => write!(f, "on-failure:{n}"),
        }
    }
}

/// A transport protocol of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Protocol {
    /// TCP, docker's default.
    #[default]
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl Protocol {
    /// The protocol as docker writes it after the port (`tcp`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Udp => "udp",
            Self::Sctp => "sctp",
        }
    }

    /// Split a port spec `rest[/protocol]` into `rest` and its protocol
    /// (tcp when none is written); `None` for an unknown protocol.
    pub fn split_spec(spec: &str) -> Option<(&str, Self)> {
        match spec.rsplit_once('/') {
            Some((r, "tcp")) => Some((r, Self::Tcp)),
            Some((r, "udp")) => Some((r, Self::Udp)),
            Some((r, "sctp")) => Some((r, Self::Sctp)),
            Some(_) => None,
            None => Some((spec, Self::Tcp)),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `--publish [host_ip:][host_port:]container_port[/protocol]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortBinding {
    /// Port inside the container.
    pub container_port: u16,
    /// Its protocol.
    pub protocol: Protocol,
    /// Host address to bind; all addresses when `None`.
    pub host_ip: Option<String>,
    /// Host port; a random free port when `None`.
    pub host_port: Option<u16>,
}

/// The context an image is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildContext {
    /// A directory, sent as a tar archive (symlinks kept as symlinks).
    /// `.dockerignore` is not applied.
    Directory(PathBuf),
    /// An uncompressed tar archive already in memory.
    Tar(Vec<u8>),
}

/// An image to build, in the terms of `docker image build`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildSpec {
    /// The build context.
    pub context: BuildContext,
    /// Path of the Dockerfile inside the context (`--file`); `Dockerfile`
    /// when `None`.
    pub dockerfile: Option<String>,
    /// References to tag the result with (`--tag`); may be empty.
    pub tags: Vec<String>,
    /// Build arguments (`--build-arg`).
    pub build_args: BTreeMap<String, String>,
    /// Labels added to the image (`--label`).
    pub labels: BTreeMap<String, String>,
    /// Do not use the build cache (`--no-cache`).
    pub no_cache: bool,
    /// Network mode for `RUN` steps (`--network`).
    pub network: Option<String>,
    /// Memory limit of `RUN` steps in bytes (`--memory`).
    pub memory: Option<i64>,
    /// Memory plus swap limit of `RUN` steps in bytes, `-1` unlimited
    /// (`--memory-swap`).
    pub memory_swap: Option<i64>,
}

impl BuildSpec {
    /// A build of `context` with every other field left to its default.
    pub fn new(context: BuildContext) -> Self {
        Self {
            context,
            dockerfile: None,
            tags: Vec::new(),
            build_args: BTreeMap::new(),
            labels: BTreeMap::new(),
            no_cache: false,
            network: None,
            memory: None,
            memory_swap: None,
        }
    }
}

/// A command to run in a running container, as `docker container exec`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecSpec {
    /// The command and its arguments.
    pub cmd: Vec<String>,
    /// Extra environment, each entry `KEY=value`.
    pub env: Vec<String>,
    /// User to run as.
    pub user: Option<String>,
    /// Working directory.
    pub working_dir: Option<String>,
    /// Allocate a pseudo-TTY (stdout and stderr then arrive merged as stdout).
    pub tty: bool,
    /// Run privileged.
    pub privileged: bool,
    /// Bytes fed to the command's standard input, which is then closed.
    pub stdin: Option<Vec<u8>>,
}

impl ExecSpec {
    /// An exec of `cmd` with every other field left to its default.
    pub fn new<I, S>(cmd: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            cmd: cmd.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }
}

/// How to commit a container to an image, as `docker container commit`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitSpec {
    /// Reference for the new image (`repo[:tag]`, tag `latest` when
    /// omitted). Required: the image id is read back through it.
    pub reference: String,
    /// Dockerfile instructions to apply (`--change`), e.g. `CMD ["/start"]`.
    pub changes: Vec<String>,
    /// Commit message.
    pub message: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Pause the container while committing (docker's default is true).
    pub pause: bool,
}

/// A network to create, as `docker network create`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkSpec {
    /// The network name.
    pub name: String,
    /// The driver; `bridge` when `None`.
    pub driver: Option<String>,
    /// Whether standalone containers may be connected to it (`--attachable`).
    pub attachable: bool,
    /// Labels.
    pub labels: BTreeMap<String, String>,
}

/// A volume to create, as `docker volume create`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeSpec {
    /// The volume name.
    pub name: String,
    /// The driver; `local` when `None`.
    pub driver: Option<String>,
    /// Driver options (`--opt`).
    pub driver_opts: BTreeMap<String, String>,
    /// Labels.
    pub labels: BTreeMap<String, String>,
}

/// Which containers [`crate::ContainerEngine::list_containers`] returns.
/// Criteria of different kinds must all match; several values of one kind
/// match any of them, except labels which must all match (docker's rules).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerFilter {
    /// Include stopped containers (`--all`).
    pub all: bool,
    /// Label filters, each `key` or `key=value`.
    pub labels: Vec<String>,
    /// Name filters (docker matches them as substrings/regexps of names).
    pub names: Vec<String>,
    /// Status filters: `created`, `running`, `exited`, ...
    pub statuses: Vec<String>,
}

impl ContainerFilter {
    /// Every container, running or not, carrying `label` (`key` or `key=value`).
    pub fn label(label: impl Into<String>) -> Self {
        Self {
            all: true,
            labels: vec![label.into()],
            ..Self::default()
        }
    }
}

/// Which images [`crate::ContainerEngine::list_images`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFilter {
    /// Label filters, each `key` or `key=value`; all must match.
    pub labels: Vec<String>,
    /// Reference filter, e.g. `dokku/app` or `dokku/app:*`.
    pub reference: Option<String>,
    /// Only dangling (untagged) images when `Some(true)`.
    pub dangling: Option<bool>,
}

impl ImageFilter {
    /// Images carrying `label` (`key` or `key=value`).
    pub fn label(label: impl Into<String>) -> Self {
        Self {
            labels: vec![label.into()],
            ..Self::default()
        }
    }
}

/// What [`crate::ContainerEngine::container_logs`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogOptions {
    /// Only the last this many lines; all when `None`.
    pub tail: Option<u64>,
    /// Keep streaming until the container stops (`--follow`).
    pub follow: bool,
    /// Prefix every line with its RFC 3339 timestamp (`--timestamps`).
    pub timestamps: bool,
    /// Only lines since this UNIX time (seconds).
    pub since: Option<i64>,
    /// Include standard output.
    pub stdout: bool,
    /// Include standard error.
    pub stderr: bool,
}

impl Default for LogOptions {
    fn default() -> Self {
        Self {
            tail: None,
            follow: false,
            timestamps: false,
            since: None,
            stdout: true,
            stderr: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_restart(input: &str, expected: &str) {
        let actual = match input.parse::<RestartPolicy>() {
            Ok(policy) => format!("{policy:?} {policy}"),
            Err(err) => format!("error: {err}"),
        };
        assert_eq!(actual, expected, "parsing {input:?}");
    }

    #[test]
    fn restart_policies() {
        check_restart("no", "No no");
        check_restart("always", "Always always");
        check_restart("unless-stopped", "UnlessStopped unless-stopped");
        check_restart("on-failure", "OnFailure(None) on-failure");
        check_restart("on-failure:10", "OnFailure(Some(10)) on-failure:10");
        check_restart(
            "on-failure:x",
            "error: invalid restart policy: \"on-failure:x\" is not one of no, always, unless-stopped, on-failure[:N]",
        );
        check_restart(
            "always:3",
            "error: invalid restart policy: \"always:3\" is not one of no, always, unless-stopped, on-failure[:N]",
        );
        check_restart(
            "sometimes",
            "error: invalid restart policy: \"sometimes\" is not one of no, always, unless-stopped, on-failure[:N]",
        );
    }

    fn check_mount(mount: Mount, expected: &str) {
        assert_eq!(mount.to_volume_arg(), expected);
    }

    #[test]
    fn mounts_as_volume_args() {
        check_mount(
            Mount::bind("/var/lib/dokku/data/storage/app", "/app/storage"),
            "/var/lib/dokku/data/storage/app:/app/storage",
        );
        check_mount(
            Mount::volume("cache", "/cache").read_only(),
            "cache:/cache:ro",
        );
        let mut m = Mount::bind("/h", "/c").read_only();
        m.options = vec!["ro".into(), "z".into()];
        check_mount(m, "/h:/c:ro,z");
        let mut m = Mount::volume("v", "/c");
        m.options = vec!["nocopy".into()];
        check_mount(m, "v:/c:nocopy");
    }
}
