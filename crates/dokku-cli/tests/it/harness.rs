//! Shared test environment: temporary roots, running the binary, reading
//! what it left on disk.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
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

    /// Assert exit `code` and what one stream holds.
    #[track_caller]
    pub fn exits(&self, code: i32, holds: Holds) {
        let ok = match holds {
            Holds::ErrStart(p) => self.stderr.starts_with(p),
            Holds::ErrEnd(p) => self.stderr.ends_with(p),
            Holds::Err(p) => self.stderr.contains(p),
            Holds::OutStart(p) => self.stdout.starts_with(p),
            Holds::Out(p) => self.stdout.contains(p),
        };
        assert_eq!(self.code, code, "exit code of {self:?}");
        assert!(ok, "unexpected output: {self:?}");
    }
}

/// What a stream of a [`Run`] must hold, for [`Run::exits`].
pub enum Holds<'a> {
    /// stderr starts with this.
    ErrStart(&'a str),
    /// stderr ends with this.
    ErrEnd(&'a str),
    /// stderr contains this.
    Err(&'a str),
    /// stdout starts with this.
    OutStart(&'a str),
    /// stdout contains this.
    Out(&'a str),
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

    /// The content of the file `rel` below DOKKU_LIB_ROOT, which must exist.
    #[track_caller]
    pub fn lib_file(&self, rel: &str) -> String {
        let path = self.lib().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
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

    /// [`Env::cmd`] with `bin` first on PATH.
    pub fn cmd_with_path(&self, bin: &Path, args: &[&str]) -> Command {
        let mut c = self.cmd(args);
        c.env("PATH", path_with(&[bin]));
        c
    }

    /// [`Env::run`] with `bin` first on PATH.
    pub fn run_with_path(&self, bin: &Path, args: &[&str]) -> Run {
        self.cmd_with_path(bin, args)
            .output()
            .expect("spawn dokku")
            .into()
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

    /// Run `args`, assert success and parse stdout as JSON.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(self.run(args).ok()).expect("json on stdout")
    }

    /// Global settings for quick deploys: the fallback check wait
    /// `default_wait` (left as is when `None`), `retire` seconds before old
    /// containers go, and a 1 s stop timeout.
    pub fn quick_deploys(&self, default_wait: Option<&str>, retire: &str) {
        if let Some(wait) = default_wait {
            self.run(&["checks:set", "--global", "default-wait", wait])
                .ok();
        }
        self.run(&["checks:set", "--global", "wait-to-retire", retire])
            .ok();
        self.run(&["ps:set", "--global", "stop-timeout-seconds", "1"])
            .ok();
    }

    /// Run `args` and assert a Dokku failure: exit 1, nothing on stdout and
    /// `msg` as the one ` !     ` line on stderr.
    #[track_caller]
    pub fn fails(&self, args: &[&str], msg: &str) {
        self.expect_run(args, 1, "", &format!(" !     {msg}\n"));
    }

    #[track_caller]
    fn expect_run(&self, args: &[&str], code: i32, stdout: &str, stderr: &str) {
        let r = self.run(args);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (code, stdout, stderr),
            "dokku {}",
            args.join(" ")
        );
    }

    /// Play a transcript, in order. A `$ ` line is a command: its words are
    /// split on spaces, and a word in single quotes keeps its spaces. The
    /// lines up to the next command are what it prints: when they are all
    /// ` !     ` lines, a Dokku failure (exit 1, exactly those lines on
    /// stderr, nothing on stdout), else a success with exactly those lines
    /// on stdout; a lone `...` line, a success whatever it prints. The
    /// first and a blank last line of `script` are framing.
    #[track_caller]
    pub fn transcript(&self, script: &str) {
        let mut lines: Vec<&str> = script.split('\n').collect();
        if lines.first() == Some(&"") {
            lines.remove(0);
        }
        if lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        let mut steps: Vec<(Vec<String>, String)> = Vec::new();
        for line in lines {
            match (line.strip_prefix("$ "), steps.last_mut()) {
                (Some(cmd), _) => steps.push((words(cmd), String::new())),
                (None, Some((_, out))) => {
                    out.push_str(line);
                    out.push('\n');
                }
                (None, None) => panic!("transcript output before a command: {line:?}"),
            }
        }
        for (args, out) in steps {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            if out == "...\n" {
                self.run(&args).ok();
            } else if !out.is_empty() && out.lines().all(|l| l.starts_with(" !     ")) {
                self.expect_run(&args, 1, "", &out);
            } else {
                self.expect(&args, out);
            }
        }
    }

    /// [`Env::transcript`] of commands that all fail, and that they changed
    /// neither root (lock files aside).
    #[track_caller]
    pub fn refuses(&self, script: &str) {
        let before = self.state();
        self.transcript(script);
        assert!(before == self.state(), "a refused command changed state");
    }

    /// Assert that the report command `args` warns that there are no apps
    /// and succeeds with nothing on stdout.
    #[track_caller]
    pub fn warns_no_apps(&self, args: &[&str]) {
        let r = self.run(args);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (0, "", " !     You haven't deployed any applications yet\n")
        );
    }

    /// Dokku's destroy confirmation of `args` for `name`, which the prompt
    /// calls `what`: a wrong answer aborts with the warning lines and
    /// changes nothing; the name itself proceeds. The run that proceeded.
    #[track_caller]
    pub fn destroy_confirmed(&self, args: &[&str], name: &str, what: &str) -> Run {
        let before = self.state();
        let r = self.run_stdin(args, b"wrong\n");
        assert_eq!(
            (r.code, r.stderr),
            (
                1,
                format!(" !     WARNING: Potentially Destructive Action\n !     This command will destroy {what}.\n !     To proceed, type \"{name}\"\n !     Confirmation did not match {name}. Aborted.\n")
            )
        );
        assert!(before == self.state(), "an aborted destroy changed state");
        self.run_stdin(args, format!("{name}\n").as_bytes())
    }

    /// Write the trigger `trigger` of the enabled plugin `plugin`: a shell
    /// script running `body`. Its path.
    pub fn enabled_hook(&self, plugin: &str, trigger: &str, body: &str) -> PathBuf {
        let hook = self
            .lib()
            .join("plugins/enabled")
            .join(plugin)
            .join(trigger);
        write_script(&hook, &format!("#!/bin/sh\n{body}"));
        hook
    }

    /// A trigger `trigger` of the enabled plugin `plugin` that appends its
    /// arguments, one call a line, to a file: that file's path.
    pub fn call_log_hook(&self, plugin: &str, trigger: &str) -> PathBuf {
        let calls = self.dir.path().join(format!("{plugin}.calls"));
        self.enabled_hook(
            plugin,
            trigger,
            &format!("echo \"$*\" >> \"{}\"\n", calls.display()),
        );
        calls
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

    /// The label Dokku puts on the app's containers and images.
    pub fn label(&self) -> String {
        format!("com.dokku.app-name={}", self.name)
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
        app.env.quick_deploys(Some("1"), retire);
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
        let mut filter = ContainerFilter::label(self.label());
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

/// Requests made over and over on a thread while a test changes the app.
pub struct Poller {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Polled>,
}

/// What a [`Poller`] saw.
#[derive(Debug)]
pub struct Polled {
    /// Requests that succeeded.
    pub ok: usize,
    /// Why the others failed.
    pub errors: Vec<String>,
    /// The bodies answered, in order, each change of body once.
    pub seen: Vec<String>,
}

impl Poller {
    /// Call `get` every 20 ms, for at most `secs` seconds.
    pub fn start(
        secs: u64,
        mut get: impl FnMut() -> Result<String, String> + Send + 'static,
    ) -> Poller {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut p = Polled {
                ok: 0,
                errors: Vec::new(),
                seen: Vec::new(),
            };
            let until = Instant::now() + Duration::from_secs(secs);
            while !flag.load(Ordering::Relaxed) && Instant::now() < until {
                match get() {
                    Ok(body) => {
                        p.ok += 1;
                        if p.seen.last() != Some(&body) {
                            p.seen.push(body);
                        }
                    }
                    Err(e) => p.errors.push(e),
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            p
        });
        Poller { stop, thread }
    }

    /// Stop, and assert that no request failed and that more than
    /// `min_ok` succeeded.
    #[track_caller]
    pub fn finish(self, min_ok: usize) -> Polled {
        self.stop.store(true, Ordering::Relaxed);
        let p = self.thread.join().expect("poller");
        assert!(p.errors.is_empty(), "failed requests: {:?}", p.errors);
        assert!(p.ok > min_ok, "too few requests: {}", p.ok);
        p
    }
}

/// useradd and userdel lock /etc/passwd: the tests that make accounts take
/// turns.
static ACCOUNTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Run a host program with no stdin.
pub fn sh(cmd: &mut Command) -> Run {
    cmd.stdin(Stdio::null()).output().expect("spawn").into()
}

/// A system user that exists for one test; removed when dropped.
pub struct Account {
    pub name: String,
    pub uid: u32,
}

impl Account {
    /// `useradd <options> <name>`, retried while another test holds
    /// /etc/passwd.
    pub fn create(name: String, options: &[&std::ffi::OsStr]) -> Account {
        let _g = ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner());
        let mut last = None;
        for _ in 0..20 {
            let r = sh(Command::new("useradd").args(options).arg(&name));
            if r.code == 0 {
                let uid = sh(Command::new("id").args(["-u", &name]))
                    .ok()
                    .trim()
                    .parse()
                    .expect("uid");
                return Account { name, uid };
            }
            last = Some(r);
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("useradd {name}: {last:?}");
    }
}

impl Drop for Account {
    fn drop(&mut self) {
        let _g = ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner());
        for _ in 0..20 {
            let r = sh(Command::new("userdel").arg("-f").arg(&self.name));
            // 6: no such user (already gone).
            if r.code == 0 || r.code == 6 {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = sh(Command::new("groupdel").arg(&self.name));
    }
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

/// The words of a transcript command: split on spaces, `'…'` one word.
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = cmd.trim();
    while !rest.is_empty() {
        let (word, tail) = match rest.strip_prefix('\'') {
            Some(quoted) => quoted.split_once('\'').expect("closing quote"),
            None => rest.split_once(' ').unwrap_or((rest, "")),
        };
        out.push(word.to_string());
        rest = tail.trim_start();
    }
    out
}

/// This process's PATH with `dirs` in front.
pub fn path_with(dirs: &[&Path]) -> String {
    let mut parts: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

/// A tar of `files`: path, content and mode of each.
pub fn tar_of(files: &[(&str, &str, u32)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, content, mode) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(content.len() as u64);
        h.set_mode(*mode);
        h.set_cksum();
        b.append_data(&mut h, path, content.as_bytes())
            .expect("append");
    }
    b.into_inner().expect("tar")
}

/// Build the image `tag` from a context holding `files` (see [`tar_of`]).
pub fn build_from_files(engine: &DockerEngine, tag: &str, files: &[(&str, &str, u32)]) {
    let mut spec = BuildSpec::new(BuildContext::Tar(tar_of(files)));
    spec.tags = vec![tag.to_string()];
    engine
        .build_image(&spec, &mut |_| {})
        .unwrap_or_else(|e| panic!("build {tag}: {e}"));
}

/// Standard base64 of `input`, padded.
pub fn base64(input: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Write `content` to `path` (making its directory) as an executable
/// script. A child shell writes it: a write descriptor open in this
/// multi-threaded test process could leak into a concurrently forked child
/// and make the script "text file busy" when run.
pub fn write_script(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    output_of(
        Command::new("sh")
            .args([
                "-c",
                "printf '%s' \"$2\" > \"$1\" && chmod 755 \"$1\"",
                "sh",
            ])
            .arg(path)
            .arg(content),
    );
}

/// Write `content` to `path`, making its directory first.
pub fn write_file(path: &Path, content: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// The manifest of a plugin in `dir` (made if missing), with its
/// description and version.
pub fn write_plugin_toml(dir: &Path, description: &str, version: &str) {
    write_file(
        &dir.join("plugin.toml"),
        format!(
            "[plugin]\ndescription = \"{description}\"\nversion = \"{version}\"\n[plugin.config]\n"
        ),
    );
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
