//! Test support for crates that test against the real engine: a locally built busybox image, unique names, cleanup guards.
//!
//! Enabled by the `testing` feature; use it from `[dev-dependencies]` only.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{BuildContext, BuildSpec, ContainerEngine, EngineError};

/// The label every test resource carries, with the test's name as value.
pub const TEST_LABEL: &str = "com.dokku.test";

/// The static busybox copied into the test image (Debian's `busybox-static`).
pub const BUSYBOX_PATH: &str = "/bin/busybox";

const DOCKERFILE: &str = "FROM scratch\n\
COPY busybox /bin/busybox\n\
RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Runs the docker CLI with `args`, for what a test checks through the
/// CLI rather than this crate, asserting success; its standard output.
#[track_caller]
pub fn docker_cli(args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("docker")
        .args(args)
        .output()
        .expect("spawn docker");
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A name for a test resource, unique across tests, runs and concurrent
/// processes: `dokku-test-<test>-<pid>-<n>`, lowercased and limited to the
/// characters docker accepts in container, image and volume names.
pub fn unique_name(test: &str) -> String {
    let test: String = test
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '.' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("dokku-test-{test}-{}-{n}", std::process::id())
}

/// The build context of the busybox test image: a tar archive holding the
/// host's `/bin/busybox` and a Dockerfile that installs its applets.
pub fn busybox_context() -> Result<Vec<u8>, EngineError> {
    let wrap = |source| EngineError::BuildContext {
        path: Path::new(BUSYBOX_PATH).to_path_buf(),
        source,
    };
    let busybox = std::fs::read(BUSYBOX_PATH).map_err(wrap)?;
    let mut builder = tar::Builder::new(Vec::new());
    append(&mut builder, "Dockerfile", DOCKERFILE.as_bytes(), 0o644).map_err(wrap)?;
    append(&mut builder, "busybox", &busybox, 0o755).map_err(wrap)?;
    builder.into_inner().map_err(wrap)
}

fn append(
    builder: &mut tar::Builder<Vec<u8>>,
    path: &str,
    data: &[u8],
    mode: u32,
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(mode);
    header.set_cksum();
    builder.append_data(&mut header, path, data)
}

/// Builds the busybox test image (`FROM scratch`, no pull) as `tag`, labelled
/// `com.dokku.test=<tag>`, and returns its id. Built without the cache, so
/// tests never share image layers that another test could remove.
pub fn busybox_image(engine: &dyn ContainerEngine, tag: &str) -> Result<String, EngineError> {
    let mut spec = BuildSpec::new(BuildContext::Tar(busybox_context()?));
    spec.tags = vec![tag.to_string()];
    spec.labels = BTreeMap::from([(TEST_LABEL.to_string(), tag.to_string())]);
    spec.no_cache = true;
    Ok(engine.build_image(&spec, &mut |_| {})?.id)
}

/// Removes the resources it tracks when dropped, whether the test passed or
/// panicked: containers first (forced), then images (forced), then volumes,
/// then networks.
/// Errors are ignored: the resource may never have been created.
pub struct Cleanup<'a> {
    engine: &'a dyn ContainerEngine,
    containers: Vec<String>,
    images: Vec<String>,
    volumes: Vec<String>,
    networks: Vec<String>,
}

impl<'a> Cleanup<'a> {
    /// A guard with nothing to remove yet.
    pub fn new(engine: &'a dyn ContainerEngine) -> Self {
        Self {
            engine,
            containers: Vec::new(),
            images: Vec::new(),
            volumes: Vec::new(),
            networks: Vec::new(),
        }
    }

    /// Removes this container (name or id) on drop; returns it for chaining.
    pub fn container(&mut self, container: impl Into<String>) -> String {
        let container = container.into();
        self.containers.push(container.clone());
        container
    }

    /// Removes this image (reference or id) on drop; returns it.
    pub fn image(&mut self, image: impl Into<String>) -> String {
        let image = image.into();
        self.images.push(image.clone());
        image
    }

    /// Removes this volume on drop; returns it.
    pub fn volume(&mut self, volume: impl Into<String>) -> String {
        let volume = volume.into();
        self.volumes.push(volume.clone());
        volume
    }

    /// Removes this network on drop (after the containers); returns it.
    pub fn network(&mut self, network: impl Into<String>) -> String {
        let network = network.into();
        self.networks.push(network.clone());
        network
    }
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        for container in self.containers.iter().rev() {
            let _ = self.engine.remove_container(container, true);
        }
        for image in self.images.iter().rev() {
            let _ = self.engine.remove_image(image, true);
        }
        for volume in self.volumes.iter().rev() {
            let _ = self.engine.remove_volume(volume, true);
        }
        for network in self.networks.iter().rev() {
            let _ = self.engine.remove_network(network);
        }
    }
}
