//! The one error type of this crate, with a variant per engine operation.

use std::fmt;
use std::path::PathBuf;

/// An error reported by the Docker Engine API client.
///
/// Opaque on purpose: the client library's own error type churns between
/// versions and must not leak out of this crate. Use [`ApiError::status_code`]
/// to look at the HTTP status the engine answered with, if any.
#[derive(Debug)]
pub struct ApiError(Box<bollard::errors::Error>);

impl ApiError {
    pub(crate) fn new(error: bollard::errors::Error) -> Self {
        Self(Box::new(error))
    }

    /// The HTTP status code of the engine's answer, when the engine answered
    /// with an error status (404 for a missing object, 409 for a conflict...).
    pub fn status_code(&self) -> Option<u16> {
        match *self.0 {
            bollard::errors::Error::DockerResponseServerError { status_code, .. } => {
                Some(status_code)
            }
            _ => None,
        }
    }

    /// The engine's own message for an error status, without decoration.
    pub fn server_message(&self) -> Option<&str> {
        match &*self.0 {
            bollard::errors::Error::DockerResponseServerError { message, .. } => Some(message),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            bollard::errors::Error::DockerResponseServerError {
                status_code,
                message,
            } => write!(f, "{message} (status {status_code})"),
            bollard::errors::Error::DockerStreamError { error } => f.write_str(error),
            other => write!(f, "{other}"),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            // The server error carries its whole story in the message.
            bollard::errors::Error::DockerResponseServerError { .. }
            | bollard::errors::Error::DockerStreamError { .. } => None,
            other => other.source(),
        }
    }
}

/// Everything that can go wrong talking to the container engine.
///
/// Variants are named for the operation and carry what it was applied to.
/// A 404 answer from the engine always becomes [`EngineError::NotFound`],
/// whatever the operation, so callers can tell "missing" from "broken" with
/// [`EngineError::is_not_found`].
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The tokio runtime backing the engine client could not be created.
    #[error("cannot start the docker client runtime")]
    Runtime {
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The engine could not be reached or its API version negotiated.
    #[error("cannot connect to the docker engine")]
    Connect {
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// The engine answered 404 for the object an operation was applied to
    /// (a container, an image, a volume, or the image a container needs).
    #[error("{operation} {name}: not found: {message}")]
    NotFound {
        /// The operation, e.g. `inspect container`.
        operation: &'static str,
        /// The name or id the operation was applied to.
        name: String,
        /// The engine's message, e.g. `No such container: web.1`.
        message: String,
    },
    /// A field Dokku relies on was absent from an engine response.
    #[error("{operation}: the docker engine response has no {field}")]
    MissingField {
        /// The operation whose response was incomplete.
        operation: &'static str,
        /// The missing field, in the engine's JSON naming.
        field: &'static str,
    },
    /// The caller's `on_created` hook refused a container it was shown
    /// between its creation and its start; the container was removed.
    #[error("container {container} refused before start: {message}")]
    Refused {
        /// The container id.
        container: String,
        /// What the hook said.
        message: String,
    },
    /// A spec handed to the engine was invalid before any request was made.
    #[error("invalid {what}: {message}")]
    InvalidSpec {
        /// What was invalid, e.g. `restart policy`.
        what: &'static str,
        /// Why.
        message: String,
    },
    /// Pinging the engine failed.
    #[error("ping the docker engine")]
    Ping {
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Asking the engine for its version failed.
    #[error("get the docker engine version")]
    Version {
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Asking the engine for its configuration failed.
    #[error("get the docker engine information")]
    Info {
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Inspecting an image failed.
    #[error("inspect image {image}")]
    InspectImage {
        /// The image reference or id.
        image: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Reading the build context from disk failed.
    #[error("read build context {}", path.display())]
    BuildContext {
        /// The context directory or file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The build request failed.
    #[error("build image {tag}")]
    Build {
        /// The first tag of the build, or `<untagged>`.
        tag: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// The build ran and one of its steps failed.
    #[error("build image {tag}: {message}")]
    BuildFailed {
        /// The first tag of the build, or `<untagged>`.
        tag: String,
        /// The engine's error message for the failing step.
        message: String,
    },
    /// Tagging an image failed.
    #[error("tag image {image} as {target}")]
    TagImage {
        /// The image being tagged.
        image: String,
        /// The new reference.
        target: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Removing an image failed.
    #[error("remove image {image}")]
    RemoveImage {
        /// The image reference or id.
        image: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Listing images failed.
    #[error("list images")]
    ListImages {
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Loading an image tarball failed on the engine side.
    #[error("load image")]
    LoadImage {
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Reading the image tarball to load failed.
    #[error("read the image archive to load")]
    LoadImageRead {
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Committing a container to an image failed.
    #[error("commit container {container}")]
    CommitContainer {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Creating a container failed.
    #[error("create container {name}")]
    CreateContainer {
        /// The requested container name, or `<unnamed>`.
        name: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Starting a container failed.
    #[error("start container {container}")]
    StartContainer {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Stopping a container failed.
    #[error("stop container {container}")]
    StopContainer {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Killing a container failed.
    #[error("kill container {container}")]
    KillContainer {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Removing a container failed.
    #[error("remove container {container}")]
    RemoveContainer {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Renaming a container failed.
    #[error("rename container {container} to {new_name}")]
    RenameContainer {
        /// The container name or id.
        container: String,
        /// The requested new name.
        new_name: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Inspecting a container failed.
    #[error("inspect container {container}")]
    InspectContainer {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Listing containers failed.
    #[error("list containers")]
    ListContainers {
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Waiting for a container to exit failed.
    #[error("wait for container {container}")]
    WaitContainer {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Attaching to a container's standard streams failed.
    #[error("attach to container {container}")]
    AttachContainer {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Writing to a container's or exec's standard input failed.
    #[error("write standard input of {container}")]
    WriteStdin {
        /// The container name or id.
        container: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Reading a container's logs failed.
    #[error("read logs of container {container}")]
    ContainerLogs {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Running a command in a container failed (not: the command exited
    /// non-zero, which is a normal [`crate::ExecOutput`]).
    #[error("exec in container {container}")]
    Exec {
        /// The container name or id.
        container: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Copying a path out of a container failed.
    #[error("copy {path} out of container {container}")]
    CopyFromContainer {
        /// The container name or id.
        container: String,
        /// The path inside the container.
        path: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Writing the archive copied out of a container failed.
    #[error("write the archive of {path}")]
    CopyWrite {
        /// The path inside the container.
        path: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Creating a volume failed.
    #[error("create volume {name}")]
    CreateVolume {
        /// The volume name.
        name: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Removing a volume failed.
    #[error("remove volume {name}")]
    RemoveVolume {
        /// The volume name.
        name: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// A network operation (`create`, `remove`, `inspect`, `list`,
    /// `connect`) failed.
    #[error("{operation} network {name}")]
    Network {
        /// What was done, e.g. `connect`.
        operation: &'static str,
        /// The network name (empty for a listing).
        name: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// Inspecting a volume failed.
    /// A swarm call (answered over the engine's socket directly).
    #[error("{operation}: {message}")]
    Swarm {
        operation: String,
        /// The engine's HTTP status, when it answered.
        status: Option<u16>,
        message: String,
    },
    #[error("inspect volume {name}")]
    InspectVolume {
        /// The volume name.
        name: String,
        /// The underlying client error.
        #[source]
        source: ApiError,
    },
    /// A registry operation (login, push, pull) failed: the engine's own
    /// message, as `docker` prints it after `Error response from daemon: `
    /// (or the registry's, for a failure in the middle of a stream).
    #[error("{message}")]
    Registry {
        /// `log in to`, `push` or `pull`.
        operation: &'static str,
        /// The registry or image.
        target: String,
        /// The engine's HTTP status, when it refused the request.
        status: Option<u16>,
        /// The message.
        message: String,
    },
    /// The engine has no such operation.
    #[error("{operation} is not supported by this engine")]
    Unsupported {
        /// The operation.
        operation: &'static str,
    },
}

impl EngineError {
    /// True when the engine answered 404: the container, image or volume (or
    /// the image a container was to be created from) does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            EngineError::NotFound { .. }
                | EngineError::Swarm {
                    status: Some(404),
                    ..
                }
        )
    }

    /// True when the engine answered 409, e.g. a container name already in
    /// use or an image still used by a container.
    pub fn is_conflict(&self) -> bool {
        self.status_code() == Some(409)
    }

    /// The HTTP status the engine answered with, when the error came from an
    /// engine answer (404 for [`EngineError::NotFound`]).
    pub fn status_code(&self) -> Option<u16> {
        match self {
            EngineError::NotFound { .. } => Some(404),
            EngineError::Registry { status, .. } => *status,
            EngineError::Swarm { status, .. } => *status,
            other => other.api_error().and_then(ApiError::status_code),
        }
    }

    fn api_error(&self) -> Option<&ApiError> {
        use EngineError::*;
        match self {
            Connect { source }
            | Ping { source }
            | Version { source }
            | Info { source }
            | InspectImage { source, .. }
            | Build { source, .. }
            | TagImage { source, .. }
            | RemoveImage { source, .. }
            | ListImages { source }
            | LoadImage { source }
            | CommitContainer { source, .. }
            | CreateContainer { source, .. }
            | StartContainer { source, .. }
            | StopContainer { source, .. }
            | KillContainer { source, .. }
            | RemoveContainer { source, .. }
            | RenameContainer { source, .. }
            | InspectContainer { source, .. }
            | ListContainers { source }
            | WaitContainer { source, .. }
            | AttachContainer { source, .. }
            | ContainerLogs { source, .. }
            | Exec { source, .. }
            | CopyFromContainer { source, .. }
            | CreateVolume { source, .. }
            | RemoveVolume { source, .. }
            | InspectVolume { source, .. }
            | Network { source, .. } => Some(source),
            Runtime { .. }
            | CopyWrite { .. }
            | NotFound { .. }
            | MissingField { .. }
            | Refused { .. }
            | InvalidSpec { .. }
            | BuildContext { .. }
            | BuildFailed { .. }
            | LoadImageRead { .. }
            | Registry { .. }
            | Unsupported { .. }
            | Swarm { .. }
            | WriteStdin { .. } => None,
        }
    }
}

/// Wraps a client error for `operation` on `name`, turning a 404 answer into
/// [`EngineError::NotFound`] and anything else into the variant `wrap` builds.
pub(crate) fn classify(
    error: bollard::errors::Error,
    operation: &'static str,
    name: &str,
    wrap: impl FnOnce(ApiError) -> EngineError,
) -> EngineError {
    match error {
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            message,
        } => EngineError::NotFound {
            operation,
            name: name.to_string(),
            message,
        },
        other => wrap(ApiError::new(other)),
    }
}

/// An operation on one existing container: it picks the [`EngineError`]
/// variant of the operation's failures and the words of its not-found error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContainerOp {
    Start,
    Stop,
    Kill,
    Remove,
    Inspect,
    Wait,
    Attach,
    Logs,
    Exec,
    Commit,
}

impl ContainerOp {
    /// The operation in words, as a not-found error names it.
    pub(crate) fn words(self) -> &'static str {
        match self {
            ContainerOp::Start => "start container",
            ContainerOp::Stop => "stop container",
            ContainerOp::Kill => "kill container",
            ContainerOp::Remove => "remove container",
            ContainerOp::Inspect => "inspect container",
            ContainerOp::Wait => "wait for container",
            ContainerOp::Attach => "attach to container",
            ContainerOp::Logs => "read logs of container",
            ContainerOp::Exec => "exec in container",
            ContainerOp::Commit => "commit container",
        }
    }

    /// The error of this operation failing on `container` with `source`.
    pub(crate) fn error(self, container: &str, source: ApiError) -> EngineError {
        use EngineError::*;
        let container = container.to_string();
        match self {
            ContainerOp::Start => StartContainer { container, source },
            ContainerOp::Stop => StopContainer { container, source },
            ContainerOp::Kill => KillContainer { container, source },
            ContainerOp::Remove => RemoveContainer { container, source },
            ContainerOp::Inspect => InspectContainer { container, source },
            ContainerOp::Wait => WaitContainer { container, source },
            ContainerOp::Attach => AttachContainer { container, source },
            ContainerOp::Logs => ContainerLogs { container, source },
            ContainerOp::Exec => Exec { container, source },
            ContainerOp::Commit => CommitContainer { container, source },
        }
    }

    /// A client error of this operation on `container`, through
    /// [`classify`]: a 404 answer is [`EngineError::NotFound`].
    pub(crate) fn classify(self, error: bollard::errors::Error, container: &str) -> EngineError {
        classify(error, self.words(), container, |source| {
            self.error(container, source)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error(status_code: u16, message: &str) -> bollard::errors::Error {
        bollard::errors::Error::DockerResponseServerError {
            status_code,
            message: message.to_string(),
        }
    }

    #[test]
    fn a_404_becomes_not_found_whatever_the_operation() {
        let err = classify(
            server_error(404, "No such container: web.1"),
            "inspect container",
            "web.1",
            |source| EngineError::InspectContainer {
                container: "web.1".into(),
                source,
            },
        );
        assert!(err.is_not_found());
        assert_eq!(err.status_code(), Some(404));
        assert_eq!(
            err.to_string(),
            "inspect container web.1: not found: No such container: web.1"
        );
    }

    #[test]
    fn other_statuses_keep_the_operation_and_the_engine_message() {
        let err = classify(
            server_error(
                409,
                "Conflict. The container name \"/web.1\" is already in use",
            ),
            "create container",
            "web.1",
            |source| EngineError::CreateContainer {
                name: "web.1".into(),
                source,
            },
        );
        assert!(!err.is_not_found());
        assert!(err.is_conflict());
        assert_eq!(err.to_string(), "create container web.1");
        let source = std::error::Error::source(&err).map(ToString::to_string);
        assert_eq!(
            source.as_deref(),
            Some("Conflict. The container name \"/web.1\" is already in use (status 409)")
        );
    }
}
