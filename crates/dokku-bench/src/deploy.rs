//! The deploy half of `make bench`: how long a `git push` of the bundled
//! sample app (tests/apps/dockerfile-sample) takes from push to serving,
//! less the image build, with the app.json http healthcheck and with the
//! fallback uptime wait; and how long `ps:restart` takes.
//!
//! Everything runs against a scratch installation (temporary DOKKU_ROOT
//! and DOKKU_LIB_ROOT) and the real Docker engine. The push goes through a
//! stand-in for ssh that runs the binary as sshd's forced command does. The
//! base image is built locally from the host's static busybox; nothing is
//! pulled. Containers and images carry the run's app names (and the images
//! the bench builds itself a `com.dokku.bench` label) and are removed when
//! the [`Scratch`] guard drops, also on failure.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dokku_docker::{
    BuildContext, BuildSpec, ContainerEngine, ContainerFilter, DockerEngine, ImageFilter,
};

/// Print every push's output, timestamped, on stderr (`--verbose`).
pub static VERBOSE: AtomicBool = AtomicBool::new(false);
/// Measured pushes (and restarts) per variant; the median is reported.
pub const RUNS: usize = 5;
/// The label on the images the bench builds itself.
const BENCH_LABEL: &str = "com.dokku.bench";
/// The host's static busybox, the only thing in the base image.
const BUSYBOX: &str = "/bin/busybox";
/// The sample app's answer at `/`.
const SAMPLE_BODY: &str = "Hello from the dokku sample app";
/// Bound on one push, one restart, and on waiting for an answer.
const DEADLINE: Duration = Duration::from_secs(180);
/// Seconds old containers are kept after a switch (see [`Scratch::new`]).
const WAIT_TO_RETIRE: &str = "2";

/// One measured deploy.
#[derive(Debug, Clone, Copy)]
struct Sample {
    /// Push start to the first 200 with the new body on the recorded address.
    serving: Duration,
    /// The build step inside the push (see [`build_span`]).
    build: Duration,
    /// Push start to `git push` exiting.
    exited: Duration,
}

/// Medians of one variant.
pub struct Variant {
    serving: Duration,
    build: Duration,
    overhead: Duration,
    exited: Duration,
    /// Overheads of every run, sorted.
    spread: Vec<Duration>,
}

impl Variant {
    /// Its row of the deploy table after `label` (the deploy and checks
    /// columns), the overhead in bold when `bold`.
    fn row(&self, label: &str, bold: bool) -> String {
        let overhead = if bold {
            format!("**{}**", secs(self.overhead))
        } else {
            secs(self.overhead)
        };
        format!(
            "| {label} | {} | {} | {overhead} | {} | {} |\n",
            secs(self.serving),
            secs(self.build),
            secs(self.exited),
            spread(&self.spread)
        )
    }
}

/// What [`run`] measured.
pub struct Report {
    /// Create + start of the deployed image straight through the engine,
    /// until it serves: the floor no deploy can beat.
    floor: Duration,
    floor_spread: Vec<Duration>,
    http: Variant,
    fallback: Variant,
    /// The fallback's wait in seconds, as the deploy printed it.
    default_wait: String,
    restart: Duration,
    restart_spread: Vec<Duration>,
}

/// One app in a scratch installation, its repository, and what it leaves
/// in the engine.
struct Scratch {
    engine: DockerEngine,
    bin: PathBuf,
    dir: tempfile::TempDir,
    app: String,
    base: String,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let label = format!("com.dokku.app-name={}", self.app);
        if let Ok(list) = self
            .engine
            .list_containers(&ContainerFilter::label(label.clone()))
        {
            for c in list {
                let _ = self.engine.remove_container(&c.id, true);
            }
        }
        for filter in [
            ImageFilter {
                reference: Some(format!("dokku/{}", self.app)),
                ..ImageFilter::default()
            },
            ImageFilter::label(label),
            ImageFilter::label(format!("{BENCH_LABEL}={}", self.app)),
        ] {
            if let Ok(list) = self.engine.list_images(&filter) {
                for i in list {
                    let _ = self.engine.remove_image(&i.id, true);
                }
            }
        }
        let _ = self.engine.remove_image(&self.base, true);
        // The temporary directory goes with `self.dir`.
    }
}

impl Scratch {
    /// A scratch installation with one created app `bench-<pid>-<variant>`
    /// and its busybox base image.
    fn new(bin: &Path, variant: &str) -> Result<Scratch, String> {
        let engine = DockerEngine::connect().map_err(|e| format!("docker engine: {e}"))?;
        let app = format!("bench-{}-{variant}", std::process::id());
        let s = Scratch {
            engine,
            bin: bin.to_path_buf(),
            dir: tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?,
            base: format!("{app}-base:latest"),
            app,
        };
        for d in [
            "home",
            "logs",
            "repo",
            "lib/plugins/available",
            "lib/plugins/enabled",
            "lib/core-plugins/available",
            "lib/core-plugins/enabled",
        ] {
            std::fs::create_dir_all(s.dir.path().join(d)).map_err(|e| format!("mkdir {d}: {e}"))?;
        }
        s.base_image()?;
        s.dokku(&["apps:create", &s.app])?;
        // Old containers retire 2 s after the switch instead of Dokku's 60,
        // so that retirement happens between measurements (the bench waits
        // for it) and no background `ps:retire` outlives the bench.
        s.dokku(&["checks:set", &s.app, "wait-to-retire", WAIT_TO_RETIRE])?;
        Ok(s)
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// The environment every process of the installation gets.
    fn env(&self, c: &mut Command) {
        installation_env(c, self.dir.path())
            .env("GIT_AUTHOR_NAME", "bench")
            .env("GIT_AUTHOR_EMAIL", "bench@example.com")
            .env("GIT_COMMITTER_NAME", "bench")
            .env("GIT_COMMITTER_EMAIL", "bench@example.com")
            .env("GIT_CONFIG_NOSYSTEM", "1");
    }

    /// Run `dokku args`, failing with its output.
    fn dokku(&self, args: &[&str]) -> Result<String, String> {
        run_dokku(&self.bin, args, |c| self.env(c))
    }

    /// Run `git args` in the repository.
    fn git(&self, args: &[&str]) -> Result<String, String> {
        let mut c = Command::new("git");
        self.env(&mut c);
        c.current_dir(self.repo()).args(args);
        output(c, &format!("git {}", args.join(" ")))
    }

    /// The base image the sample's FROM line names, built from the host's
    /// static busybox (FROM scratch, nothing pulled).
    fn base_image(&self) -> Result<(), String> {
        busybox_image(
            &self.engine,
            &self.dir.path().join("base"),
            &self.base,
            &self.app,
            "",
        )
    }

    /// The sample app as a git repository, built FROM the bench's base;
    /// without its healthchecks when `healthchecks` is false.
    fn sample_repo(&self, sample: &Path, healthchecks: bool) -> Result<(), String> {
        copy_tree(sample, &self.repo())?;
        let dockerfile = self.repo().join("Dockerfile");
        let text = std::fs::read_to_string(&dockerfile).map_err(|e| e.to_string())?;
        let text = text.replace(
            "FROM dokku-sample-base:busybox",
            &format!("FROM {}", self.base),
        );
        std::fs::write(&dockerfile, text).map_err(|e| e.to_string())?;
        if !healthchecks {
            std::fs::write(self.repo().join("app.json"), "{}\n").map_err(|e| e.to_string())?;
        }
        self.git(&["init", "-q", "-b", "master"])?;
        self.commit("sample")
    }

    fn commit(&self, msg: &str) -> Result<(), String> {
        self.git(&["add", "-A"])?;
        self.git(&["-c", "commit.gpgsign=false", "commit", "-q", "-m", msg])?;
        Ok(())
    }

    /// A `git push` to the app through a stand-in for ssh that runs the
    /// binary as sshd's forced command does; stderr piped.
    fn push_command(&self) -> Result<Command, String> {
        let wrapper = self.dir.path().join("ssh");
        let script = format!(
            "#!/bin/sh\nfor last; do :; done\nexec env SSH_ORIGINAL_COMMAND=\"$last\" '{}'\n",
            self.bin.display()
        );
        std::fs::write(&wrapper, script).map_err(|e| e.to_string())?;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        let mut c = Command::new("git");
        self.env(&mut c);
        c.current_dir(self.repo())
            .env("GIT_SSH_COMMAND", &wrapper)
            .args(["push", &format!("dokku@dokku.bench:{}", self.app), "master"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        Ok(c)
    }

    /// Change the page, commit, push, and time it (see [`Sample`]). The
    /// push's stderr lines are timestamped as they arrive.
    fn timed_push(&self, marker: &str) -> Result<(Sample, Vec<(Duration, String)>), String> {
        let body = format!(
            "<!doctype html>\n<title>dokku sample</title>\n<p>{SAMPLE_BODY}</p>\n<p>{marker}</p>\n"
        );
        std::fs::write(self.repo().join("public/index.html"), body).map_err(|e| e.to_string())?;
        self.commit(marker)?;
        let mut c = self.push_command()?;
        let stop = Arc::new(AtomicBool::new(false));
        let start = Instant::now();
        let mut child = c.spawn().map_err(|e| format!("git push: {e}"))?;
        let poller = {
            let stop = Arc::clone(&stop);
            let root = self.root().join(&self.app);
            let marker = marker.to_string();
            std::thread::spawn(move || poll_serving(&root, &marker, start, &stop))
        };
        let mut lines = Vec::new();
        if let Some(err) = child.stderr.take() {
            let mut r = BufReader::new(err);
            let mut buf = Vec::new();
            while r.read_until(b'\n', &mut buf).map_err(|e| e.to_string())? > 0 {
                let t = start.elapsed();
                for part in String::from_utf8_lossy(&buf).split('\r') {
                    if !part.trim().is_empty() {
                        lines.push((t, part.trim_end().to_string()));
                    }
                }
                buf.clear();
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        let exited = start.elapsed();
        if !status.success() {
            stop.store(true, Ordering::Relaxed);
            let _ = poller.join();
            return Err(format!("git push failed ({status}):\n{}", joined(&lines)));
        }
        let serving = poller
            .join()
            .map_err(|_| "poller panicked".to_string())?
            .map_err(|e| format!("{e}\npush output:\n{}", joined(&lines)))?;
        let build = build_span(&lines, &self.app)
            .ok_or_else(|| format!("no build step in the push output:\n{}", joined(&lines)))?;
        Ok((
            Sample {
                serving,
                build,
                exited,
            },
            lines,
        ))
    }

    /// Wait until the app runs exactly one container: the old ones are
    /// retired (bounded; a leftover is reported, not fatal).
    fn settle(&self) {
        let filter = ContainerFilter::label(format!("com.dokku.app-name={}", self.app));
        let until = Instant::now() + Duration::from_secs(60);
        while Instant::now() < until {
            match self.engine.list_containers(&filter) {
                Ok(l) if l.len() <= 1 => return,
                Ok(_) => {}
                Err(e) => {
                    eprintln!("dokku-bench: listing containers: {e}");
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        eprintln!(
            "dokku-bench: old containers of {} not retired after 60 s",
            self.app
        );
    }
}

/// Run a command to completion; its stdout, or an error with its output.
/// A clean environment for a process of a Dokku installation kept in
/// `dir` (`home` its root, root its system user), without standard input,
/// talking to the host's docker.
pub fn installation_env<'c>(c: &'c mut Command, dir: &Path) -> &'c mut Command {
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("DOKKU_ROOT", dir.join("home"))
        .env("DOKKU_LIB_ROOT", dir.join("lib"))
        .env("DOKKU_LOGS_DIR", dir.join("logs"))
        .env("DOKKU_SYSTEM_USER", "root")
        .env("DOKKU_SYSTEM_GROUP", "root")
        .env("DOKKU_DEFAULT_FILE", dir.join("no-default"))
        .stdin(Stdio::null());
    if let Ok(v) = std::env::var("DOCKER_HOST") {
        c.env("DOCKER_HOST", v);
    }
    c
}

/// Build the image `tag` (labelled as the bench's `owner`) from the host's
/// static busybox in the build directory `ctx`, FROM scratch so that
/// nothing is pulled; `extra` ends its Dockerfile.
pub fn busybox_image(
    engine: &dyn ContainerEngine,
    ctx: &Path,
    tag: &str,
    owner: &str,
    extra: &str,
) -> Result<(), String> {
    std::fs::create_dir_all(ctx).map_err(|e| e.to_string())?;
    std::fs::copy(BUSYBOX, ctx.join("busybox")).map_err(|e| format!("{BUSYBOX}: {e}"))?;
    std::fs::write(
        ctx.join("Dockerfile"),
        format!("FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n{extra}"),
    )
    .map_err(|e| e.to_string())?;
    let mut spec = BuildSpec::new(BuildContext::Directory(ctx.to_path_buf()));
    spec.tags = vec![tag.to_string()];
    spec.labels = BTreeMap::from([(BENCH_LABEL.to_string(), owner.to_string())]);
    spec.no_cache = true;
    engine
        .build_image(&spec, &mut |_| {})
        .map_err(|e| format!("busybox base image: {e}"))?;
    Ok(())
}

/// Run the binary `bin` as `dokku args` in the environment `env` sets up,
/// to completion; its stdout, or an error with its output.
pub fn run_dokku(
    bin: &Path,
    args: &[&str],
    env: impl FnOnce(&mut Command),
) -> Result<String, String> {
    let mut c = Command::new(bin);
    env(&mut c);
    c.args(args);
    output(c, &format!("dokku {}", args.join(" ")))
}

/// Run `c` (`what`) to completion; its stdout, or an error with its output.
pub fn output(mut c: Command, what: &str) -> Result<String, String> {
    let o = c.output().map_err(|e| format!("{what}: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "`{what}` failed ({}):\n{}{}",
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&o.stdout).into_owned())
}

fn joined(lines: &[(Duration, String)]) -> String {
    lines
        .iter()
        .map(|(t, l)| format!("{:>8.3} {l}\n", t.as_secs_f64()))
        .collect()
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    let rd = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for e in rd.flatten() {
        let dst = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &dst)?;
        } else {
            std::fs::copy(e.path(), &dst).map_err(|e| format!("{}: {e}", dst.display()))?;
        }
    }
    Ok(())
}

/// The build step as the push printed it: from the builder's
/// `-----> Building <app> from Dockerfile` line (before the context is
/// sent) to the engine's last build line (`Successfully tagged ...`).
fn build_span(lines: &[(Duration, String)], app: &str) -> Option<Duration> {
    let begin_line = format!("-----> Building {app} from Dockerfile");
    let begin = lines.iter().position(|(_, l)| l.contains(&begin_line))?;
    let end = lines[begin..]
        .iter()
        .rev()
        .find(|(_, l)| l.contains("Successfully tagged") || l.contains("Successfully built"))?;
    Some(end.0.saturating_sub(lines[begin].0))
}

/// The seconds of the fallback wait, from `-----> Waiting for N seconds ...`.
fn fallback_wait(lines: &[(Duration, String)]) -> Option<String> {
    lines.iter().find_map(|(_, l)| {
        let rest = l.split("-----> Waiting for ").nth(1)?;
        rest.strip_suffix(" seconds ...")
            .map(|s| s.trim().to_string())
    })
}

/// Only loopback and private (docker bridge) addresses are polled.
fn local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => v.is_loopback() || v.is_private() || v.is_link_local(),
        IpAddr::V6(v) => v.is_loopback() || (v.segments()[0] & 0xfe00) == 0xfc00,
    }
}

/// Poll `IP.web.1`:`PORT.web.1` of the app until it answers 200 with
/// `marker`; the time since `start` when it did.
fn poll_serving(
    app_dir: &Path,
    marker: &str,
    start: Instant,
    stop: &AtomicBool,
) -> Result<Duration, String> {
    let mut last = String::from("no recorded address yet");
    while start.elapsed() < DEADLINE && !stop.load(Ordering::Relaxed) {
        match get_recorded(app_dir) {
            Ok(body) if body.contains(marker) && body.contains(SAMPLE_BODY) => {
                return Ok(start.elapsed())
            }
            Ok(body) => last = format!("old answer: {}", body.trim()),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Err(format!("the new container never answered: {last}"))
}

/// The recorded web.1 address of the app (`IP.web.1`:`PORT.web.1`).
fn recorded_addr(app_dir: &Path) -> Result<(IpAddr, u16), String> {
    let read = |f: &str| std::fs::read_to_string(app_dir.join(f)).map(|s| s.trim().to_string());
    let ip = read("IP.web.1").map_err(|e| format!("IP.web.1: {e}"))?;
    let port = read("PORT.web.1").map_err(|e| format!("PORT.web.1: {e}"))?;
    let ip: IpAddr = ip.parse().map_err(|e| format!("IP.web.1 {ip:?}: {e}"))?;
    let port: u16 = port
        .parse()
        .map_err(|e| format!("PORT.web.1 {port:?}: {e}"))?;
    Ok((ip, port))
}

/// One HTTP/1.0 GET of `/` from the recorded web.1 address; the body of a 200.
fn get_recorded(app_dir: &Path) -> Result<String, String> {
    let (ip, port) = recorded_addr(app_dir)?;
    get_body(ip, port)
}

/// One HTTP/1.0 GET of `/` from a container's address; the body of a 200.
fn get_body(ip: IpAddr, port: u16) -> Result<String, String> {
    if !local(ip) {
        return Err(format!("refusing to poll non-local address {ip}"));
    }
    get_page(SocketAddr::new(ip, port), "bench")
}

/// One HTTP/1.0 GET of `/` from `addr` with `host` as the Host header;
/// the body of a 200.
pub(crate) fn get_page(addr: SocketAddr, host: &str) -> Result<String, String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500))
        .map_err(|e| format!("{addr}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    s.write_all(format!("GET / HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)
        .map_err(|e| format!("{addr}: {e}"))?;
    let raw = String::from_utf8_lossy(&raw);
    let status = raw.lines().next().unwrap_or("");
    if !(status.starts_with("HTTP/1.") && status.split_whitespace().nth(1) == Some("200")) {
        return Err(format!("{addr} ({host}): {status:?}"));
    }
    Ok(raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default())
}

/// The median of `v` (zero when empty).
pub(crate) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Deploy the sample app once (not measured), then `RUNS` measured
/// redeploys, each with a changed page so the image really rebuilds.
fn deploy_variant(
    bin: &Path,
    sample: &Path,
    name: &str,
    healthchecks: bool,
) -> Result<(Variant, Scratch, String), String> {
    let s = Scratch::new(bin, name)?;
    s.sample_repo(sample, healthchecks)?;
    let (_, first) = s.timed_push(&format!("{} warm-up", s.app))?;
    let mut wait = fallback_wait(&first).unwrap_or_default();
    s.settle();
    let mut samples = Vec::new();
    for i in 1..=RUNS {
        let (sample, lines) = s.timed_push(&format!("{} run {i}", s.app))?;
        if VERBOSE.load(Ordering::Relaxed) {
            eprint!("{}", joined(&lines));
        }
        if let Some(w) = fallback_wait(&lines) {
            wait = w;
        }
        eprintln!(
            "{name} push {i}: serving {:.2} s, build {:.2} s, exits {:.2} s",
            sample.serving.as_secs_f64(),
            sample.build.as_secs_f64(),
            sample.exited.as_secs_f64()
        );
        samples.push(sample);
        s.settle();
    }
    let overheads: Vec<Duration> = samples
        .iter()
        .map(|x| x.serving.saturating_sub(x.build))
        .collect();
    let mut spread = overheads.clone();
    spread.sort();
    let v = Variant {
        serving: median(samples.iter().map(|x| x.serving).collect()),
        build: median(samples.iter().map(|x| x.build).collect()),
        overhead: median(overheads),
        exited: median(samples.iter().map(|x| x.exited).collect()),
        spread,
    };
    Ok((v, s, wait))
}

/// The floor: `RUNS` times, create and start a container of the deployed
/// image with the deployed container's environment straight through the
/// engine, and time until it serves the page; then remove it.
fn floor(s: &Scratch) -> Result<Vec<Duration>, String> {
    let app_dir = s.root().join(&s.app);
    let (_, port) = recorded_addr(&app_dir)?;
    let cid = std::fs::read_to_string(app_dir.join("CONTAINER.web.1"))
        .map_err(|e| format!("CONTAINER.web.1: {e}"))?;
    let deployed = s
        .engine
        .inspect_container(cid.trim())
        .map_err(|e| format!("inspect the deployed container: {e}"))?;
    let mut took = Vec::new();
    for i in 1..=RUNS {
        let name = format!("{}-floor-{i}", s.app);
        let spec = dokku_docker::ContainerSpec {
            name: Some(name.clone()),
            image: format!("dokku/{}:latest", s.app),
            env: deployed.env.clone(),
            labels: [
                ("com.dokku.app-name".to_string(), s.app.clone()),
                (BENCH_LABEL.to_string(), s.app.clone()),
            ]
            .into_iter()
            .collect(),
            ..Default::default()
        };
        let start = Instant::now();
        let id = s
            .engine
            .create_container(&spec)
            .map_err(|e| format!("create {name}: {e}"))?;
        let served = (|| {
            s.engine
                .start_container(&id)
                .map_err(|e| format!("start {name}: {e}"))?;
            let info = s
                .engine
                .inspect_container(&id)
                .map_err(|e| format!("inspect {name}: {e}"))?;
            let ip: IpAddr = info
                .ip_address("bridge")
                .ok_or(format!("{name} has no bridge address"))?
                .parse()
                .map_err(|e| format!("{name} address: {e}"))?;
            let mut last = String::new();
            while start.elapsed() < DEADLINE {
                match get_body(ip, port) {
                    Ok(body) if body.contains(SAMPLE_BODY) => return Ok(start.elapsed()),
                    Ok(body) => last = body,
                    Err(e) => last = e,
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(format!("{name} never answered: {last}"))
        })();
        let _ = s.engine.remove_container(&id, true);
        let served = served?;
        eprintln!("floor {i}: serving {:.2} s", served.as_secs_f64());
        took.push(served);
    }
    Ok(took)
}

/// Measure everything; `sample` is tests/apps/dockerfile-sample.
pub fn run(bin: &Path, sample: &Path) -> Result<Report, String> {
    let (http, s, _) = deploy_variant(bin, sample, "http", true)?;
    let floors = floor(&s)?;
    let mut floor_spread = floors.clone();
    floor_spread.sort();
    let mut restarts = Vec::new();
    for i in 1..=RUNS {
        let start = Instant::now();
        s.dokku(&["ps:restart", &s.app])?;
        let took = start.elapsed();
        eprintln!("http ps:restart {i}: {:.2} s", took.as_secs_f64());
        get_recorded(&s.root().join(&s.app))
            .ok()
            .filter(|b| b.contains(SAMPLE_BODY))
            .ok_or("the app did not answer after ps:restart")?;
        restarts.push(took);
        s.settle();
    }
    drop(s);
    let (fallback, s, default_wait) = deploy_variant(bin, sample, "fallback", false)?;
    drop(s);
    let mut restart_spread = restarts.clone();
    restart_spread.sort();
    Ok(Report {
        floor: median(floors),
        floor_spread,
        http,
        fallback,
        default_wait,
        restart: median(restarts),
        restart_spread,
    })
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

fn spread(v: &[Duration]) -> String {
    v.iter().map(|d| secs(*d)).collect::<Vec<_>>().join(", ")
}

/// The second table of docs/benchmarks.md.
pub fn markdown(r: &Report, machine: &str) -> String {
    let wait = if r.default_wait.is_empty() {
        "?".to_string()
    } else {
        r.default_wait.clone()
    };
    let mut md = String::new();
    md.push_str("\n## Deploy overhead\n\n");
    md.push_str(&format!(
        "`git push` of the bundled sample app (tests/apps/dockerfile-sample) to a scratch installation, {RUNS} redeploys per row after one unmeasured first deploy, each with a changed `public/index.html` so the image really rebuilds; medians in seconds.\n\n"
    ));
    md.push_str(&format!("Machine: {machine}.\n\n"));
    md.push_str("| deploy | checks | push → serving | build step | overhead | push exits | overhead per run |\n|---|---|---:|---:|---:|---:|---|\n");
    md.push_str(&r.http.row(
        "`git push` | app.json http healthcheck (`/`, expected content)",
        true,
    ));
    md.push_str(&r.fallback.row(
        &format!("`git push` | none: fallback uptime wait (default-wait {wait} s)"),
        false,
    ));
    md.push_str(&format!(
        "| `ps:restart` | app.json http healthcheck | | | {} | | {} |\n",
        secs(r.restart),
        spread(&r.restart_spread)
    ));
    md.push_str(&format!(
        "| floor: create + start through the engine | first 200 from the new container | {} | | {} | | {} |\n",
        secs(r.floor),
        secs(r.floor),
        spread(&r.floor_spread)
    ));
    let ratio = r.http.overhead.as_secs_f64() / r.floor.as_secs_f64().max(0.001);
    md.push_str(&format!(
        "\nDeploy overhead with the http healthcheck: {} s against a floor of {} s, **{ratio:.2}x**. Target: at most 1.25x the floor",
        secs(r.http.overhead),
        secs(r.floor)
    ));
    md.push_str(if ratio <= 1.25 {
        " (met).\n"
    } else {
        " (not met).\n"
    });
    md.push_str(&format!(
        "\nNotes:\n\n\
- **push → serving**: from starting `git push` (through a stand-in for ssh that runs the binary as sshd's forced command) to the first HTTP 200 whose body carries the run's new page, polled every 10 ms on the address the deploy recorded (`IP.web.1`:`PORT.web.1`, loopback or bridge addresses only).\n\
- **build step**: timed inside the same push, from the builder's `-----> Building <app> from Dockerfile` line (printed before the build context is sent to the engine) to the engine's last build line (`Successfully tagged ...`), each stderr line timestamped as `git push` relays it. It covers sending the context and every Dockerfile step (`COPY` rebuilds each run); git receive, extraction, app.json, release labelling, container start, checks and the switch count as overhead.\n\
- **overhead** = push → serving − build step, per run; the median of the per-run values (listed in the last column).\n\
- **push exits**: when `git push` returns, after the switch, post-deploy and clean-up.\n\
- **ps:restart**: wall time of the command, which returns once the new container has passed the http check and took over.\n\
- **floor**: in the same run, right after the http row, a container of the deployed image with the deployed container's environment is created and started straight through the engine (no dokku), and timed until it answers `/` with the page; {RUNS} times, then removed. No deploy can be faster than this.\n\
- The fallback row is the same app with an `app.json` without healthchecks: Dokku's uptime check waits `default-wait` seconds (`DOKKU_DEFAULT_CHECKS_WAIT`, else `checks:set --global default-wait`, else 10; neither is set here, and the value shown is the one the deploy printed).\n\
- The installation is scratch (temporary `DOKKU_ROOT`/`DOKKU_LIB_ROOT`), so the host's nginx is not reconfigured; a real install adds an nginx config test and reload to the switch. `wait-to-retire` is {WAIT_TO_RETIRE} s so old containers retire between runs rather than during the next one.\n"
    ));
    md
}
