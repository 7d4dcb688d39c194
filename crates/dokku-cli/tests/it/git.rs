//! The source half of deploys, against real git and the real Docker engine:
//! `git push` through the ssh entry (`git-receive-pack` run by a stand-in
//! for ssh), `git:from-image`, `git:from-archive` (including malicious
//! archives), `git:load-image` and `git:sync`. Every app, image and
//! temporary repository is named per test and removed even on failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_docker::testing::docker_cli;
use dokku_docker::{ContainerEngine, ContainerFilter};

use crate::harness::build_from_files;
use crate::harness::path_with;
use crate::harness::write_script;
use crate::harness::Holds;
use crate::harness::{
    assert_has_all, copy_tree, eventually, http_get_raw, output_of, Env, Run, TestApp,
};

/// The bundled sample app.
fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/apps/dockerfile-sample")
}

/// One app under test (see [`TestApp`]), with the images a test made
/// beside the app's, removed when dropped.
struct App {
    app: TestApp,
    extra_images: Vec<String>,
    /// A directory put first on PATH for pushes (stand-in tools).
    path_prefix: Option<PathBuf>,
}

impl std::ops::Deref for App {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

impl Drop for App {
    fn drop(&mut self) {
        for i in &self.extra_images {
            let _ = self.engine.remove_image(i, true);
        }
    }
}

impl App {
    /// A created app (deploys skipped unless `deploy`) and a busybox base.
    fn new(test: &str, deploy: bool) -> App {
        let app = App {
            app: TestApp::new(test),
            extra_images: Vec::new(),
            path_prefix: None,
        };
        if deploy {
            app.run(&["checks:set", "--global", "wait-to-retire", "1"]);
            app.run(&["ps:set", "--global", "stop-timeout-seconds", "1"]);
        } else {
            app.run(&["ps:set", &app.name, "skip-deploy", "true"]).ok();
        }
        app
    }

    /// One label of the app's image.
    fn image_label(&self, key: &str) -> Option<String> {
        self.image_labels().get(key).cloned()
    }

    fn image_labels(&self) -> std::collections::BTreeMap<String, String> {
        self.engine
            .image_inspect(&format!("dokku/{}:latest", self.name))
            .expect("app image")
            .labels
    }

    /// A git repository holding the sample app built FROM this app's base.
    fn sample_repo(&self, dir: &Path) {
        sample_repo(dir, &self.base);
    }

    /// `git push` through a stand-in for ssh that runs the binary as
    /// sshd's forced command does.
    fn push(&self, repo: &Path, refspec: &str) -> Run {
        let wrapper = self.env.dir.path().join("ssh");
        let script = format!(
            "#!/bin/sh\nfor last; do :; done\nexec env SSH_ORIGINAL_COMMAND=\"$last\" '{}'\n",
            env!("CARGO_BIN_EXE_dokku")
        );
        write_script(&wrapper, &script);
        let mut c = self.git_env();
        c.current_dir(repo).env("GIT_SSH_COMMAND", &wrapper).args([
            "push",
            &format!("dokku@dokku.test:{}", self.name),
            refspec,
        ]);
        c.output().expect("git push").into()
    }

    /// Push `refspec` of `repo`, asserting that it `succeeds` (or fails)
    /// with each of `lines` in its output.
    #[track_caller]
    fn push_says(&self, repo: &Path, refspec: &str, succeeds: bool, lines: &[&str]) {
        let r = self.push(repo, refspec);
        assert_eq!(r.code == 0, succeeds, "{}", r.stderr);
        assert_has_all(&r.stderr, lines);
    }

    /// Push `master` of `repo`, asserting success, the `lines` in its
    /// output and a release image made by `builder`.
    #[track_caller]
    fn push_released_by(&self, repo: &Path, builder: &str, lines: &[&str]) {
        self.push_says(repo, "master", true, lines);
        assert_eq!(
            self.image_label("com.dokku.builder-type").as_deref(),
            Some(builder)
        );
        assert_eq!(
            self.image_label("com.dokku.image-stage").as_deref(),
            Some("release")
        );
    }

    /// A git command with the test installation's environment.
    fn git_env(&self) -> Command {
        let base = self.env.cmd(&[]);
        let mut c = Command::new("git");
        c.env_clear();
        for (k, v) in base.get_envs() {
            if let Some(v) = v {
                c.env(k, v);
            }
        }
        c.env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com");
        c.env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com");
        if let Some(prefix) = &self.path_prefix {
            c.env("PATH", path_with(&[prefix]));
        }
        c.stdin(Stdio::null());
        c
    }

    fn branch_sha(&self, branch: &str) -> Option<String> {
        let o = Command::new("git")
            .arg("--git-dir")
            .arg(self.env.root().join(&self.name))
            .args([
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("refs/heads/{branch}"),
            ])
            .output()
            .expect("git rev-parse");
        o.status
            .success()
            .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
    }
}

/// A git repository in `dir` holding the sample app, built FROM `base`,
/// committed on `master`.
pub(crate) fn sample_repo(dir: &Path, base: &str) {
    copy_tree(&sample_dir(), dir);
    let dockerfile = dir.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).expect("Dockerfile");
    let text = text.replace("FROM dokku-sample-base:busybox", &format!("FROM {base}"));
    std::fs::write(&dockerfile, text).expect("write Dockerfile");
    git(dir, &["init", "-q", "-b", "master"]);
    commit_all(dir, "sample");
}

pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    output_of(
        Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com"),
    )
}

pub(crate) fn commit_all(dir: &Path, msg: &str) -> String {
    git(dir, &["add", "-A"]);
    git(
        dir,
        &["-c", "commit.gpgsign=false", "commit", "-q", "-m", msg],
    );
    git(dir, &["rev-parse", "HEAD"])
}

/// GET / from an address until it answers with `want`, or time out.
fn wait_for(addr: &str, want: &str) -> String {
    let last = std::cell::RefCell::new(String::new());
    eventually(
        30,
        &format!("{addr} to answer with {want:?}"),
        || {
            let body = http_get_raw(addr).unwrap_or_default();
            let done = body.contains(want);
            *last.borrow_mut() = body;
            done
        },
        || format!("; last answer: {:?}", last.borrow()),
    );
    last.into_inner()
}

#[test]
fn push_builds_labelled_image_and_deploys_it() {
    let app = App::new("git-push", true);
    let repo = tempfile::tempdir().expect("tempdir");
    app.sample_repo(repo.path());
    let sha = git(repo.path(), &["rev-parse", "HEAD"]);

    let r = app.push(repo.path(), "master");
    assert_eq!(
        r.code, 0,
        "push failed\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    let name = &app.name;
    assert_has_all(
        &r.stderr,
        &[
            "remote: -----> Cleaning up...",
            &format!("remote: -----> Building {name} from Dockerfile"),
            "remote: Step 1/",
        ],
    );
    assert_eq!(app.branch_sha("master").as_deref(), Some(sha.as_str()));
    let labels = app.image_labels();
    for (k, v) in [
        ("com.dokku.app-name", name.as_str()),
        ("com.dokku.builder-type", "dockerfile"),
        ("com.dokku.image-stage", "release"),
        ("org.label-schema.vendor", "dokku"),
        ("dokku", ""),
    ] {
        assert_eq!(
            labels.get(k).map(String::as_str),
            Some(v),
            "label {k} in {labels:?}"
        );
    }
    assert_eq!(app.run(&["config:get", name, "GIT_REV"]).ok().trim(), sha);
    // The push is recorded as a build whose log is what the push printed
    // (git shows the hook's lines behind `remote: `).
    let list: serde_json::Value =
        serde_json::from_str(app.run(&["builds:list", name, "--format", "json"]).ok())
            .expect("json");
    assert_eq!(
        (&list[0]["source"], &list[0]["kind"], &list[0]["status"]),
        (&"git-hook".into(), &"build".into(), &"succeeded".into())
    );
    let log = app.run(&["builds:output", name]).ok().to_string();
    assert!(
        log.contains(&format!("-----> Building {name} from Dockerfile")),
        "{log}"
    );
    let pushed: Vec<&str> = r
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("remote: "))
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    let logged: Vec<&str> = log
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(pushed, logged);
    assert_eq!(
        app.run(&["apps:report", name, "--app-deploy-source"])
            .ok()
            .trim(),
        "git"
    );
    assert_eq!(
        app.run(&["apps:report", name, "--app-deploy-source-metadata"])
            .ok()
            .trim(),
        sha
    );
    assert_eq!(
        app.run(&["git:report", name, "--git-sha"]).ok().trim(),
        &sha[..7]
    );
    assert_eq!(
        app.run(&["builder:report", name, "--builder-detected"])
            .ok()
            .trim(),
        "dockerfile"
    );
    assert!(app
        .env
        .lib()
        .join(format!("data/app-json/{name}/app.json"))
        .is_file());
    assert!(!app
        .env
        .lib()
        .join("data/apps")
        .join(name)
        .join(".deploy.lock")
        .exists());

    // The deploy half answers on the container's address.
    let running = app
        .engine
        .list_containers(&ContainerFilter {
            labels: vec![format!("com.dokku.app-name={name}")],
            statuses: vec!["running".into()],
            ..ContainerFilter::default()
        })
        .expect("list containers");
    let c = running
        .first()
        .unwrap_or_else(|| panic!("no running container after push:\n{}", r.stderr));
    let info = app.engine.inspect_container(&c.id).expect("inspect");
    let ip = info.first_ip_address().expect("container ip").to_string();
    wait_for(&format!("{ip}:5000"), "Hello from the dokku sample app");

    // Another branch is accepted without a deploy.
    git(repo.path(), &["checkout", "-q", "-b", "feature"]);
    std::fs::write(repo.path().join("public/extra.txt"), "x").expect("write");
    commit_all(repo.path(), "feature");
    app.push_says(
        repo.path(),
        "feature",
        true,
        &[
            "remote: -----> WARNING: deploy did not complete, you must push to master.",
            "remote: -----> for example, try 'git push <dokku> feature:master'",
        ],
    );
    assert!(app.branch_sha("feature").is_some());
    assert_eq!(app.branch_sha("master").as_deref(), Some(sha.as_str()));
}

#[test]
fn failed_build_rejects_the_push_and_first_branch_becomes_deploy_branch() {
    let app = App::new("git-fail", false);
    let repo = tempfile::tempdir().expect("tempdir");
    app.sample_repo(repo.path());
    git(repo.path(), &["branch", "-m", "main"]);
    let dockerfile = repo.path().join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).expect("read") + "RUN exit 3\n";
    std::fs::write(&dockerfile, text).expect("write");
    commit_all(repo.path(), "broken");

    let failed = [
        "remote:  !     App build failed",
        "pre-receive hook declined",
    ];
    app.push_says(repo.path(), "main", false, &failed);
    assert_eq!(app.branch_sha("main"), None);
    assert_eq!(
        app.run(&["git:report", &app.name, "--git-deploy-branch"])
            .ok()
            .trim(),
        "main"
    );
    assert!(!app
        .env
        .lib()
        .join("data/apps")
        .join(&app.name)
        .join(".deploy.lock")
        .exists());

    // A deploy lock refuses the push with Dokku's lines.
    let text = std::fs::read_to_string(&dockerfile)
        .expect("read")
        .replace("RUN exit 3\n", "");
    std::fs::write(&dockerfile, text).expect("write");
    commit_all(repo.path(), "fixed");
    app.run(&["apps:lock", &app.name]).ok();
    let r = app.push(repo.path(), "main");
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains(&format!(
            "remote:  !     {} currently has a deploy lock in place. Exiting...",
            app.name
        )),
        "{}",
        r.stderr
    );
    app.run(&["apps:unlock", &app.name]).ok();
    let r = app.push(repo.path(), "main");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        app.image_label("com.dokku.builder-type").as_deref(),
        Some("dockerfile")
    );
}

/// A new app deployed by `git:from-image` of its base, and that deploy.
fn deployed_from_its_base(prefix: &str) -> (App, Run) {
    let app = App::new(prefix, false);
    let r = app.run(&["git:from-image", &app.name, &app.base]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    (app, r)
}

#[test]
fn from_image_and_load_image() {
    let (mut app, r) = deployed_from_its_base("git-image");
    let name = app.name.clone();
    assert_has_all(
        &r.stdout,
        &[
            "-----> Generating build context\n       Setting Dockerfile\n",
            &format!("-----> Building {name} from Dockerfile"),
        ],
    );
    assert_eq!(
        app.run(&["git:report", &name, "--git-source-image"])
            .ok()
            .trim(),
        app.base
    );
    assert_eq!(
        app.run(&["apps:report", &name, "--app-deploy-source"])
            .ok()
            .trim(),
        "docker-image"
    );
    assert_eq!(
        app.image_label("com.dokku.image-stage").as_deref(),
        Some("release")
    );
    let sha = app.branch_sha("master").expect("deploy branch");

    let r = app.run(&["git:from-image", &name, &app.base]);
    r.exits(
        0,
        Holds::Err(" !     No changes detected, skipping git commit\n"),
    );
    assert_eq!(app.branch_sha("master").as_deref(), Some(sha.as_str()));

    // A missing image is pulled; from a registry nobody listens on, that
    // fails at once (and never reaches the internet).
    let missing = "127.0.0.1:9/dokku-test-missing-image:nope";
    let r = app.run(&["git:from-image", &name, missing]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("Error response from daemon: ")
            && r.stderr
                .ends_with(&format!("\n !     Failed to pull image: {missing}\n")),
        "{}",
        r.stderr
    );
    let r = app.run(&["git:from-image", &name]);
    r.fails_with("Please specify a docker image");

    // load-image: save a tagged copy, drop the tag, load it back from stdin.
    let tag = format!("{name}-loaded:v1");
    app.extra_images.push(tag.clone());
    app.engine.tag_image(&app.base, &tag).expect("tag");
    let saved = docker_cli(&["image", "save", &tag]);
    app.engine.remove_image(&tag, false).expect("untag");
    let r = app.env.run_stdin(&["git:load-image", &name, &tag], &saved);
    r.exits(0, Holds::Out(&format!("Loaded image: {tag}")));
    assert_eq!(
        app.run(&["git:report", &name, "--git-source-image"])
            .ok()
            .trim(),
        tag
    );
    assert_ne!(app.branch_sha("master").as_deref(), Some(sha.as_str()));
    let r = app.env.run_stdin(
        &["git:load-image", &name, "dokku-test-not-in-tar:x"],
        &saved,
    );
    r.exits(1, Holds::Err("Loaded image tarball but the specified docker image was not found: dokku-test-not-in-tar:x"));
}

/// The app's dangling images (untagged, still carrying its label).
fn dangling_images(app: &str) -> Vec<String> {
    let out = Command::new("docker")
        .args(["images", "-q", "--no-trunc", "--filter", "dangling=true"])
        .args(["--filter", &format!("label=com.dokku.app-name={app}")])
        .output()
        .expect("docker images");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn from_image_release_is_made_with_the_build_unless_a_plugin_changed_the_image() {
    // The release made together with the build: the app's image carries
    // the build's and the release's labels, as two relabels gave.
    let (mut app, _) = deployed_from_its_base("git-prerelease");
    let name = app.name.clone();
    let labels = app.image_labels();
    for (key, value) in [
        ("com.dokku.image-stage", "release"),
        ("com.dokku.builder-type", "dockerfile"),
        ("com.dokku.app-name", name.as_str()),
        ("org.label-schema.vendor", "dokku"),
    ] {
        assert_eq!(
            labels.get(key).map(String::as_str),
            Some(value),
            "{labels:?}"
        );
    }
    // What the release replaced is left for the next clean-up, as before:
    // the build's image only.
    assert_eq!(
        dangling_images(&name).len(),
        1,
        "{:?}",
        dangling_images(&name)
    );
    let released = app
        .engine
        .image_inspect(&format!("dokku/{name}:latest"))
        .expect("app image")
        .id;

    // A plugin puts another image in place between build and release: the
    // release labels that one, and the image made ahead is removed.
    let marked = format!("{name}-marked:latest");
    app.extra_images.push(marked.clone());
    let mark = std::collections::BTreeMap::from([("plugin".to_string(), "was-here".to_string())]);
    app.engine
        .relabel_image(&app.base, &mark, &marked)
        .expect("mark")
        .expect("relabel");
    write_script(
        &app.env
            .lib()
            .join("plugins/enabled/retag/pre-release-builder"),
        &format!("#!/bin/sh\ndocker tag {marked} \"$3\"\n"),
    );
    let other = format!("{name}-other:v1");
    app.extra_images.push(other.clone());
    app.engine.tag_image(&app.base, &other).expect("tag");
    let before = dangling_images(&name);
    let r = app.run(&["git:from-image", &name, &other]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let labels = app.image_labels();
    assert_eq!(
        labels.get("plugin").map(String::as_str),
        Some("was-here"),
        "{labels:?}"
    );
    assert_eq!(
        labels.get("com.dokku.image-stage").map(String::as_str),
        Some("release")
    );
    // Dangling now: the first release (replaced) and this deploy's build
    // image (replaced by the plugin's); the release image made with that
    // build is gone, and the first build image went with the clean-up this
    // deploy started with.
    let after = dangling_images(&name);
    assert_eq!(after.len(), 2, "before {before:?}, after {after:?}");
    assert!(after.contains(&released), "{after:?}");
    assert!(after.iter().all(|i| !before.contains(i) || *i == released));
}

/// A tar archive from `(path, kind)` entries written raw, so names like
/// `../x` survive.
fn raw_tar(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, kind) in entries {
        let mut h = tar::Header::new_gnu();
        let name = h.as_old_mut().name.as_mut();
        name[..path.len()].copy_from_slice(path.as_bytes());
        h.set_mode(0o644);
        match kind.strip_prefix("link:") {
            Some(target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_link_name(target).expect("link name");
                h.set_size(0);
                h.set_cksum();
                b.append(&h, std::io::empty()).expect("append");
            }
            None => {
                h.set_size(kind.len() as u64);
                h.set_cksum();
                b.append(&h, kind.as_bytes()).expect("append");
            }
        }
    }
    b.into_inner().expect("tar")
}

#[test]
fn from_archive_refuses_malicious_archives() {
    let e = Env::new();
    e.create_app("web");
    let outside = e.dir.path().join("outside");
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("ok", "x"), ("../escape", "x")],
            "Archive contains entries with parent directory traversal",
        ),
        (
            &[("/abs", "x")],
            "Archive contains entries with absolute paths",
        ),
        (
            &[("l", "link:/etc/passwd")],
            "Archive contains symlinks with absolute targets",
        ),
        (
            &[("a/l", "link:../../outside")],
            "Archive contains symlinks pointing outside extraction directory",
        ),
    ];
    for (entries, message) in cases {
        let r = e.run_stdin(&["git:from-archive", "web", "--"], &raw_tar(entries));
        assert_eq!(r.code, 1, "{entries:?}: {}", r.stderr);
        assert!(
            r.stderr.ends_with(&format!(" !     {message}\n")),
            "{entries:?}: {}",
            r.stderr
        );
        assert!(
            !e.root().join("web/refs/heads/master").exists(),
            "{entries:?} deployed"
        );
        assert!(!outside.exists());
    }
    e.run(&["git:set", "web", "archive-max-files", "1"]).ok();
    let r = e.run_stdin(
        &["git:from-archive", "web", "--"],
        &raw_tar(&[("a", "1"), ("b", "2")]),
    );
    assert_eq!(
        r.stderr,
        " !     Archive contains 2 entries which exceeds the maximum of 1\n"
    );
    let r = e.run(&["git:from-archive", "--archive-type", "rar", "web", "--"]);
    assert_eq!(
        r.stderr,
        " !     Invalid archive type specified, valid archive types include: tar, tar.gz, zip\n"
    );
    let r = e.run(&["git:from-archive", "web"]);
    assert_eq!(
        r.stderr,
        " !     Please specify an archive url or -- to fetch the archive from stdin\n"
    );
}

#[test]
fn from_archive_and_sync_deploy() {
    let app = App::new("git-archive", false);
    let name = app.name.clone();
    let src = tempfile::tempdir().expect("tempdir");
    app.sample_repo(src.path());

    // A tar.gz made from a folder: its single top directory is the source.
    let archive = app.env.dir.path().join("sample.tar.gz");
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&archive).expect("create"),
        flate2::Compression::fast(),
    );
    let mut b = tar::Builder::new(gz);
    for f in ["Dockerfile", "app.json", "public/index.html"] {
        b.append_path_with_name(src.path().join(f), format!("sample-1.0/{f}"))
            .expect("append");
    }
    b.into_inner().expect("tar").finish().expect("gzip");
    let url = format!("file://{}", archive.display());
    let r = app.run(&[
        "git:from-archive",
        "--archive-type",
        "tar.gz",
        &name,
        &url,
        "Camila",
        "camila@example.com",
    ]);
    r.exits(0, Holds::Out("-----> Extracting archive\n"));
    assert_eq!(
        app.run(&["apps:report", &name, "--app-deploy-source"])
            .ok()
            .trim(),
        "archive"
    );
    assert_eq!(
        app.run(&["apps:report", &name, "--app-deploy-source-metadata"])
            .ok()
            .trim(),
        url
    );
    let author = Command::new("git")
        .arg("--git-dir")
        .arg(app.env.root().join(&name))
        .args(["log", "-1", "--format=%an <%ae>", "master"])
        .output()
        .expect("git log");
    assert_eq!(
        String::from_utf8_lossy(&author.stdout).trim(),
        "Camila <camila@example.com>"
    );
    assert!(app.image_labels().contains_key("com.dokku.builder-type"));

    // git:sync a branch of a local repository, then a tag with --build.
    git(src.path(), &["checkout", "-q", "-b", "release"]);
    std::fs::write(src.path().join("public/v2.txt"), "2").expect("write");
    let v2 = commit_all(src.path(), "v2");
    git(src.path(), &["tag", "v2"]);
    let remote = src.path().display().to_string();
    let r = app.run(&["git:sync", &name, &remote, "release"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        format!("-----> Fetching {name} from {remote}#release\n")
    );
    assert_eq!(
        app.run(&["git:report", &name, "--git-deploy-branch"])
            .ok()
            .trim(),
        "release"
    );
    assert_eq!(app.branch_sha("release").as_deref(), Some(v2.as_str()));
    let r = app.run(&[
        "git:sync",
        "--build",
        &name,
        &format!("file://{remote}"),
        "v2",
    ]);
    r.exits(
        0,
        Holds::Out(&format!("-----> Building {name} from Dockerfile")),
    );
    assert_eq!(
        app.run(&["apps:report", &name, "--app-deploy-source"])
            .ok()
            .trim(),
        "git-sync"
    );
    assert_eq!(app.run(&["config:get", &name, "GIT_REV"]).ok().trim(), v2);
    let r = app.run(&["git:sync", &name, &remote, "no-such-ref"]);
    assert_eq!(r.code, 1);
    app.run(&["git:sync", &name])
        .fails_with("Missing GIT_REMOTE parameter");
}

#[test]
fn git_set_and_report() {
    let e = Env::new();
    e.create_app("web");
    e.transcript(
        r#"
$ git:set web deploy-branch main
=====> Setting deploy-branch to main
$ git:set --global keep-git-dir true
...
$ git:set web rev-env-var ''
=====> Unsetting rev-env-var
"#,
    );
    assert!(e.lib().join("config/git/web/rev-env-var").is_file());
    let r = e.run(&["git:set", "web", "nope", "x"]);
    assert_eq!(
        r.stderr,
        " !     Invalid key specified, valid keys include: archive-max-files, archive-max-size, deploy-branch, keep-git-dir, rev-env-var, source-image\n"
    );
    assert_eq!(
        e.run(&["git:set", "web"]).stderr,
        " !     No key specified\n"
    );
    insta::assert_snapshot!(e.run(&["git:report", "web"]).ok(), @"
    =====> web git information
           Git computed archive max files: 10000
           Git computed archive max size:  1073741824
           Git computed deploy branch:     main
           Git computed keep git dir:      true
           Git deploy branch:              main
           Git global archive max files:   
           Git global archive max size:    
           Git global deploy branch:       
           Git global keep git dir:        true
           Git keep git dir:               
           Git last updated at:            
           Git rev env var:                
           Git sha:                        
           Git source image:
    ");
    assert_eq!(
        e.run(&["git:report", "web", "--git-computed-deploy-branch"])
            .ok(),
        "main\n"
    );
    let r = e.run(&["git:initialize", "web"]);
    assert_eq!(r.ok(), "-----> Initializing git repository for web\n");
    let hook = std::fs::read_to_string(e.root().join("web/hooks/pre-receive")).expect("hook");
    assert!(hook.contains("git-hook web"), "{hook}");
    e.expect(
        &["git:unlock", "web"],
        "-----> No clone folder exists app already unlocked\n",
    );
    let r = e.run(&["git-upload-pack", "'missing'"]);
    r.fails_with("App missing does not exist");
}

#[test]
fn herokuish_builds_with_a_stand_in_stack_image() {
    let mut app = App::new("git-herokuish", false);
    let name = app.name.clone();
    // A stand-in for gliderlabs/herokuish: bash, and a /build that compiles.
    let stack = format!("{name}-stack:latest");
    app.extra_images.push(stack.clone());
    let dockerfile = format!(
        "FROM {}\nRUN ln -s /bin/sh /bin/bash && printf '#!/bin/sh\\necho \"-----> Stand-in buildpack compiling $APP_GREETING\"\\necho built > /app/.built\\n' > /build && chmod +x /build\n",
        app.base
    );
    build_from_files(&app.engine, &stack, &[("Dockerfile", &dockerfile, 0o644)]);
    app.run(&[
        "config:set",
        "--no-restart",
        &name,
        &format!("DOKKU_IMAGE={stack}"),
        "APP_GREETING=hi",
    ])
    .ok();

    let repo = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        repo.path().join(".buildpacks"),
        "https://example.invalid/buildpack.git\n",
    )
    .expect("write");
    std::fs::write(repo.path().join("Dockerfile"), "FROM scratch\n").expect("write");
    git(repo.path(), &["init", "-q", "-b", "master"]);
    commit_all(repo.path(), "herokuish app");
    app.push_released_by(
        repo.path(),
        "herokuish",
        &[
            &format!("remote: -----> Building {name} from herokuish"),
            "remote: -----> Stand-in buildpack compiling hi",
        ],
    );
    let mut check = dokku_docker::ContainerSpec::new(format!("dokku/{name}:latest"));
    check.cmd = Some(vec![
        "sh".into(),
        "-c".into(),
        "cat /app/.built /app/.profile.d/01-app-env.sh".into(),
    ]);
    check
        .labels
        .insert("com.dokku.app-name".into(), name.clone());
    let out = app.engine.run_to_completion(&check, None).expect("run");
    let text = out.stdout_lossy();
    assert!(
        text.starts_with("built\n") && text.contains("APP_GREETING='hi'"),
        "{text}"
    );
}

#[test]
fn pack_builds_with_a_stand_in_pack_cli() {
    let mut app = App::new("git-pack", false);
    let name = app.name.clone();
    let bin = app.env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let stub = "#!/bin/sh\nimage=\"$2\"; shift 2\nbps=\nwhile [ $# -gt 0 ]; do case \"$1\" in --path) dir=\"$2\"; shift 2;; --buildpack) bps=\"$bps $2\"; shift 2;; *) shift;; esac; done\necho \"===> BUILDING with stand-in pack\"\necho \"===> BUILDPACKS$bps\"\nexec docker build -q -t \"$image\" \"$dir\" >/dev/null\n";
    write_script(&bin.join("pack"), stub);
    app.path_prefix = Some(bin);

    let repo = tempfile::tempdir().expect("tempdir");
    app.sample_repo(repo.path());
    std::fs::write(
        repo.path().join("project.toml"),
        "[_]\nschema-version = \"0.2\"\n",
    )
    .expect("write");
    commit_all(repo.path(), "cnb app");
    // The app's buildpacks reach pack in their order. They are written
    // as `.buildpacks`, which herokuish detects first: pack is selected.
    app.run(&["builder:set", &name, "selected", "pack"]).ok();
    app.run(&["buildpacks:add", &name, "https://example.invalid/b.git"])
        .ok();
    app.run(&["buildpacks:add", "--index", "1", &name, "heroku/nodejs"])
        .ok();
    app.push_released_by(
        repo.path(),
        "pack",
        &[
            &format!("remote: -----> Building {name} from heroku/builder:24"),
            "remote: ===> BUILDING with stand-in pack",
            "remote: ===> BUILDPACKS https://github.com/heroku/heroku-buildpack-nodejs.git https://example.invalid/b.git",
        ],
    );
    assert_eq!(
        app.run(&["builder:report", &name, "--builder-selected"])
            .ok()
            .trim(),
        "pack"
    );
}

/// `git:from-image` reads app.json and the Procfile out of the image
/// without running it, as Dokku's `copy_from_image` does: the image has
/// no `cat` (busybox without its applet links), its app.json is a link
/// inside the image, and no container is left behind.
#[test]
fn from_image_extracts_app_json_and_procfile_without_running_the_image() {
    let mut app = App::new("git-image-files", false);
    let name = app.name.clone();
    let ctx = app.env.dir.path().join("files-image");
    std::fs::create_dir_all(ctx.join("config")).expect("context");
    std::fs::copy("/bin/busybox", ctx.join("busybox")).expect("busybox");
    std::fs::write(
        ctx.join("config/app.json"),
        "{\"formation\": {\"web\": {\"quantity\": 2}}}\n",
    )
    .expect("app.json");
    std::fs::write(ctx.join("Procfile"), "web: /bin/busybox httpd -f -p 5000\n").expect("Procfile");
    std::os::unix::fs::symlink("config/app.json", ctx.join("app.json")).expect("link");
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM scratch\nWORKDIR /app\nCOPY busybox /bin/busybox\nCOPY . /app/\n",
    )
    .expect("Dockerfile");
    let image = format!("{name}-files:v1");
    app.extra_images.push(image.clone());
    docker_cli(&["build", "-q", "-t", &image, &ctx.display().to_string()]);

    let r = app.run(&["git:from-image", &name, &image]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let lib = app.env.lib();
    assert_eq!(
        std::fs::read_to_string(lib.join(format!("data/ps/{name}/Procfile")))
            .expect("Procfile kept"),
        "web: /bin/busybox httpd -f -p 5000\n"
    );
    assert_eq!(
        std::fs::read_to_string(lib.join(format!("data/app-json/{name}/app.json")))
            .expect("app.json kept"),
        "{\"formation\": {\"web\": {\"quantity\": 2}}}\n"
    );
    let left = app
        .engine
        .list_containers(&ContainerFilter::label(format!(
            "com.dokku.app-name={name}"
        )))
        .expect("list");
    assert!(left.is_empty(), "{left:?}");
}
