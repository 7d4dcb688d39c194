//! What the engine answers: versions, image and container descriptions, command output.

use std::collections::BTreeMap;

use crate::spec::Protocol;

/// The engine's version, and the API version this client speaks with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineVersion {
    /// The engine's release, e.g. `20.10.24+dfsg1`.
    pub server_version: String,
    /// The newest API version the engine supports, e.g. `1.41`.
    pub api_version: String,
    /// The oldest API version the engine supports, when it says.
    pub min_api_version: Option<String>,
    /// The API version this client negotiated and uses.
    pub client_api_version: String,
    /// The engine's operating system, e.g. `linux`.
    pub os: Option<String>,
    /// The engine's architecture, e.g. `amd64`.
    pub arch: Option<String>,
}

/// What `docker image inspect` says about an image, as far as Dokku cares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageInfo {
    /// The image id, `sha256:...`.
    pub id: String,
    /// Its tags, `repo:tag`.
    pub repo_tags: Vec<String>,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// Its exposed ports in docker's `port/protocol` form, sorted.
    pub exposed_ports: Vec<String>,
    /// Its environment, each entry `KEY=value`.
    pub env: Vec<String>,
    /// Its `CMD`.
    pub cmd: Option<Vec<String>>,
    /// Its `ENTRYPOINT`.
    pub entrypoint: Option<Vec<String>>,
    /// Its `WORKDIR`, when not empty.
    pub working_dir: Option<String>,
    /// Its `USER`, when not empty.
    pub user: Option<String>,
    /// Creation time, RFC 3339, when the engine says.
    pub created: Option<String>,
}

/// One image of a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageSummary {
    /// The image id, `sha256:...`.
    pub id: String,
    /// Its tags, `repo:tag` (`<none>:<none>` for dangling images on some engines).
    pub repo_tags: Vec<String>,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// Creation time, UNIX seconds.
    pub created: i64,
    /// Size in bytes.
    pub size: i64,
}

/// The image a build produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltImage {
    /// The image id, `sha256:...`.
    pub id: String,
}

/// A container's state and what Dokku reads from `docker container inspect`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerInfo {
    /// Full container id.
    pub id: String,
    /// Name, without docker's leading `/`.
    pub name: String,
    /// Id of the image it runs, `sha256:...`.
    pub image_id: String,
    /// The image reference it was created from, as given.
    pub image: Option<String>,
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`.
    pub status: String,
    /// Whether it is running (true while paused or restarting too).
    pub running: bool,
    /// Exit code of the last run (0 while running or never started).
    pub exit_code: i64,
    /// How many times the engine restarted it.
    pub restart_count: i64,
    /// Start time, RFC 3339 (`0001-01-01T00:00:00Z` if never started).
    pub started_at: Option<String>,
    /// Finish time, RFC 3339 (`0001-01-01T00:00:00Z` if never finished).
    pub finished_at: Option<String>,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// Its environment, each entry `KEY=value`.
    pub env: Vec<String>,
    /// The networks it is attached to, by network name.
    pub networks: BTreeMap<String, ContainerNetwork>,
    /// Its published ports.
    pub ports: Vec<PublishedPort>,
}

impl ContainerInfo {
    /// The container's IP address on `network`, if attached and assigned one.
    pub fn ip_address(&self, network: &str) -> Option<&str> {
        self.networks
            .get(network)
            .and_then(|n| n.ip_address.as_deref())
    }

    /// The first IP address the container has on any network, in network
    /// name order; what `{{range .NetworkSettings.Networks}}{{.IPAddress}}`
    /// prints first.
    pub fn first_ip_address(&self) -> Option<&str> {
        self.networks.values().find_map(|n| n.ip_address.as_deref())
    }
}

/// A network, as `docker network inspect` shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkInfo {
    /// Its full id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its driver (`bridge`, `host`, `null`, ...).
    pub driver: String,
    /// Its scope (`local`, `swarm`, `global`).
    pub scope: String,
    /// Creation time, RFC 3339 as the engine reports it.
    pub created: String,
    /// Whether it is internal (no outside access).
    pub internal: bool,
    /// Whether IPv6 is enabled on it.
    pub ipv6: bool,
    /// Whether standalone containers may be connected to it.
    pub attachable: bool,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// The ids of the containers connected to it (filled by inspect only;
    /// a listing leaves it empty).
    pub containers: Vec<String>,
}

/// A container's attachment to one network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerNetwork {
    /// Its IPv4 address on that network (none while stopped).
    pub ip_address: Option<String>,
    /// Its aliases on that network.
    pub aliases: Vec<String>,
}

/// A container port and the host port it is published on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PublishedPort {
    /// Port inside the container.
    pub container_port: u16,
    /// Its protocol.
    pub protocol: Protocol,
    /// Host address, e.g. `0.0.0.0`.
    pub host_ip: Option<String>,
    /// Host port; `None` for a port exposed but not published.
    pub host_port: Option<u16>,
}

/// One container of a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerSummary {
    /// Full container id.
    pub id: String,
    /// Its names, without docker's leading `/`.
    pub names: Vec<String>,
    /// The image reference it was created from.
    pub image: String,
    /// Id of the image it runs.
    pub image_id: String,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// Its state: `created`, `running`, `exited`, ...
    pub state: String,
    /// Docker's human status, e.g. `Up 3 minutes`.
    pub status: String,
    /// The command it runs, as docker lists it (`/start web`).
    pub command: String,
    /// Creation time, UNIX seconds.
    pub created: i64,
}

impl ContainerSummary {
    /// The container's primary name.
    pub fn name(&self) -> Option<&str> {
        self.names.first().map(String::as_str)
    }
}

/// Which standard stream a line of output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogStream {
    /// Standard output (and everything from a TTY).
    Stdout,
    /// Standard error.
    Stderr,
}

/// The standard input, terminal and output of an interactive run, attach
/// or exec ([`crate::ContainerEngine::run_attached`],
/// [`crate::ContainerEngine::attach_container`],
/// [`crate::ContainerEngine::exec_attached`]).
pub struct AttachIo<'a> {
    /// Read until end of file and streamed to the command's standard input,
    /// which is then closed. `None` leaves standard input unattached.
    pub stdin: Option<Box<dyn std::io::Read + Send>>,
    /// With a pseudo-TTY: its size as `(rows, columns)`, set once started.
    pub tty_size: Option<(u16, u16)>,
    /// `run_attached` only: called with the container's id once it is
    /// created and before it is started (to join networks, as Dokku's
    /// `post-container-create` does). An error removes the container and
    /// fails the run with [`crate::EngineError::Refused`].
    pub on_created: Option<OnCreated>,
    /// Handed every chunk of output as it arrives (a TTY's output all as
    /// stdout).
    pub on_output: &'a mut dyn FnMut(LogStream, &[u8]),
}

impl<'a> AttachIo<'a> {
    /// Output to `on_output`; no standard input, terminal or hook.
    pub fn new(on_output: &'a mut dyn FnMut(LogStream, &[u8])) -> Self {
        AttachIo {
            stdin: None,
            tty_size: None,
            on_created: None,
            on_output,
        }
    }
}

/// The hook of [`AttachIo::on_created`].
pub type OnCreated = Box<dyn FnMut(&str) -> Result<(), String> + Send>;

impl std::fmt::Debug for AttachIo<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachIo")
            .field("stdin", &self.stdin.is_some())
            .field("tty_size", &self.tty_size)
            .field("on_created", &self.on_created.is_some())
            .finish()
    }
}

/// The result of [`crate::ContainerEngine::exec`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecOutput {
    /// The command's exit code.
    pub exit_code: i64,
    /// Everything it wrote to standard output.
    pub stdout: Vec<u8>,
    /// Everything it wrote to standard error.
    pub stderr: Vec<u8>,
}

/// The result of [`crate::ContainerEngine::run_to_completion`].
pub type RunOutput = ExecOutput;

impl ExecOutput {
    /// Standard output as text, invalid UTF-8 replaced.
    pub fn stdout_lossy(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text, invalid UTF-8 replaced.
    pub fn stderr_lossy(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Whether the command exited 0.
    pub fn success(&self) -> bool {
        self.exit_code == 0
    }
}
