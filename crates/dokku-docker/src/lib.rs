//! Dokku's container engine: the [`ContainerEngine`] trait in Dokku's
//! vocabulary and [`DockerEngine`], its implementation over the Docker Engine
//! API.
//!
//! This is the only crate of the workspace that names bollard types; they
//! never appear in its public API, so the client library's churn stays here.
//! Everything is synchronous: [`DockerEngine`] owns a current-thread tokio
//! runtime and blocks on it. Images are pulled only when asked
//! ([`ContainerEngine::pull_image`]), never as a side effect of a build or
//! a container creation.
//!
//! ```no_run
//! use dokku_docker::{ContainerEngine, ContainerSpec, DockerEngine};
//!
//! # fn main() -> Result<(), dokku_docker::EngineError> {
//! let engine = DockerEngine::connect()?;
//! let mut spec = ContainerSpec::new("dokku/app:latest");
//! spec.cmd = Some(vec!["cat".into(), "/app/Procfile".into()]);
//! let output = engine.run_to_completion(&spec, None)?;
//! assert!(output.success());
//! # Ok(())
//! # }
//! ```

pub mod attach;
pub mod compose;
mod context;
mod convert;
pub mod copy;
mod docker;
mod docker_config;
mod engine;
mod error;
#[cfg(feature = "fake")]
pub mod fake;
mod http;
mod info;
mod lines;
pub mod options;
mod push;
mod reference;
pub mod relabel;
mod spec;
pub mod swarm;
pub mod swarm_workloads;
#[cfg(feature = "testing")]
pub mod testing;

pub use context::label_instruction;
pub use docker::DockerEngine;
pub use docker_config::{auth_key, DockerConfig};
pub use engine::{ContainerEngine, RelabelStep};
pub use error::{ApiError, EngineError};
pub use info::{
    AttachIo, BuiltImage, ContainerInfo, ContainerNetwork, ContainerSummary, EngineVersion,
    ExecOutput, ImageInfo, ImageSummary, LogStream, NetworkInfo, OnCreated, PublishedPort,
    RunOutput,
};
pub use push::{is_plain_reference, registry_of, RegistryAuth, DOCKER_HUB_KEY};
pub use reference::split_reference;
pub use spec::{
    BuildContext, BuildSpec, CommitSpec, ContainerFilter, ContainerSpec, ExecSpec, ImageFilter,
    LogOptions, Mount, MountSource, NetworkSpec, PortBinding, Protocol, RestartPolicy, VolumeSpec,
};
pub use swarm::{
    spec_fingerprint, JoinTokens, NodeUpdate, ServiceHealthcheck, ServiceInfo, ServiceMount,
    ServiceSpec, SwarmEngine, SwarmNode, SwarmState, SwarmTask, TaskFilter,
};
pub use swarm_workloads::SwarmWorkloads;
