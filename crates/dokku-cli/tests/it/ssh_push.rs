//! The first deploy as a user makes it: a key added with `ssh-keys:add`, a
//! real `git push` of the bundled sample app over a real sshd (the ssh
//! tests' server, its user also in the `docker` group), the build and
//! deploy run by the forced command as that user, and the app answering
//! by name through the test's own nginx instance (the nginx tests'
//! instance, run by the same user so that deploys can reload it). A key
//! the server does not know is refused and deploys nothing.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use dokku_docker::testing::{busybox_image, unique_name};
use dokku_docker::{ContainerEngine, ContainerFilter, DockerEngine};

use crate::git::{commit_all, git, sample_repo};
use crate::harness::{remove_app_resources, Run};
use crate::nginx::{get_via_nginx, Nginx};
use crate::ssh::{ssh_options, Server};

/// What the sample app serves at `/`.
const SAMPLE_BODY: &str = "<p>Hello from the dokku sample app</p>";

/// The apps' containers and images and the base image, removed when
/// dropped.
struct Engine {
    engine: DockerEngine,
    apps: Vec<String>,
    base: String,
}

impl Drop for Engine {
    fn drop(&mut self) {
        for app in &self.apps {
            remove_app_resources(&self.engine, app);
        }
        let _ = self.engine.remove_image(&self.base, true);
    }
}

/// Everything one test starts. Fields drop in order: containers and
/// images, nginx (run by the server's user), the server (sshd, user,
/// directory), then nginx's directory.
struct World {
    engine: Engine,
    nginx: Nginx,
    server: Server,
    _nginx_dir: tempfile::TempDir,
}

impl World {
    fn start(test: &str) -> World {
        assert!(
            nix::unistd::Uid::effective().is_root(),
            "the ssh push test runs as root (useradd, sshd)"
        );
        let nginx_dir = tempfile::tempdir().expect("tempdir");
        std::fs::set_permissions(nginx_dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        // Started by the server's user (commands drop to it), so that the
        // deploys it runs over ssh may signal it to reload.
        let nginx = Nginx::new(nginx_dir.path().join("nginx"), false);
        let server = Server::start_with(&["docker"], nginx.env());
        let engine = DockerEngine::connect().expect("docker engine");
        let app = unique_name(test);
        let w = World {
            engine: Engine {
                engine,
                base: format!("{app}-base:latest"),
                apps: vec![app.clone(), format!("{app}-other")],
            },
            nginx,
            server,
            _nginx_dir: nginx_dir,
        };
        let user = w.server.user.name.clone();
        let r = w.sh(Command::new("chown")
            .arg("-R")
            .arg(format!("{user}:{user}"))
            .arg(w.nginx.dir()));
        r.ok();

        let s = &w.server;
        s.run(&["plugin:trigger", "install"]).ok();
        assert_eq!(s.run(&["nginx:start"]).ok(), "-----> Starting nginx\n");
        w.nginx.route_globally(|args| {
            s.run(args).ok();
        });
        s.run(&["checks:set", "--global", "wait-to-retire", "1"])
            .ok();
        s.run(&["ps:set", "--global", "stop-timeout-seconds", "1"])
            .ok();
        busybox_image(&w.engine.engine, &w.engine.base).expect("busybox base image");
        w
    }

    fn app(&self) -> &str {
        &self.engine.apps[0]
    }

    fn sh(&self, cmd: &mut Command) -> Run {
        cmd.stdin(Stdio::null()).output().expect("spawn").into()
    }

    /// `git push <user>@127.0.0.1:<app> master` from `repo` over the test
    /// sshd with `key`, bounded in time.
    fn push(&self, key: &Path, repo: &Path, app: &str) -> Run {
        let s = &self.server;
        let mut ssh = vec!["ssh".to_string(), "-p".into(), s.port.to_string()];
        ssh.extend(ssh_options(key).iter().map(|o| format!("'{o}'")));
        self.sh(Command::new("timeout")
            .args(["300", "git", "push"])
            .arg(format!("{}@127.0.0.1:{app}", s.user.name))
            .arg("master")
            .current_dir(repo)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", s.path("keys"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_SSH_COMMAND", ssh.join(" ")))
    }

    /// The sha of `master` in the app's repository on the server.
    fn deployed_branch(&self, app: &str) -> Option<String> {
        let r = self.sh(Command::new("git")
            .arg("--git-dir")
            .arg(self.server.root().join(app))
            .args(["rev-parse", "--verify", "--quiet", "refs/heads/master"]));
        (r.code == 0).then(|| r.stdout.trim().to_string())
    }

    fn containers(&self, app: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .engine
            .engine
            .list_containers(&ContainerFilter::label(format!("com.dokku.app-name={app}")))
            .expect("list containers")
            .into_iter()
            .map(|c| c.id)
            .collect();
        ids.sort();
        ids
    }

    /// GET / through nginx with the app's name in the Host header.
    #[track_caller]
    fn body(&self, app: &str) -> String {
        get_via_nginx(self.nginx.http, &format!("{app}.dokku.me")).unwrap_or_else(|e| {
            panic!(
                "{app} does not answer through nginx: {e}\nnginx error log:\n{}",
                self.nginx.error_log()
            )
        })
    }
}

fn owner(path: &Path) -> String {
    let o = Command::new("stat")
        .args(["-c", "%U"])
        .arg(path)
        .output()
        .expect("stat");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn git_push_over_ssh_deploys_the_sample_app_behind_nginx() {
    let w = World::start("ssh-push");
    let s = &w.server;
    let app = w.app().to_string();
    let (admin, admin_fp) = s.add_key("admin");
    let repo = tempfile::tempdir().expect("tempdir");
    sample_repo(repo.path(), &w.engine.base);
    let sha = git(repo.path(), &["rev-parse", "HEAD"]);

    // The app is made over ssh too. The sample's Dockerfile exposes 5000,
    // which Dokku would listen on; the test's nginx port is set instead.
    let http = w.nginx.http;
    for cmd in [
        format!("apps:create {app}"),
        format!("ports:set {app} http:{http}:5000"),
    ] {
        let r = s.ssh(&admin, &cmd);
        assert_eq!(r.code, 0, "{cmd}: {r:?}");
    }

    // The push builds and deploys it.
    let r = w.push(&admin, repo.path(), &app);
    let out = format!(
        "push:\n{}\n{}\nsshd log:\n{}\nnginx error log:\n{}",
        r.stdout,
        r.stderr,
        s.sshd_log(),
        w.nginx.error_log()
    );
    assert_eq!(r.code, 0, "{out}");
    let url = format!("http://{app}.dokku.me:{http}");
    for line in [
        format!("remote: -----> Building {app} from Dockerfile"),
        "remote: -----> Creating http nginx.conf".to_string(),
        "remote: =====> Application deployed:".to_string(),
        format!("remote:        {url}"),
    ] {
        assert!(
            r.stderr.lines().any(|l| l.trim_end() == line),
            "missing {line:?} in {out}"
        );
    }
    assert!(!r.stderr.contains("remote:  !"), "a warning in {out}");
    assert_eq!(w.deployed_branch(&app).as_deref(), Some(sha.as_str()));
    // Done by the forced command, as the server's user, for the key.
    assert_eq!(owner(&s.root().join(&app)), s.user.name);
    let log = s.auth_log();
    let line = format!(
        "{}\tadmin\t{admin_fp}\tgit-receive-pack|{app}|",
        s.user.name
    );
    assert!(log.lines().any(|l| l == line), "missing {line:?} in\n{log}");

    // It answers by name through nginx.
    let body = w.body(&app);
    assert!(body.contains(SAMPLE_BODY), "{body}");
    let running = w.containers(&app);
    assert_eq!(running.len(), 1, "{running:?}");

    // A key the server does not know is refused before anything runs:
    // neither a new commit of the app nor a new app is deployed.
    let stranger = s.new_key("stranger");
    std::fs::write(repo.path().join("public/index.html"), "v2\n").expect("write");
    commit_all(repo.path(), "v2");
    let other = format!("{app}-other");
    for target in [&app, &other] {
        let r = w.push(&stranger, repo.path(), target);
        assert_ne!(r.code, 0, "{r:?}");
        assert!(r.stderr.contains("Permission denied"), "{r:?}");
        assert!(!r.stderr.contains("remote:"), "{r:?}");
    }
    assert_eq!(w.deployed_branch(&app).as_deref(), Some(sha.as_str()));
    assert_eq!(w.containers(&app), running);
    assert!(w.body(&app).contains(SAMPLE_BODY));
    assert!(!s.root().join(&other).exists(), "{other} was created");
    assert_eq!(w.containers(&other), Vec::<String>::new());
    assert_eq!(s.auth_log(), log, "the stranger reached the server");
}
