//! ssh access end to end: a real sshd on a loopback port for a per-test
//! system user whose home is the test's DOKKU_ROOT, keys added with
//! `ssh-keys:add`, the forced command running the binary under test, a
//! `user-auth` plugin deciding per key, crafted commands that must run
//! nothing, and the laptop client script.

use std::fs;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::harness::path_with;
use crate::harness::write_script;
use crate::harness::{sh, Account, Run};
use std::ffi::OsStr;

const BIN: &str = env!("CARGO_BIN_EXE_dokku");
const OPTIONS: &str = "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding";

static SEQ: AtomicU32 = AtomicU32::new(0);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chown_r(path: &Path, user: &str) {
    sh(Command::new("chown")
        .arg("-R")
        .arg(format!("{user}:{user}"))
        .arg(path))
    .ok();
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("stat").permissions().mode() & 0o7777
}

fn owner(path: &Path) -> String {
    sh(Command::new("stat").args(["-c", "%U:%G"]).arg(path))
        .ok()
        .trim()
        .to_string()
}

/// A system user whose home is `home`, also in the supplementary `groups`.
fn account(home: &Path, groups: &[&str]) -> Account {
    let name = format!(
        "dkssh{}x{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::SeqCst)
    );
    let groups = groups.join(",");
    let mut options: Vec<&OsStr> = [
        "--system",
        "--user-group",
        "--no-create-home",
        "--shell",
        "/bin/bash",
        // '*' rather than useradd's '!': no password, but not locked, so
        // sshd lets keys in without PAM.
        "--password",
        "*",
        "--home-dir",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    options.push(home.as_os_str());
    if !groups.is_empty() {
        options.extend([OsStr::new("--groups"), OsStr::new(&groups)]);
    }
    Account::create(name, &options)
}

/// The sshd child; killed when dropped.
struct Sshd {
    child: Child,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A dokku server reached over ssh. Fields drop in order: sshd, then the
/// account, then the directory.
pub(crate) struct Server {
    _sshd: Sshd,
    pub(crate) user: Account,
    dir: tempfile::TempDir,
    pub(crate) port: u16,
    sshd_log: PathBuf,
    /// Extra environment of every command, over ssh (sshd's `SetEnv`) and
    /// run locally as root.
    env: Vec<(String, String)>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn keygen(path: &Path, comment: &str) {
    sh(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path))
    .ok();
}

impl Server {
    fn start() -> Server {
        Server::start_with(&[], Vec::new())
    }

    /// A server whose user is also in `groups` (`docker`, for deploys) and
    /// whose commands all get `env` (an nginx instance's variables, say).
    pub(crate) fn start_with(groups: &[&str], env: Vec<(String, String)>) -> Server {
        assert!(
            nix::unistd::Uid::effective().is_root(),
            "the ssh tests run as root (useradd, sshd)"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
        let d = dir.path();
        for sub in [
            "home",
            "lib/plugins/available",
            "lib/plugins/enabled/authz",
            "lib/core-plugins/available",
            "lib/core-plugins/enabled",
            "logs",
            "marker",
            "sshd",
            "keys",
        ] {
            fs::create_dir_all(d.join(sub)).expect("mkdir");
        }
        let user = account(&d.join("home"), groups);
        let u = user.name.clone();

        // A user-auth plugin that logs what it is told and keeps the key
        // named `limited` away from apps:destroy.
        let hook = d.join("lib/plugins/enabled/authz/user-auth");
        write_script(
            &hook,
            &format!(
                "#!/usr/bin/env bash\n\
                 shift_args=(\"${{@:3}}\")\n\
                 printf '%s\\t%s\\t%s\\t' \"$1\" \"$2\" \"${{FINGERPRINT:-}}\" >>{log}\n\
                 printf '%s|' \"${{shift_args[@]}}\" >>{log}\n\
                 printf '\\n' >>{log}\n\
                 if [[ \"$2\" == limited && \"$3\" == apps:destroy ]]; then exit 1; fi\n\
                 exit 0\n",
                log = d.join("authlog").display()
            ),
        );
        fs::write(d.join("authlog"), "").expect("log");
        for p in ["home", "lib", "logs", "marker", "authlog"] {
            chown_r(&d.join(p), &u);
        }
        fs::set_permissions(d.join("sshd"), fs::Permissions::from_mode(0o700)).expect("chmod");
        fs::set_permissions(d.join("keys"), fs::Permissions::from_mode(0o700)).expect("chmod");

        // sshd wants its privilege separation directory.
        if !Path::new("/run/sshd").is_dir() {
            fs::create_dir_all("/run/sshd").expect("mkdir /run/sshd");
            fs::set_permissions("/run/sshd", fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        keygen(&d.join("sshd/host_key"), "host");
        let port = free_port();
        let setenv = [
            ("DOKKU_ROOT", d.join("home")),
            ("DOKKU_LIB_ROOT", d.join("lib")),
            ("DOKKU_LOGS_DIR", d.join("logs")),
            ("DOKKU_DEFAULT_FILE", d.join("no-default")),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", v.display()))
        .chain([
            format!("DOKKU_SYSTEM_USER={u}"),
            format!("DOKKU_SYSTEM_GROUP={u}"),
        ])
        .chain(env.iter().map(|(k, v)| format!("{k}={v}")))
        .collect::<Vec<_>>()
        .join(" ");
        let config = format!(
            "Port {port}\n\
             ListenAddress 127.0.0.1\n\
             HostKey {hk}\n\
             PidFile none\n\
             AuthorizedKeysFile {home}/.ssh/authorized_keys\n\
             AuthenticationMethods publickey\n\
             PubkeyAuthentication yes\n\
             PasswordAuthentication no\n\
             KbdInteractiveAuthentication no\n\
             UsePAM no\n\
             PermitRootLogin no\n\
             AllowUsers {u}\n\
             StrictModes yes\n\
             PrintMotd no\n\
             LogLevel VERBOSE\n\
             SetEnv {setenv}\n",
            hk = d.join("sshd/host_key").display(),
            home = d.join("home").display(),
        );
        let config_path = d.join("sshd/config");
        fs::write(&config_path, config).expect("config");
        let check = sh(Command::new("/usr/sbin/sshd")
            .arg("-t")
            .arg("-f")
            .arg(&config_path));
        assert_eq!(check.code, 0, "sshd -t: {}", check.stderr);
        let sshd_log = d.join("sshd/log");
        let child = Command::new("/usr/sbin/sshd")
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(&sshd_log).expect("log"))
            .spawn()
            .expect("start sshd");
        let mut sshd = Sshd { child };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = sshd.child.try_wait() {
                panic!(
                    "sshd exited ({status}): {}",
                    fs::read_to_string(&sshd_log).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "sshd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = &mut sshd;
        Server {
            _sshd: sshd,
            user,
            dir,
            port,
            sshd_log,
            env,
        }
    }

    pub(crate) fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    pub(crate) fn root(&self) -> PathBuf {
        self.path("home")
    }

    /// `dokku` run as root on the server, as an administrator would.
    fn dokku(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("DOKKU_ROOT", self.root())
            .env("DOKKU_LIB_ROOT", self.path("lib"))
            .env("DOKKU_LOGS_DIR", self.path("logs"))
            .env("DOKKU_SYSTEM_USER", &self.user.name)
            .env("DOKKU_SYSTEM_GROUP", &self.user.name)
            .env("DOKKU_DEFAULT_FILE", self.path("no-default"))
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        c
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.dokku(args).output().expect("spawn dokku").into()
    }

    /// Make a key pair `name` and add it with `ssh-keys:add name <file>`;
    /// returns the private key path and the fingerprint printed.
    pub(crate) fn add_key(&self, name: &str) -> (PathBuf, String) {
        let key = self.new_key(name);
        let r = self.run(&["ssh-keys:add", name, &format!("{}.pub", key.display())]);
        let fp = r.ok().trim().to_string();
        assert!(fp.starts_with("SHA256:"), "{fp}");
        (key, fp)
    }

    /// A key pair the server does not know.
    pub(crate) fn new_key(&self, name: &str) -> PathBuf {
        let key = self.path(&format!("keys/{name}"));
        keygen(&key, &format!("{name}@test"));
        key
    }

    /// `ssh user@127.0.0.1 <remote>` with a key; `remote` is the command
    /// line sshd puts in SSH_ORIGINAL_COMMAND.
    pub(crate) fn ssh(&self, key: &Path, remote: &str) -> Run {
        let r = sh(Command::new("ssh")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.path("keys"))
            .args(ssh_options(key))
            .arg("-p")
            .arg(self.port.to_string())
            .arg(format!("{}@127.0.0.1", self.user.name))
            .arg("--")
            .arg(remote));
        if r.code == 255 && !r.stderr.contains("Permission denied") {
            panic!(
                "ssh failed: {r:?}\nsshd log:\n{}",
                fs::read_to_string(&self.sshd_log).unwrap_or_default()
            );
        }
        r
    }

    /// What sshd logged, for failure messages.
    pub(crate) fn sshd_log(&self) -> String {
        fs::read_to_string(&self.sshd_log).unwrap_or_default()
    }

    pub(crate) fn auth_log(&self) -> String {
        fs::read_to_string(self.path("authlog")).expect("auth log")
    }

    fn marker_entries(&self) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.path("marker"))
            .expect("marker dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

pub(crate) fn ssh_options(key: &Path) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "-F".into(),
        "/dev/null".into(),
        "-i".into(),
        key.display().to_string(),
    ];
    for o in [
        "IdentitiesOnly=yes",
        "BatchMode=yes",
        "StrictHostKeyChecking=no",
        "UserKnownHostsFile=/dev/null",
        "LogLevel=ERROR",
        "ConnectTimeout=10",
    ] {
        v.push("-o".into());
        v.push(o.into());
    }
    v
}

#[test]
fn added_key_runs_commands_and_others_are_refused() {
    let s = Server::start();
    let (admin, fp) = s.add_key("admin");

    // The file sshcommand would have written, with the modes sshd wants.
    let ak = s.root().join(".ssh/authorized_keys");
    let public = fs::read_to_string(s.path("keys/admin.pub")).expect("pub");
    assert_eq!(
        fs::read_to_string(&ak).expect("authorized_keys"),
        format!(
            "command=\"FINGERPRINT={fp} NAME=\\\"admin\\\" `cat {root}/.sshcommand` $SSH_ORIGINAL_COMMAND\",{OPTIONS} {key}\n",
            root = s.root().display(),
            key = public.trim()
        )
    );
    let owned = format!("{0}:{0}", s.user.name);
    assert_eq!(
        (mode(&s.root().join(".ssh")), owner(&s.root().join(".ssh"))),
        (0o700, owned.clone())
    );
    assert_eq!((mode(&ak), owner(&ak)), (0o700, owned));
    assert_eq!(
        fs::read_to_string(s.root().join(".sshcommand")).expect(".sshcommand"),
        format!("{BIN}\n")
    );
    assert_eq!(
        s.run(&["ssh-keys:list"]).ok(),
        format!("{fp} NAME=\"admin\" SSHCOMMAND_ALLOWED_KEYS=\"{OPTIONS}\"\n")
    );

    s.run(&["apps:create", "web"]).ok();
    let r = s.ssh(&admin, "apps:list");
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "=====> My Apps\nweb\n", "")
    );
    let r = s.ssh(&admin, "--quiet apps:list");
    assert_eq!((r.code, r.stdout.as_str()), (0, "web\n"));
    // Exit codes come back through ssh.
    let r = s.ssh(&admin, "apps:exists nope");
    assert_eq!(r.code, 1, "{r:?}");

    let stranger = s.new_key("stranger");
    let r = s.ssh(&stranger, "apps:list");
    assert_eq!(r.code, 255, "{r:?}");
    assert!(r.stderr.contains("Permission denied"), "{r:?}");
    assert_eq!(r.stdout, "");

    s.run(&["ssh-keys:remove", "admin"]).ok();
    let r = s.ssh(&admin, "apps:list");
    assert_eq!(r.code, 255, "a removed key still gets in: {r:?}");
}

#[test]
fn user_auth_plugin_allows_or_denies_each_command_per_key() {
    let s = Server::start();
    let (admin, admin_fp) = s.add_key("admin");
    let (limited, limited_fp) = s.add_key("limited");
    s.run(&["apps:create", "keep"]).ok();
    s.run(&["apps:create", "gone"]).ok();

    let r = s.ssh(&limited, "--force apps:destroy keep");
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (1, "", " !     Access denied\n")
    );
    assert!(s.root().join("keep").is_dir());
    let r = s.ssh(&limited, "apps:list");
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "=====> My Apps\ngone\nkeep\n")
    );

    let r = s.ssh(&admin, "--force apps:destroy gone");
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!s.root().join("gone").exists());

    // NAME and FINGERPRINT of the forced command reached the trigger.
    let log = s.auth_log();
    let u = &s.user.name;
    for line in [
        format!("{u}\tlimited\t{limited_fp}\tapps:destroy|keep|"),
        format!("{u}\tlimited\t{limited_fp}\tapps:list|"),
        format!("{u}\tadmin\t{admin_fp}\tapps:destroy|gone|"),
    ] {
        assert!(log.lines().any(|l| l == line), "missing {line:?} in\n{log}");
    }
}

#[test]
fn crafted_commands_run_nothing() {
    let s = Server::start();
    let (admin, _) = s.add_key("admin");
    s.run(&["apps:create", "web"]).ok();
    let m = s.path("marker").display().to_string();
    let crafted = [
        format!("apps:list; touch {m}/semicolon"),
        format!("apps:list && touch {m}/and"),
        format!("apps:list || touch {m}/or"),
        format!("apps:list | touch {m}/pipe"),
        format!("apps:list & touch {m}/background"),
        format!("apps:exists `touch {m}/backticks`"),
        format!("apps:exists $(touch {m}/dollar)"),
        format!("apps:exists \"$(touch {m}/quoted)\""),
        format!("apps:list\ntouch {m}/newline"),
        format!("apps:list > {m}/redirect"),
        format!("apps:exists web; touch {m}/after-success"),
        format!("$(touch {m}/first-word)"),
        format!("--app `touch {m}/global` apps:list"),
    ];
    for cmd in &crafted {
        let r = s.ssh(&admin, cmd);
        assert_ne!(r.code, 255, "{cmd}: {r:?}");
        assert_eq!(
            s.marker_entries(),
            Vec::<String>::new(),
            "{cmd:?} ran something: {r:?}"
        );
    }
    // Shell syntax arrives as plain arguments.
    let r = s.ssh(&admin, &format!("apps:list; touch {m}/semicolon"));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!(
            " !     `apps:list; touch {m}/semicolon` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n"
        )
    );
    let log = s.auth_log();
    let u = &s.user.name;
    for line in [
        format!("{u}\tadmin\t"),
        format!("\tapps:exists|`touch|{m}/backticks`|"),
        format!("\tapps:exists|$(touch {m}/quoted)|"),
    ] {
        assert!(log.contains(&line), "missing {line:?} in\n{log}");
    }

    // Quotes group words; git's transport commands get the bare app name.
    s.ssh(&admin, "apps:exists 'a b' \"c d\"");
    s.ssh(&admin, "git-receive-pack '/web'");
    s.ssh(&admin, "git-upload-pack 'web'");
    let log = s.auth_log();
    for line in [
        "\tapps:exists|a b|c d|",
        "\tgit-receive-pack|web|",
        "\tgit-upload-pack|web|",
    ] {
        assert!(log.contains(line), "missing {line:?} in\n{log}");
    }

    // An unbalanced quote is refused before anything runs.
    let r = s.ssh(&admin, "apps:list 'oops");
    r.fails_with("Invalid command: unmatched ' quote");
}

/// Run `contrib/dokku_client.sh` in `cwd` with an `ssh` on PATH that adds
/// the test key and options.
fn client(s: &Server, key: &Path, cwd: &Path, args: &[&str], envs: &[(&str, String)]) -> Run {
    let bin = s.path("clientbin");
    if !bin.join("ssh").exists() {
        fs::create_dir_all(&bin).expect("mkdir");
        let opts: Vec<String> = ssh_options(key).iter().map(|o| format!("'{o}'")).collect();
        write_script(
            &bin.join("ssh"),
            &format!("#!/bin/sh\nexec /usr/bin/ssh {} \"$@\"\n", opts.join(" ")),
        );
    }
    let path = path_with(&[&bin]);
    let mut c = Command::new("bash");
    c.arg(workspace().join("contrib/dokku_client.sh"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", path)
        .env("HOME", s.path("keys"))
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for (k, v) in envs {
        c.env(k, v);
    }
    sh(&mut c)
}

fn git(cwd: &Path, args: &[&str]) -> Run {
    sh(Command::new("git")
        .args(args)
        .current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1"))
}

#[test]
fn client_script_follows_the_dokku_git_remote() {
    let s = Server::start();
    let (admin, _) = s.add_key("admin");
    s.run(&["apps:create", "web"]).ok();
    let u = s.user.name.clone();
    let repo = s.path("repo");
    fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]).ok();
    git(
        &repo,
        &[
            "remote",
            "add",
            "dokku",
            &format!("ssh://{u}@127.0.0.1:{}/web", s.port),
        ],
    )
    .ok();
    git(
        &repo,
        &["remote", "add", "other", &format!("{u}@127.0.0.1:nope")],
    )
    .ok();

    let r = client(&s, &admin, &repo, &["apps:list"], &[]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "=====> My Apps\nweb\n"),
        "{r:?}"
    );
    // The app comes from the remote.
    assert_eq!(client(&s, &admin, &repo, &["apps:exists"], &[]).code, 0);
    assert_eq!(client(&s, &admin, &repo, &["remote"], &[]).ok(), "dokku\n");
    // `other` is scp-style without a port: point it at ours with DOKKU_PORT.
    let port = [("DOKKU_PORT", s.port.to_string())];
    assert_ne!(
        client(
            &s,
            &admin,
            &repo,
            &["--remote", "other", "apps:exists"],
            &port
        )
        .code,
        0
    );
    assert_eq!(
        client(
            &s,
            &admin,
            &repo,
            &["--remote", "other", "--app", "web", "apps:exists"],
            &port
        )
        .code,
        0
    );

    // Arguments reach the server as the same words, whatever they hold.
    let m = s.path("marker").display().to_string();
    let tricky = format!("x; touch {m}/client 'q' $(id) `id`");
    client(&s, &admin, &repo, &["apps:exists", &tricky], &[]);
    assert_eq!(s.marker_entries(), Vec::<String>::new());
    assert!(
        s.auth_log().contains(&format!("\tapps:exists|{tricky}|")),
        "{}",
        s.auth_log()
    );

    // With DOKKU_HOST and no remote, apps:create names the app and adds
    // the remote; apps:destroy removes it again.
    let fresh = s.path("fresh");
    fs::create_dir_all(&fresh).expect("mkdir");
    git(&fresh, &["init", "-q"]).ok();
    let host = [
        ("DOKKU_HOST", format!("{u}@127.0.0.1")),
        ("DOKKU_PORT", s.port.to_string()),
    ];
    let r = client(&s, &admin, &fresh, &["apps:create"], &host);
    assert_eq!(r.code, 0, "{r:?}");
    let url = git(&fresh, &["remote", "get-url", "dokku"])
        .ok()
        .trim()
        .to_string();
    let prefix = format!("ssh://{u}@127.0.0.1:{}/", s.port);
    let app = url
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{url}"))
        .to_string();
    assert!(s.root().join(&app).is_dir(), "{app} not created");
    assert_eq!(client(&s, &admin, &fresh, &["apps:exists"], &[]).code, 0);
    let r = client(&s, &admin, &fresh, &["--force", "apps:destroy"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!s.root().join(&app).exists());
    assert_ne!(
        git(&fresh, &["remote", "get-url", "dokku"]).code,
        0,
        "remote kept"
    );
}

#[test]
fn ssh_original_command_is_split_without_a_shell_locally_too() {
    // The forced-command path without sshd: the binary ignores its argv and
    // takes the command from SSH_ORIGINAL_COMMAND.
    let e = crate::harness::Env::new();
    e.create_app("web");
    let marker = e.dir.path().join("marker");
    let mut c = e.cmd(&["ignored", "argv"]);
    c.env(
        "SSH_ORIGINAL_COMMAND",
        format!("apps:exists web; touch {}", marker.display()),
    );
    let r: Run = c.output().expect("run").into();
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!marker.exists());
    let mut c = e.cmd(&["ignored"]);
    c.env("SSH_ORIGINAL_COMMAND", "--quiet apps:list");
    let r: Run = c.output().expect("run").into();
    assert_eq!(r.ok(), "web\n");
    let mut out = String::new();
    let mut child = e
        .cmd(&[])
        .env("SSH_ORIGINAL_COMMAND", "")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("read");
    assert!(child.wait().expect("wait").success());
    // No command is `dokku help`; without a terminal Dokku prints the
    // list alone.
    assert!(out.starts_with("    app-json "), "{out}");
}
