//! Shared test environment: temporary roots, running the binary, reading
//! what it left on disk.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use dokku_docker::testing::{busybox_image, unique_name, TEST_LABEL};
use dokku_docker::{
    BuildContext, BuildSpec, ContainerEngine, ContainerFilter, ContainerSummary, DockerEngine,
    ImageFilter,
};

/// A throwaway Dokku installation.
pub struct Env {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
}

/// What one run produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Assert success and return stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "command failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Assert a Dokku failure: exit 1 and `msg` as the one ` !     ` line
    /// on stderr.
    #[track_caller]
    pub fn fails_with(&self, msg: &str) {
        assert_eq!(
            (self.code, self.stderr.as_str()),
            (1, format!(" !     {msg}\n").as_str())
        );
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Env {
    /// Fresh roots with the plugin directories in place.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = Env { dir };
        for d in [
            "home",
            "lib/plugins/available",
            "lib/plugins/enabled",
            "lib/core-plugins/available",
            "lib/core-plugins/enabled",
        ] {
            std::fs::create_dir_all(e.dir.path().join(d)).expect("mkdir");
        }
        e
    }

    /// DOKKU_ROOT.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// DOKKU_LIB_ROOT.
    pub fn lib(&self) -> PathBuf {
        self.dir.path().join("lib")
    }

    /// A command for the binary with this environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dokku"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("DOKKU_ROOT", self.root())
            .env("DOKKU_LIB_ROOT", self.lib())
            .env("DOKKU_LOGS_DIR", self.dir.path().join("logs"))
            .env("DOKKU_SYSTEM_USER", "root")
            .env("DOKKU_SYSTEM_GROUP", "root")
            .env("DOKKU_DEFAULT_FILE", self.dir.path().join("no-default"))
            .stdin(Stdio::null());
        c
    }

    /// Run with no stdin.
    pub fn run(&self, args: &[&str]) -> Run {
        self.cmd(args).output().expect("spawn dokku").into()
    }

    /// Run `args`, assert success and that stdout is exactly `want`.
    #[track_caller]
    pub fn expect(&self, args: &[&str], want: impl AsRef<str>) {
        assert_eq!(
            self.run(args).ok(),
            want.as_ref(),
            "dokku {}",
            args.join(" ")
        );
    }

    /// Run with bytes on stdin.
    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        let mut c = self.cmd(args);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("spawn dokku");
        if let Err(err) = child.stdin.take().expect("stdin").write_all(input) {
            // The command may exit before reading all of its input.
            assert_eq!(
                err.kind(),
                std::io::ErrorKind::BrokenPipe,
                "write stdin: {err}"
            );
        }
        child.wait_with_output().expect("wait").into()
    }

    /// Create an app, asserting success.
    pub fn create_app(&self, app: &str) {
        self.run(&["apps:create", app]).ok();
    }

    /// Replace temp paths in output by stable names, for snapshots.
    pub fn filter(&self, s: &str) -> String {
        s.replace(&self.root().display().to_string(), "$DOKKU_ROOT")
            .replace(&self.lib().display().to_string(), "$DOKKU_LIB_ROOT")
    }

    /// Every file below a directory, relative, sorted (for "nothing changed").
    pub fn tree(&self, base: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            for e in rd.flatten() {
                let p = e.path();
                let rel = p.strip_prefix(base).expect("prefix").display().to_string();
                if p.is_dir() && !p.is_symlink() {
                    out.push((format!("{rel}/"), Vec::new()));
                    walk(base, &p, out);
                } else {
                    out.push((rel, std::fs::read(&p).unwrap_or_default()));
                }
            }
        }
        walk(base, base, &mut out);
        out.sort();
        out
    }

    /// Snapshot of both roots, ignoring state lock files.
    pub fn state(&self) -> Vec<(String, Vec<u8>)> {
        self.tree(self.dir.path())
            .into_iter()
            .filter(|(p, _)| !p.contains("/.locks"))
            .collect()
    }
}

/// Remove what an app left in the engine: its containers (forced), then
/// the images named `dokku/<app>` or labelled with the app. Errors are
/// ignored: a test may fail before anything was created.
pub fn remove_app_resources(engine: &dyn ContainerEngine, app: &str) {
    let label = format!("com.dokku.app-name={app}");
    if let Ok(list) = engine.list_containers(&ContainerFilter::label(label.clone())) {
        for c in list {
            let _ = engine.remove_container(&c.id, true);
        }
    }
    for filter in [
        ImageFilter {
            reference: Some(format!("dokku/{app}")),
            ..ImageFilter::default()
        },
        ImageFilter::label(label),
    ] {
        if let Ok(list) = engine.list_images(&filter) {
            for i in list {
                let _ = engine.remove_image(&i.id, true);
            }
        }
    }
}

/// An app's side of the real engine, shared by the tests that deploy: a
/// per-test app name, a busybox base image (`<name>-base:latest`) its
/// images are built from, and, when dropped, removal of everything the app
/// left there (its containers and images, then the base).
pub struct EngineApp {
    pub engine: DockerEngine,
    /// The app's name, unique to the test and the run.
    pub name: String,
    /// The busybox base image.
    pub base: String,
}

impl EngineApp {
    /// Connect, pick the app's name and build its base image.
    pub fn new(test: &str) -> EngineApp {
        let engine = DockerEngine::connect().expect("docker engine");
        let name = unique_name(test);
        let base = format!("{name}-base:latest");
        let app = EngineApp { engine, name, base };
        busybox_image(&app.engine, &app.base).expect("busybox base image");
        app
    }

    /// Build `dokku/<app>:latest` from the base, labelled with the app:
    /// busybox httpd serving `index` at `/` on `$PORT`, after the shell
    /// commands `before` (each ending in `;`); `extra` are Dockerfile lines
    /// put before `CMD`.
    pub fn build_httpd(&self, index: &str, before: &str, extra: &str) {
        let dir = tempfile::tempdir().expect("tempdir");
        let dockerfile = format!(
            "FROM {base}\nLABEL com.dokku.app-name={app} {TEST_LABEL}={app}\nRUN mkdir -p /www && echo {index} > /www/index.html\n{extra}\nCMD [\"sh\", \"-c\", \"{before}exec httpd -f -p $PORT -h /www\"]\n",
            base = self.base,
            app = self.name,
        );
        std::fs::write(dir.path().join("Dockerfile"), dockerfile).expect("dockerfile");
        let mut spec = BuildSpec::new(BuildContext::Directory(dir.path().to_path_buf()));
        spec.tags = vec![format!("dokku/{}:latest", self.name)];
        self.engine
            .build_image(&spec, &mut |_| {})
            .expect("build app image");
    }
}

impl Drop for EngineApp {
    fn drop(&mut self) {
        remove_app_resources(&self.engine, &self.name);
        let _ = self.engine.remove_image(&self.base, true);
    }
}

/// An app under test against the real engine: its engine side (`fx`,
/// removed when dropped) and a throwaway installation (`env`) in which the
/// app is created. Derefs to the [`EngineApp`] (`app.name`, `app.engine`).
pub struct TestApp {
    pub fx: EngineApp,
    pub env: Env,
}

impl std::ops::Deref for TestApp {
    type Target = EngineApp;
    fn deref(&self) -> &EngineApp {
        &self.fx
    }
}

impl TestApp {
    /// A created app and its busybox base image.
    pub fn new(test: &str) -> TestApp {
        let app = TestApp {
            fx: EngineApp::new(test),
            env: Env::new(),
        };
        app.env.create_app(&app.name);
        app
    }

    /// A created app whose deploys are quick: a 1 s fallback check wait,
    /// `retire` seconds before old containers go, a 1 s stop timeout.
    pub fn with_fast_checks(test: &str, retire: &str) -> TestApp {
        let app = TestApp::new(test);
        for args in [
            ["checks:set", "--global", "default-wait", "1"],
            ["checks:set", "--global", "wait-to-retire", retire],
            ["ps:set", "--global", "stop-timeout-seconds", "1"],
        ] {
            app.run(&args).ok();
        }
        app
    }

    /// Run the binary in the app's installation.
    pub fn run(&self, args: &[&str]) -> Run {
        self.env.run(args)
    }

    /// `ps:rebuild` of the app, asserting success.
    pub fn deploy(&self) {
        self.run(&["ps:rebuild", &self.name]).ok();
    }

    /// The app's containers (those also carrying `labels`, `key=value`),
    /// running or not.
    pub fn containers(&self, labels: &[&str]) -> Vec<ContainerSummary> {
        let mut filter = ContainerFilter::label(format!("com.dokku.app-name={}", self.name));
        filter.labels.extend(labels.iter().map(|l| l.to_string()));
        self.engine
            .list_containers(&filter)
            .expect("list containers")
    }

    /// The names of [`TestApp::containers`], sorted.
    pub fn container_names(&self, labels: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = self
            .containers(labels)
            .iter()
            .map(|c| c.name().unwrap_or("").to_string())
            .collect();
        v.sort();
        v
    }

    /// A file in the app's directory under DOKKU_ROOT.
    pub fn file(&self, name: &str) -> PathBuf {
        self.env.root().join(&self.name).join(name)
    }

    /// [`TestApp::file`]'s content, empty if it is missing.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap_or_default()
    }

    /// `docker container inspect --format <format>` of the web container.
    pub fn inspect_web(&self, format: &str) -> String {
        let id = self.read("CONTAINER.web.1");
        output_of(Command::new("docker").args([
            "container",
            "inspect",
            "--format",
            format,
            id.trim(),
        ]))
    }

    /// Wait until `f` holds, for at most `secs` seconds; a time out shows
    /// the app's containers and retire list.
    #[track_caller]
    pub fn eventually(&self, secs: u64, what: &str, f: impl Fn() -> bool) {
        eventually(secs, what, f, || {
            let retire = std::fs::read_to_string(
                self.env
                    .lib()
                    .join("data/scheduler-docker-local")
                    .join(&self.name)
                    .join("retired-containers"),
            );
            format!(
                "; containers: {:?}; retire list: {retire:?}",
                self.container_names(&[])
            )
        });
    }
}

/// Wait until `f` holds, for at most `secs` seconds; on time out, fail
/// naming `what` and what `state` says of the moment.
#[track_caller]
pub fn eventually(secs: u64, what: &str, f: impl Fn() -> bool, state: impl Fn() -> String) {
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}{}", state());
}

/// One HTTP/1.0 GET of `/` from `addr` (`ip:port`), with 2 s timeouts:
/// the whole answer, status line and headers included.
pub fn http_get_raw(addr: &str) -> Result<String, String> {
    let sock = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
    let mut s = TcpStream::connect_timeout(&sock, Duration::from_secs(2))
        .map_err(|e| format!("{addr}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    s.write_all(b"GET / HTTP/1.0\r\nHost: test\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).map_err(|e| e.to_string())?;
    Ok(raw)
}

/// Run a host program, assert it succeeded (its stderr in the message)
/// and return its stdout, trimmed.
#[track_caller]
pub fn output_of(c: &mut Command) -> String {
    let o = c.output().unwrap_or_else(|e| panic!("spawn {c:?}: {e}"));
    assert!(
        o.status.success(),
        "{c:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// Copy the tree `from` to `to`; the files copied.
pub fn copy_tree(from: &Path, to: &Path) -> Vec<PathBuf> {
    let mut copied = Vec::new();
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read tree").flatten() {
        let dst = to.join(e.file_name());
        if e.path().is_dir() {
            copied.extend(copy_tree(&e.path(), &dst));
        } else {
            std::fs::copy(e.path(), &dst).expect("copy");
            copied.push(dst);
        }
    }
    copied
}

/// Assert that `text` holds each of `parts`.
#[track_caller]
pub fn assert_has_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
}

/// A self-signed certificate for `cn` (and the `sans` DNS names, if any)
/// with its key, as `site.crt` and `site.key` in `dir`; their paths.
pub fn self_signed(dir: &Path, cn: &str, sans: &[&str]) -> (String, String) {
    let crt = dir.join("site.crt");
    let key = dir.join("site.key");
    let mut c = Command::new("openssl");
    c.args([
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
    ])
    .args(["-subj", &format!("/CN={cn}")]);
    if !sans.is_empty() {
        let names: Vec<String> = sans.iter().map(|n| format!("DNS:{n}")).collect();
        c.args(["-addext", &format!("subjectAltName={}", names.join(","))]);
    }
    let out = c
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .output()
        .expect("openssl");
    assert!(out.status.success(), "{out:?}");
    (crt.display().to_string(), key.display().to_string())
}
