//! The registry plugin against a real registry: Debian's `docker-registry`
//! (distribution 2.x) started per test on a free 127.0.0.1 port with a
//! temporary storage directory and htpasswd (bcrypt) basic auth. The
//! engine treats 127.0.0.0/8 registries as insecure, so plain http works.
//! Logins are checked by the engine against it, pushes and pulls go
//! through the engine with the stored credentials, and the registry's own
//! HTTP API tells what it holds.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dokku_docker::testing::unique_name;
use dokku_docker::ContainerEngine;

use crate::harness::base64;
use crate::harness::Holds;
use crate::harness::{assert_has_all, EngineApp, Env, Run};

const USER: &str = "dokku-user";
const PASSWORD: &str = "s3cret-pass";

/// A running registry, killed and its storage removed when dropped.
struct Registry {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Registry {
    fn start() -> Registry {
        let dir = tempfile::tempdir().expect("tempdir");
        let htpasswd = Command::new("htpasswd")
            .args(["-Bbn", USER, PASSWORD])
            .output()
            .expect("htpasswd (apache2-utils)");
        assert!(htpasswd.status.success(), "htpasswd failed");
        std::fs::write(dir.path().join("htpasswd"), &htpasswd.stdout).expect("htpasswd file");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {root}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\nauth:\n  htpasswd:\n    realm: dokku-test\n    path: {root}/htpasswd\n",
            root = dir.path().display()
        );
        std::fs::write(dir.path().join("config.yml"), config).expect("config");
        let log = std::fs::File::create(dir.path().join("registry.log")).expect("log");
        let child = Command::new("/usr/bin/docker-registry")
            .arg("serve")
            .arg(dir.path().join("config.yml"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start /usr/bin/docker-registry");
        let reg = Registry { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "registry did not listen: {}",
                reg.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        reg
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    /// The tags of `repo`, from the registry's API with the credentials
    /// (sorted; empty when the repository is unknown).
    fn tags(&self, repo: &str) -> Vec<String> {
        let out = Command::new("curl")
            .args([
                "-s",
                "-u",
                &format!("{USER}:{PASSWORD}"),
                &format!("http://{}/v2/{repo}/tags/list", self.host()),
            ])
            .output()
            .expect("curl");
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        let mut tags: Vec<String> = v
            .get("tags")
            .and_then(|t| t.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        tags.sort();
        tags
    }

    /// What the registry answers `/v2/` without credentials.
    fn anonymous_status(&self) -> String {
        let out = Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                &format!("http://{}/v2/", self.host()),
            ])
            .output()
            .expect("curl");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        // The registry process this test started, by its own handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An app of its own installation, with images to remove at the end.
struct App {
    fx: EngineApp,
    env: Env,
    images: Vec<String>,
    /// Other apps of the test, whose containers and images go too.
    apps: Vec<String>,
}

impl std::ops::Deref for App {
    type Target = EngineApp;
    fn deref(&self) -> &EngineApp {
        &self.fx
    }
}

impl Drop for App {
    fn drop(&mut self) {
        crate::harness::remove_app_resources(&self.fx.engine, &self.fx.name);
        for app in &self.apps {
            crate::harness::remove_app_resources(&self.fx.engine, app);
        }
        for i in &self.images {
            let _ = self.fx.engine.remove_image(i, true);
        }
    }
}

impl App {
    fn new(test: &str) -> App {
        let app = App {
            fx: EngineApp::new(test),
            env: Env::new(),
            images: Vec::new(),
            apps: Vec::new(),
        };
        app.env.create_app(&app.name);
        for args in [
            ["checks:set", "--global", "default-wait", "1"],
            ["checks:set", "--global", "wait-to-retire", "1"],
            ["ps:set", "--global", "stop-timeout-seconds", "1"],
        ] {
            app.run(&args).ok();
        }
        app
    }

    fn run(&self, args: &[&str]) -> Run {
        self.env.run(args)
    }

    /// The image the app's web container runs.
    fn running_image(&self, app: &str) -> String {
        let id = std::fs::read_to_string(self.env.root().join(app).join("CONTAINER.web.1"))
            .expect("CONTAINER.web.1");
        self.engine
            .inspect_container(id.trim())
            .expect("web container")
            .image
            .unwrap_or_default()
    }
}

fn stored_auth(path: &Path, host: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["auths"][host]["auth"].as_str().map(str::to_string)
}

/// `user:password` in base64, as `config.json` keeps it (the input is
/// ASCII without padding surprises; encoded here by hand).
fn basic(user: &str, password: &str) -> String {
    base64(format!("{user}:{password}").as_bytes())
}

#[test]
fn login_is_checked_by_the_registry_and_stored_like_docker_login() {
    let reg = Registry::start();
    assert_eq!(reg.anonymous_status(), "401");
    let env = Env::new();
    let app = unique_name("registry-login");
    env.create_app(&app);
    let host = reg.host();
    let global = env.root().join(".docker/config.json");
    let own = env
        .lib()
        .join("config/registry")
        .join(&app)
        .join("config.json");

    // A wrong password: the engine's refusal, Dokku's failure, nothing kept.
    let r = env.run(&["registry:login", "--global", &host, USER, "wrong"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.starts_with("Error response from daemon: ")
            && r.stderr.contains("401 Unauthorized")
            && r.stderr.ends_with("\n !     Failed to log into registry\n"),
        "{}",
        r.stderr
    );
    let r = env.run(&["registry:login", &app, &host, USER, "wrong"]);
    assert_eq!(r.code, 1);
    assert!(!global.exists() && !own.exists());

    // Nobody listening: refused the same way.
    let r = env.run(&["registry:login", "--global", "127.0.0.1:9", USER, PASSWORD]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("connection refused")
            && r.stderr.ends_with(" !     Failed to log into registry\n"),
        "{}",
        r.stderr
    );
    assert!(!global.exists());

    // Missing words and unknown apps.
    env.run(&["registry:login", "--global", &host, USER])
        .fails_with("Missing password argument");
    env.run(&["registry:login", "--global"])
        .fails_with("Missing server argument");
    env.run(&["registry:login", "no-such-app", &host, USER, PASSWORD])
        .fails_with("App no-such-app does not exist");

    // Plugins hear of a login, with the password in their environment.
    let hook = env.lib().join("plugins/enabled/spy/post-registry-login");
    std::fs::create_dir_all(hook.parent().expect("dir")).expect("mkdir");
    let log = env.dir.path().join("spy.log");
    std::fs::write(
        &hook,
        format!(
            "#!/usr/bin/env bash\necho \"$1|$2|$DOCKER_REGISTRY_PASS\" >> {}\n",
            log.display()
        ),
    )
    .expect("hook");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    // Global login: docker's status line and warning, docker's file format.
    let r = env.run(&["registry:login", "--global", &host, USER, PASSWORD]);
    assert_eq!(r.stdout, "Login Succeeded\n", "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "WARNING! Your password will be stored unencrypted in {}.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/engine/reference/commandline/login/#credentials-store\n\n",
            global.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&log).expect("hook ran"),
        format!("{host}|{USER}|{PASSWORD}\n")
    );
    assert_eq!(
        stored_auth(&global, &host).as_deref(),
        Some(basic(USER, PASSWORD).as_str())
    );
    let mode = std::fs::metadata(&global)
        .expect("config")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(!own.exists());

    // Per-app login, password on stdin.
    let r = env.run_stdin(
        &["registry:login", &app, "--password-stdin", &host, USER],
        format!("{PASSWORD}\n").as_bytes(),
    );
    assert_eq!(r.stdout, "Login Succeeded\n", "{}", r.stderr);
    assert_eq!(
        stored_auth(&own, &host).as_deref(),
        Some(basic(USER, PASSWORD).as_str())
    );
    let dir_mode = std::fs::metadata(own.parent().expect("dir"))
        .expect("dir")
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o777, 0o700);

    // The old three-word form logs in globally, with a warning.
    std::fs::remove_file(&global).expect("rm");
    let r = env.run(&["registry:login", &host, USER, PASSWORD]);
    r.exits(0, Holds::ErrStart(" !     Deprecated: "));
    assert!(stored_auth(&global, &host).is_some());

    // Logout, per app then globally; twice is harmless.
    let r = env.run(&["registry:logout", &app, &host]);
    assert_eq!(r.stdout, format!("Removing login credentials for {host}\n"));
    assert!(stored_auth(&own, &host).is_none());
    let r = env.run(&["registry:logout", &app, &host]);
    assert_eq!(r.stdout, format!("Not logged in to {host}\n"));
    let r = env.run(&["registry:logout", "--global", &host]);
    assert_eq!(r.stdout, format!("Removing login credentials for {host}\n"));
    assert!(stored_auth(&global, &host).is_none());
    env.run(&["registry:logout", "--global"])
        .fails_with("Missing server argument");
    // The server alone is the deprecated global form.
    let r = env.run(&["registry:logout", &host]);
    assert_eq!(
        (r.code, r.stdout.clone(), r.stderr.clone()),
        (
            0,
            format!("Not logged in to {host}\n"),
            " !     Deprecated: specify --global to log out for all apps, or an app name to log out for one app\n".to_string()
        )
    );

    // Destroying the app takes its credentials along.
    env.run_stdin(
        &["registry:login", &app, "--password-stdin", &host, USER],
        PASSWORD.as_bytes(),
    )
    .ok();
    env.run(&["apps:destroy", &app, "--force"]).ok();
    assert!(!own.exists());
}

#[test]
fn properties_set_and_report() {
    let env = Env::new();
    let app = unique_name("registry-report");
    env.create_app(&app);
    env.run(&["registry:set", &app, "server", "ghcr.io"]).ok();
    env.transcript(
        r#"
$ registry:set --global server docker.io
...
$ registry:set --global image-repo-template 'team/{{ .AppName }}'
...
"#,
    );
    env.run(&["registry:set", &app, "push-extra-tags", "a,b"])
        .ok();
    env.run(&["registry:set", &app, "push-on-release", "true"])
        .ok();
    let report = |flag: &str| env.run(&["registry:report", &app, flag]).ok().to_string();
    assert_eq!(report("--registry-server"), "ghcr.io\n");
    assert_eq!(report("--registry-computed-server"), "ghcr.io/\n");
    assert_eq!(report("--registry-global-server"), "docker.io\n");
    assert_eq!(
        report("--registry-computed-image-repo"),
        format!("team/{app}\n")
    );
    assert_eq!(report("--registry-computed-push-on-release"), "true\n");
    assert_eq!(report("--registry-push-extra-tags"), "a,b\n");
    env.run(&["registry:set", &app, "image-repo", "mine/name"])
        .ok();
    assert_eq!(report("--registry-computed-image-repo"), "mine/name\n");
    env.run(&["registry:set", &app, "server"]).ok();
    assert_eq!(report("--registry-computed-server"), "\n");

    let json = env.json(&["registry:report", &app, "--format", "json"]);
    // Each property as set, as set globally and as computed; and the rest.
    let mut keys: Vec<String> = [
        "image-repo-template",
        "push-extra-tags",
        "push-on-release",
        "server",
    ]
    .iter()
    .flat_map(|p| ["", "global-", "computed-"].map(|scope| format!("{scope}{p}")))
    .collect();
    keys.extend(
        [
            "computed-image-repo",
            "image-repo",
            "tag-version",
            "registry-computed-server",
        ]
        .map(String::from),
    );
    for key in &keys {
        assert!(json.get(key).is_some(), "{key} missing in {json}");
    }
    assert_eq!(
        env.run(&["registry:report", "--global"]).ok(),
        "=====> --global registry information
       Registry computed image repo template: team/{{ .AppName }}
       Registry computed push extra tags:     \n       Registry computed push on release:     false
       Registry computed server:              \n       Registry global image repo template:   team/{{ .AppName }}
       Registry global push extra tags:       \n       Registry global push on release:       \n       Registry global server:                docker.io
"
    );

    // Bad input changes nothing.
    let before = env.state();
    env.run(&["registry:set", &app, "nope", "x"]).fails_with(
        "Invalid property specified, valid properties include: image-repo, image-repo-template, push-extra-tags, push-on-release, server",
    );
    env.run(&["registry:set", "--global", "image-repo", "x"])
        .fails_with("Property cannot be specified globally");
    env.run(&["registry:set", &app])
        .fails_with("No property specified");
    env.run(&["registry:set", &app, "image-repo", "Bad Repo"])
        .fails_with("Invalid image-repo value specified: Bad Repo");
    env.run(&["registry:set", &app, "push-extra-tags", "a,b c"])
        .fails_with("Invalid push-extra-tags value specified: a,b c");
    env.run(&["registry:set", "--global", "server", "host?x"])
        .fails_with("Invalid server value specified: host?x");
    env.run(&["registry:set", &app, "push-on-release", "yes"])
        .fails_with("Invalid value for push-on-release, must be true or false");
    env.run(&["registry:set", &app, "tag-version", "7"]).fails_with(
        "Invalid property specified, valid properties include: image-repo, image-repo-template, push-extra-tags, push-on-release, server",
    );
    env.run(&["registry:report", &app, "--registry-nope"])
        .fails_with("Invalid flag passed, valid flags: --registry-computed-image-repo, --registry-computed-image-repo-template, --registry-computed-push-extra-tags, --registry-computed-push-on-release, --registry-computed-server, --registry-global-image-repo-template, --registry-global-push-extra-tags, --registry-global-push-on-release, --registry-global-server, --registry-image-repo, --registry-image-repo-template, --registry-push-extra-tags, --registry-push-on-release, --registry-server, --registry-tag-version");
    assert!(before == env.state(), "state changed");
}

#[test]
fn push_on_release_then_deploy_from_the_registry_with_credentials() {
    let reg = Registry::start();
    let host = reg.host();
    let mut a = App::new("registry-push");
    let name = a.name.clone();
    // The source image the app is deployed from.
    a.build_httpd(&format!("pushed {name}"), "", "");
    let source = format!("{name}-src:latest");
    a.engine
        .tag_image(&format!("dokku/{name}:latest"), &source)
        .expect("tag source");
    a.images.push(source.clone());
    let pushed = format!("{host}/dokku/{name}");
    for t in ["1", "2", "extra"] {
        a.images.push(format!("{pushed}:{t}"));
    }

    a.run_login(&name, &host);
    a.run(&["registry:set", &name, "push-on-release", "true"])
        .ok();
    a.run(&["registry:set", &name, "push-extra-tags", "extra"])
        .ok();

    // A registry nobody listens on: the push, and so the deploy, fails
    // (and the release number is not used up).
    a.images.push(format!("127.0.0.1:9/dokku/{name}:1"));
    a.run(&["registry:set", &name, "server", "127.0.0.1:9"])
        .ok();
    let r = a.run(&["git:from-image", &name, &source]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("connection refused")
            && r.stderr.ends_with(" !     Unable to push image\n"),
        "{}",
        r.stderr
    );
    assert!(!a.env.root().join(&name).join("CONTAINER.web.1").exists());
    assert_eq!(
        a.run(&["registry:report", &name, "--registry-tag-version"])
            .ok(),
        "\n"
    );
    a.run(&["registry:set", &name, "server", &host]).ok();

    let r = a.run(&["git:from-image", &name, &source]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_has_all(
        &r.stdout,
        &[
            &format!("       Tagging dokku/{name}:1 in registry format\n       Pushing dokku/{name}:1\nThe push refers to repository [{pushed}]\n"),
            ": Pushed\n",
            "1: digest: sha256:",
            &format!("       Pushing dokku/{name}:extra\n"),
            "extra: digest: sha256:",
            "       Image pushed\n",
        ],
    );
    assert_eq!(reg.tags(&format!("dokku/{name}")), ["1", "extra"]);
    assert_eq!(a.running_image(&name), format!("{pushed}:1"));
    assert_eq!(
        a.run(&["registry:report", &name, "--registry-tag-version"])
            .ok(),
        "1\n"
    );

    // A rebuild pushes the next tag and runs it.
    let r = a.run(&["ps:rebuild", &name]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(reg.tags(&format!("dokku/{name}")), ["1", "2", "extra"]);
    assert_eq!(a.running_image(&name), format!("{pushed}:2"));

    // The release image pruned locally: a restart pulls it back.
    a.engine
        .remove_image(&format!("{pushed}:2"), true)
        .expect("untag");
    let r = a.run(&["ps:restart", &name]);
    r.exits(
        0,
        Holds::Err(&format!(
            "-----> Image {pushed}:2 not found locally, pulling from registry\n"
        )),
    );
    assert!(a
        .engine
        .image_exists(&format!("{pushed}:2"))
        .expect("exists"));
    assert_eq!(a.running_image(&name), format!("{pushed}:2"));

    // A second app deploys the pushed image, pulled with its own login.
    let b = unique_name("registry-pull");
    a.apps.push(b.clone());
    a.env.create_app(&b);
    let image = format!("{pushed}:1");
    let _ = a.engine.remove_image(&image, true);
    assert!(!a.engine.image_exists(&image).expect("exists"));
    // Without credentials the registry refuses.
    let r = a.run(&["git:from-image", &b, &image]);
    r.exits(
        1,
        Holds::ErrEnd(&format!(" !     Failed to pull image: {image}\n")),
    );
    a.run_login(&b, &host);
    let r = a.run(&["git:from-image", &b, &image]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_has_all(
        &r.stdout,
        &[
            &format!("1: Pulling from dokku/{name}\n"),
            &format!("Status: Downloaded newer image for {image}\n{image}\n"),
            "-----> Generating build context\n",
        ],
    );
    assert_eq!(a.running_image(&b), format!("dokku/{b}:latest"));
    crate::harness::remove_app_resources(&a.engine, &b);

    // Logged out, a forced pull fails again.
    a.run(&["registry:logout", &b, &host]).ok();
    let r = a.run(&["git:from-image", "--force", &b, &image]);
    r.exits(
        1,
        Holds::ErrEnd(&format!(" !     Failed to pull image: {image}\n")),
    );

    // Renamed, the app is rebuilt: the next release is pushed under its
    // new name (its last one was tagged for it first).
    let renamed = unique_name("registry-renamed");
    a.apps.push(renamed.clone());
    let moved = format!("{host}/dokku/{renamed}");
    a.images.push(format!("{moved}:2"));
    a.images.push(format!("{moved}:3"));
    a.images.push(format!("{moved}:extra"));
    let r = a.run(&["apps:rename", &name, &renamed]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(a.running_image(&renamed), format!("{moved}:3"));
    assert_eq!(reg.tags(&format!("dokku/{renamed}")), ["3", "extra"]);

    // Destroying the app removes the registry-named images it left.
    a.run(&["apps:destroy", &renamed, "--force"]).ok();
    for t in ["2", "3", "extra"] {
        let image = format!("{moved}:{t}");
        assert!(!a.engine.image_exists(&image).expect("exists"), "{image}");
    }
}

impl App {
    fn run_login(&self, app: &str, host: &str) {
        let r = self.env.run_stdin(
            &["registry:login", app, "--password-stdin", host, USER],
            PASSWORD.as_bytes(),
        );
        assert_eq!(r.stdout, "Login Succeeded\n", "{}", r.stderr);
    }
}
