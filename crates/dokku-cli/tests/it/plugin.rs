//! Tests of the plugin plugin: installing from every kind of source,
//! enabling, disabling, uninstalling, listing, updating git-backed plugins,
//! firing triggers, and running the `hello` sample plugin of the docs
//! through the shell library.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::path_with;
use crate::harness::write_plugin_toml;
use crate::harness::write_script;
use crate::harness::Holds;
use crate::harness::{copy_tree, output_of, Env, Run};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const HELLO_LINE: &str = "  hello                0.1.0 enabled    dokku hello plugin";

/// The `hello` sample plugin of plugin-creation.md, verbatim.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hello")
}

/// A copy of the hello fixture at `dir`.
/// Every file is made executable but `plugin.toml` (a checkout may have
/// lost the modes).
fn hello_at(dir: &Path) -> PathBuf {
    for f in copy_tree(&fixture(), dir) {
        let mode = if f.file_name().is_some_and(|n| n == "plugin.toml") {
            0o644
        } else {
            0o755
        };
        fs::set_permissions(&f, fs::Permissions::from_mode(mode)).expect("chmod");
    }
    dir.to_path_buf()
}

/// The sample's default command reads the app from `$1` after putting the
/// command name back in front, so it always sees `hello`. This copy reads
/// `$2`, the argument the sample means.
fn fixed_hello_at(dir: &Path) -> PathBuf {
    hello_at(dir);
    let f = dir.join("subcommands/default");
    let text = fs::read_to_string(&f).expect("read");
    assert!(text.contains("declare APP=\"$1\""));
    fs::write(&f, text.replace("declare APP=\"$1\"", "declare APP=\"$2\"")).expect("write");
    dir.to_path_buf()
}

/// An executable script.
fn script(path: &Path, body: &str) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    write_script(
        path,
        &format!("#!/usr/bin/env bash\nset -eo pipefail\n{body}\n"),
    );
}

/// git in `dir` with a test identity and `main` as the initial branch.
pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    output_of(
        Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args),
    )
}

/// A git repository holding the hello plugin, one commit, tag `v1`.
fn hello_repo(dir: &Path) -> PathBuf {
    hello_at(dir);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "first"]);
    git(dir, &["tag", "v1"]);
    dir.to_path_buf()
}

fn tar(dir: &Path, args: &[&str]) {
    output_of(Command::new("tar").current_dir(dir).args(args));
}

fn fail(r: &Run, msg: &str) {
    fail_code(r, 1, msg);
}

/// `verify_app_name` fails with exit status 20, which Dokku passes on.
fn fail_code(r: &Run, code: i32, msg: &str) {
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (code, "", format!(" !     {msg}\n").as_str()),
        "{r:?}"
    );
}

/// A fresh installation with the core plugins.
fn core_env() -> Env {
    let e = Env::new();
    core(&e);
    e
}

/// [`core_env`] with the hello fixture installed from its file:// URL.
fn with_hello() -> Env {
    let e = core_env();
    e.run(&["plugin:install", &format!("file://{}", fixture().display())])
        .ok();
    e
}

fn core(e: &Env) {
    e.expect(&["plugin:install", "--core"], "");
}

fn plugins_json(e: &Env) -> Vec<serde_json::Value> {
    let r = e.run(&["plugin:list", "--format", "json"]);
    serde_json::from_str(r.ok()).expect("json")
}

fn plugin_json(e: &Env, name: &str) -> serde_json::Value {
    plugins_json(e)
        .into_iter()
        .find(|p| p["name"] == name)
        .expect("plugin listed")
}

fn available(e: &Env, name: &str) -> PathBuf {
    e.lib().join("plugins/available").join(name)
}

fn enabled(e: &Env, name: &str) -> PathBuf {
    e.lib().join("plugins/enabled").join(name)
}

fn make_app(e: &Env, app: &str) {
    fs::create_dir_all(e.root().join(app)).expect("mkdir app");
}

/// `plugn <args>`: the binary started under plugn's name.
fn plugn(e: &Env, args: &[&str]) -> Run {
    let mut c = e.cmd(args);
    c.arg0("plugn");
    c.output().expect("spawn plugn").into()
}

fn assert_hello_works(e: &Env) {
    e.expect(&["hello:world"], "Hello world\n");
    assert_eq!(e.run(&["plugin:installed", "hello"]).code, 0);
    assert_eq!(
        fs::read_link(enabled(e, "hello")).expect("enabled link"),
        available(e, "hello")
    );
    assert!(available(e, "hello").join("plugin.toml").is_file());
    assert!(e
        .run(&["plugin:list"])
        .ok()
        .lines()
        .any(|l| l == HELLO_LINE));
}

#[test]
fn core_install_lays_down_core_plugins() {
    let e = Env::new();
    e.expect(&["plugin:list"], "plugn: dev\n");
    core(&e);
    let lib = e.lib();
    let toml =
        fs::read_to_string(lib.join("core-plugins/available/apps/plugin.toml")).expect("toml");
    assert_eq!(toml, format!("[plugin]\ndescription = \"dokku core apps plugin\"\nversion = \"{VERSION}\"\n[plugin.config]\n"));
    assert_eq!(
        fs::read_link(available(&e, "apps")).expect("link"),
        lib.join("core-plugins/available/apps")
    );
    assert_eq!(
        fs::read_link(enabled(&e, "apps")).expect("link"),
        available(&e, "apps")
    );
    assert_eq!(
        fs::read_link(lib.join("core-plugins/enabled/apps")).expect("link"),
        lib.join("core-plugins/available/apps")
    );
    assert!(lib
        .join("core-plugins/available/common/functions")
        .is_file());

    let out = e.run(&["plugin:list"]).ok().to_string();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("plugn: dev"));
    let rest: Vec<&str> = lines.collect();
    let mut sorted = rest.clone();
    sorted.sort_by_key(|l| l.split_whitespace().next().map(str::to_string));
    assert_eq!(rest, sorted, "sorted by name");
    for want in [
        format!("  00_dokku-standard    {VERSION} enabled    dokku core standard plugin"),
        format!("  apps                 {VERSION} enabled    dokku core apps plugin"),
        format!("  common               {VERSION} enabled    dokku core common plugin"),
        format!("  plugin               {VERSION} enabled    dokku core plugin plugin"),
    ] {
        assert!(rest.contains(&want.as_str()), "missing {want:?} in\n{out}");
    }
    assert_eq!(
        plugn(&e, &["list"]).ok(),
        out.strip_prefix("plugn: dev\n").expect("head")
    );
    let apps = plugin_json(&e, "apps");
    assert_eq!(
        apps,
        serde_json::json!({"name": "apps", "version": VERSION, "enabled": true, "core": true,
            "description": "dokku core apps plugin", "source_url": "", "committish": "", "branch": ""})
    );
    // Running it again changes nothing.
    let before = e.state();
    core(&e);
    assert_eq!(before, e.state());
}

#[test]
fn install_from_file_url() {
    let e = core_env();
    let url = format!("file://{}", fixture().display());
    e.expect(&["plugin:install", &url], "-----> Plugin hello enabled\n");
    assert_hello_works(&e);
    let j = plugin_json(&e, "hello");
    assert_eq!(
        j,
        serde_json::json!({"name": "hello", "version": "0.1.0", "enabled": true, "core": false,
            "description": "dokku hello plugin", "source_url": "", "committish": "", "branch": ""})
    );
    fail(
        &e.run(&["plugin:install", &url]),
        "Plugin (hello) is already installed",
    );
}

#[test]
fn install_from_local_path_strips_dokku_prefix() {
    let e = core_env();
    let src = tempfile::tempdir().expect("tempdir");
    let dir = hello_at(&src.path().join("dokku-hello"));
    e.expect(
        &["plugin:install", dir.to_str().expect("utf8")],
        "-----> Plugin hello enabled\n",
    );
    assert_hello_works(&e);
}

#[test]
fn install_from_tarball() {
    let src = tempfile::tempdir().expect("tempdir");
    hello_at(&src.path().join("hello"));
    tar(src.path(), &["-czf", "dokku-hello.tar.gz", "hello"]);
    tar(&src.path().join("hello"), &["-czf", "../flat.tgz", "."]);

    let e = core_env();
    let tgz = src.path().join("dokku-hello.tar.gz");
    e.expect(
        &["plugin:install", tgz.to_str().expect("utf8")],
        "-----> Plugin hello enabled\n",
    );
    assert_hello_works(&e);

    // A tarball without a wrapping directory, by file:// URL, renamed.
    let e = core_env();
    let url = format!("file://{}", src.path().join("flat.tgz").display());
    e.expect(
        &["plugin:install", &url, "--name", "hello"],
        "-----> Plugin hello enabled\n",
    );
    assert_hello_works(&e);
    assert_eq!(plugin_json(&e, "hello")["source_url"], "");
}

#[test]
fn install_from_git_repositories() {
    let src = tempfile::tempdir().expect("tempdir");
    let repo = hello_repo(&src.path().join("dokku-hello"));
    let head = git(&repo, &["rev-parse", "HEAD"]);

    let e = core_env();
    let path = repo.to_str().expect("utf8");
    let r = e.run(&["plugin:install", path]);
    assert_eq!(
        r.ok(),
        format!(
            "-----> Cloning plugin repo {path} to {}\n-----> Plugin hello enabled\n",
            available(&e, "hello").display()
        )
    );
    assert!(r.stderr.contains("Cloning into 'hello'..."), "{}", r.stderr);
    assert_hello_works(&e);
    let j = plugin_json(&e, "hello");
    assert_eq!(
        (
            j["source_url"].as_str(),
            j["committish"].as_str(),
            j["branch"].as_str()
        ),
        (Some(path), Some(head.as_str()), Some("main"))
    );

    // A bare repository by file:// URL ending in .git.
    git(src.path(), &["clone", "-q", "--bare", path, "hello.git"]);
    let url = format!("file://{}", src.path().join("hello.git").display());
    let e = core_env();
    let r = e.run(&["plugin:install", &url]);
    assert!(
        r.ok()
            .starts_with(&format!("-----> Cloning plugin repo {url} to ")),
        "{}",
        r.stdout
    );
    assert_hello_works(&e);
    assert_eq!(plugin_json(&e, "hello")["source_url"], url.as_str());
}

#[test]
fn git_plugins_pin_and_update() {
    let src = tempfile::tempdir().expect("tempdir");
    let repo = hello_repo(&src.path().join("hello"));
    let v1 = git(&repo, &["rev-parse", "HEAD"]);
    fs::write(repo.join("NOTES"), "two\n").expect("write");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "second"]);
    let two = git(&repo, &["rev-parse", "HEAD"]);

    let e = core_env();
    e.run(&[
        "plugin:install",
        repo.to_str().expect("utf8"),
        "--committish",
        "v1",
    ])
    .ok();
    let state = |e: &Env| {
        let j = plugin_json(e, "hello");
        (
            j["committish"].as_str().unwrap_or("").to_string(),
            j["branch"].as_str().unwrap_or("").to_string(),
        )
    };
    assert_eq!(state(&e), (v1.clone(), String::new()));
    // Later updates respect the pin.
    e.expect(&["plugin:update", "hello"], "Plugin (hello) updated\n");
    assert_eq!(state(&e), (v1.clone(), String::new()));
    assert!(!available(&e, "hello").join("NOTES").exists());
    // Naming a branch follows it again.
    e.expect(
        &["plugin:update", "hello", "main"],
        "Plugin (hello) updated\n",
    );
    assert_eq!(state(&e), (two, "main".to_string()));
    fs::write(repo.join("NOTES"), "three\n").expect("write");
    git(&repo, &["commit", "-qam", "third"]);
    let three = git(&repo, &["rev-parse", "HEAD"]);
    e.expect(&["plugin:update", "hello"], "Plugin (hello) updated\n");
    assert_eq!(state(&e), (three, "main".to_string()));
    assert_eq!(
        fs::read_to_string(available(&e, "hello").join("NOTES")).expect("read"),
        "three\n"
    );

    e.transcript(
        r#"
$ plugin:update apps
 !     Cannot trigger plugin:update against core plugin, please update Dokku instead
$ plugin:update nope
 !     Specified plugin not enabled or installed
"#,
    );
    let copy = hello_at(&src.path().join("copied"));
    e.run(&["plugin:install", &format!("file://{}", copy.display())])
        .ok();
    e.transcript(
        r#"
$ plugin:update copied
 !     Plugin (copied) is not a git-backed plugin and cannot be updated
$ plugin:update hello --upload-pack=touch
 !     Invalid committish specified
"#,
    );
}

#[test]
fn hello_sample_plugin_verbatim() {
    let e = with_hello();
    make_app(&e, "myapp");
    e.expect(&["hello:world"], "Hello world\n");
    let help = e.run(&["hello:help"]).ok().to_string();
    assert!(
        help.starts_with("Usage: dokku hello[:world] [<app>]\n\nSay Hello World.\n"),
        "{help}"
    );
    assert!(help.contains("Additional commands:\n"), "{help}");
    assert!(
        help.lines()
            .any(|l| l.trim_start().starts_with("hello:world")
                && l.ends_with("Says \"Hello world\"")),
        "{help}"
    );
    let all = e.run(&["help"]).ok().to_string();
    assert!(all.contains("Community plugin commands:\n\n    hello <app>   Says \"Hello <app>\"\n    hello:world   Says \"Hello world\"\n"), "{all}");
    // The sample puts the command name back in front of the arguments before
    // reading `$1`, so it greets `hello` whatever app is given.
    fail_code(&e.run(&["hello", "myapp"]), 20, "App hello does not exist");
    make_app(&e, "hello");
    e.expect(&["hello", "myapp"], "Hello hello\n");
}

#[test]
fn hello_plugin_reads_app_argument_and_flags() {
    let src = tempfile::tempdir().expect("tempdir");
    let dir = fixed_hello_at(&src.path().join("hello"));
    let e = core_env();
    e.run(&["plugin:install", dir.to_str().expect("utf8")]).ok();
    make_app(&e, "myapp");
    e.transcript(
        r#"
$ hello myapp
Hello myapp
$ --app myapp hello
Hello myapp
"#,
    );
    assert_eq!(
        e.cmd(&["hello"])
            .env("DOKKU_APP_NAME", "myapp")
            .output()
            .map(Run::from)
            .expect("run")
            .ok(),
        "Hello myapp\n"
    );
    fail(
        &e.run(&["hello"]),
        "Please specify an app to run the command on",
    );
    fail_code(&e.run(&["hello", "nope"]), 20, "App nope does not exist");
    fail(
        &e.run(&["hello", "Bad_App"]),
        "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens",
    );
}

#[test]
fn enable_disable_uninstall_installed() {
    let e = with_hello();

    e.expect(
        &["plugin:disable", "hello"],
        "-----> Plugin hello disabled\n",
    );
    assert!(fs::symlink_metadata(enabled(&e, "hello")).is_err());
    assert!(available(&e, "hello").is_dir());
    assert_eq!(e.run(&["plugin:installed", "hello"]).code, 0);
    assert!(e
        .run(&["plugin:list"])
        .ok()
        .lines()
        .any(|l| l == "  hello                0.1.0 disabled   dokku hello plugin"));
    assert_eq!(plugin_json(&e, "hello")["enabled"], false);
    let r = e.run(&["hello:world"]);
    assert_eq!(r.code, 1, "disabled plugins do not answer");
    e.transcript(
        r#"
$ plugin:disable hello
 !     Plugin already disabled
$ plugin:enable hello
-----> Plugin hello enabled
$ hello:world
Hello world
$ plugin:enable hello
 !     Plugin already enabled
$ plugin:enable nope
 !     Plugin does not exist
$ plugin:disable nope
 !     Plugin does not exist
$ plugin:enable
 !     Please specify a plugin to enable
$ plugin:disable
 !     Please specify a plugin to disable
$ plugin:uninstall
 !     Please specify a plugin to uninstall
$ plugin:disable apps
 !     Cannot disable a core plugin
$ plugin:uninstall apps
 !     Cannot uninstall a core plugin
$ plugin:enable apps
 !     Plugin already enabled
$ plugin:uninstall hello
-----> Plugin hello uninstalled
"#,
    );
    assert!(fs::symlink_metadata(available(&e, "hello")).is_err());
    assert!(fs::symlink_metadata(enabled(&e, "hello")).is_err());
    let r = e.run(&["plugin:installed", "hello"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (1, "", ""));
    assert_eq!(e.run(&["plugin:installed", "apps"]).code, 0);
    fail(
        &e.run(&["plugin:uninstall", "hello"]),
        "Plugin (hello) is not currently installed",
    );
    assert!(!e.run(&["plugin:list"]).ok().contains("hello"));
}

#[test]
fn invalid_sources_and_formats() {
    let e = Env::new();
    let before = e.state();
    let r = e.run(&["plugin:install", "ftp://example.com/x"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        " !     First argument must be --core or url to plugin\n !     Valid prefixes: https:, git:, ssh:, file:\n !     Valid suffixes: .tar.gz, .tgz\n !     Please retry with valid arguments\n"
    );
    e.transcript(
        r#"
$ plugin:list --format yaml
 !     Invalid output format specified, supported formats: json, stdout
$ plugin:list --format json
[]
"#,
    );
    assert_eq!(before, e.state());
}

#[test]
fn bad_names_are_refused_and_change_nothing() {
    let e = core_env();
    let url = format!("file://{}", fixture().display());
    let before = e.state();
    for name in ["../x", "", ".hidden", "a/b", "-x"] {
        fail(
            &e.run(&["plugin:install", &url, "--name", name]),
            "Invalid plugin name specified",
        );
    }
    for cmd in [
        "plugin:enable",
        "plugin:disable",
        "plugin:uninstall",
        "plugin:update",
    ] {
        fail(&e.run(&[cmd, "../x"]), "Invalid plugin name specified");
        fail(
            &e.run(&[cmd, "../../core-plugins/available/apps"]),
            "Invalid plugin name specified",
        );
    }
    assert_eq!(e.run(&["plugin:installed", "../available/apps"]).code, 1);
    fail(
        &e.run(&["plugin:trigger", "../../x"]),
        "Invalid plugin trigger call: ../../x",
    );
    assert_eq!(before, e.state());
}

#[test]
fn hostile_tarballs_leave_nothing_behind() {
    let src = tempfile::tempdir().expect("tempdir");
    let s = src.path();
    fs::create_dir_all(s.join("a/b")).expect("mkdir");
    fs::write(s.join("a/evil"), "x").expect("write");
    // `../evil` as a member name.
    tar(&s.join("a/b"), &["-czPf", "../../dotdot.tar.gz", "../evil"]);
    // An absolute member name.
    let abs = s.join("a/evil");
    tar(
        s,
        &["-czPf", "absolute.tar.gz", abs.to_str().expect("utf8")],
    );
    // Symlinks out of the tree.
    fs::create_dir_all(s.join("l1/hello")).expect("mkdir");
    std::os::unix::fs::symlink("/etc", s.join("l1/hello/etc")).expect("symlink");
    tar(&s.join("l1"), &["-czf", "../abslink.tgz", "hello"]);
    fs::create_dir_all(s.join("l2/hello")).expect("mkdir");
    std::os::unix::fs::symlink("../../../../etc", s.join("l2/hello/up")).expect("symlink");
    tar(&s.join("l2"), &["-czf", "../uplink.tgz", "hello"]);

    let e = core_env();
    let before = e.state();
    for (file, msg) in [
        (
            "dotdot.tar.gz",
            "Archive contains entries with parent directory traversal",
        ),
        (
            "absolute.tar.gz",
            "Archive contains entries with absolute paths",
        ),
        (
            "abslink.tgz",
            "Archive contains symlinks with absolute targets",
        ),
        (
            "uplink.tgz",
            "Archive contains symlinks pointing outside extraction directory",
        ),
    ] {
        let url = format!("file://{}", s.join(file).display());
        fail(&e.run(&["plugin:install", &url, "--name", "evil"]), msg);
        assert_eq!(before, e.state(), "{file}");
    }
    assert!(!e.lib().join("plugins/evil").exists());
    assert_eq!(
        fs::read_to_string(s.join("a/evil")).expect("untouched"),
        "x"
    );
}

#[test]
fn triggers_of_community_plugins() {
    let src = tempfile::tempdir().expect("tempdir");
    let t = src.path().join("trig");
    write_plugin_toml(&t, "trigger test plugin", "1.0.0");
    for name in [
        "post-create",
        "install",
        "dependencies",
        "update",
        "uninstall",
    ] {
        script(
            &t.join(name),
            &format!("printf '%s|' \"{name}\" \"$@\" >> \"$DOKKU_LIB_ROOT/trig.log\""),
        );
    }
    let e = Env::new();
    let log = e.lib().join("trig.log");
    let take = || {
        let s = fs::read_to_string(&log).unwrap_or_default();
        let _ = fs::remove_file(&log);
        s
    };
    core(&e);
    e.run(&[
        "plugin:install",
        &format!("file://{}", t.display()),
        "--skip-install-trigger",
    ])
    .ok();
    assert_eq!(take(), "");
    e.run(&["plugin:install"]).ok();
    assert_eq!(take(), "install|");
    e.run(&["plugin:install", "--core"]).ok();
    assert_eq!(take(), "", "--core runs core plugins only");
    e.run(&["plugin:install-dependencies"]).ok();
    assert_eq!(take(), "dependencies|");
    e.run(&["plugin:install-dependencies", "--core"]).ok();
    assert_eq!(take(), "");
    e.run(&["plugin:update"]).ok();
    assert_eq!(take(), "update|");
    e.run(&["plugin:trigger", "post-create", "x", "y z"]).ok();
    assert_eq!(take(), "post-create|x|y z|");
    plugn(&e, &["trigger", "post-create", "from-plugn"]).ok();
    assert_eq!(take(), "post-create|from-plugn|");

    // A freshly installed plugin's own install trigger runs too.
    let second = src.path().join("second");
    fs::create_dir_all(&second).expect("mkdir");
    script(
        &second.join("install"),
        "printf 'second-install|' >> \"$DOKKU_LIB_ROOT/trig.log\"",
    );
    e.run(&["plugin:install", second.to_str().expect("utf8")])
        .ok();
    assert_eq!(take(), "second-install|install|", "plugin name order");

    // Disabled plugins are not called; uninstall still reaches the plugin.
    e.transcript(
        r#"
$ plugin:disable trig
...
$ plugin:trigger post-create x
...
"#,
    );
    assert_eq!(take(), "");
    e.expect(
        &["plugin:uninstall", "trig"],
        "-----> Plugin trig uninstalled\n",
    );
    assert_eq!(take(), "uninstall|trig|");

    // A failing trigger fails the command with its exit code.
    script(&second.join("dependencies"), "exit 3");
    fs::copy(
        second.join("dependencies"),
        available(&e, "second").join("dependencies"),
    )
    .expect("copy");
    assert_eq!(e.run(&["plugin:install-dependencies"]).code, 3);
}

#[test]
fn bash_plugins_use_the_shell_library() {
    let src = tempfile::tempdir().expect("tempdir");
    let p = src.path().join("props");
    script(
        &p.join("subcommands/default"),
        r#"source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
APP="${2:-}"
verify_app_name "$APP"
fn-plugin-property-write props "$APP" greeting "hi $APP"
dokku_log_info1 "Stored"
dokku_log_verbose_quiet "$(fn-plugin-property-get props "$APP" greeting)"
dokku_log_warn "done""#,
    );
    fs::write(
        p.join("plugin.toml"),
        "[plugin]\ndescription = \"props\"\nversion = \"0.0.1\"\n",
    )
    .expect("write");
    let e = core_env();
    e.run(&["plugin:install", p.to_str().expect("utf8")]).ok();
    make_app(&e, "web");
    let r = e.run(&["props", "web"]);
    assert_eq!(r.ok(), "-----> Stored\n       hi web\n");
    assert_eq!(r.stderr, " !     done\n");
    assert_eq!(e.lib_file("config/props/web/greeting"), "hi web");
    e.expect(&["--quiet", "props", "web"], "-----> Stored\n");
    fail_code(&e.run(&["props", "nope"]), 20, "App nope does not exist");
}

#[test]
fn failed_clones_leave_nothing_behind() {
    let src = tempfile::tempdir().expect("tempdir");
    let repo = hello_repo(&src.path().join("hello"));
    let e = Env::new();
    let before = e.state();
    let r = e.run(&["plugin:install", "file:///nonexistent/repo.git"]);
    r.exits(
        128,
        Holds::OutStart("-----> Cloning plugin repo file:///nonexistent/repo.git to "),
    );
    assert_eq!(before, e.state());
    let r = e.run(&[
        "plugin:install",
        repo.to_str().expect("utf8"),
        "--committish",
        "no-such-ref",
    ]);
    assert_ne!(r.code, 0);
    assert_eq!(before, e.state());
    fail(
        &e.run(&[
            "plugin:install",
            repo.to_str().expect("utf8"),
            "--committish",
            "--upload-pack=x",
        ]),
        "Invalid committish specified",
    );
    assert_eq!(before, e.state());
}

#[test]
fn bash_plugins_reach_config_through_triggers() {
    let src = tempfile::tempdir().expect("tempdir");
    let p = src.path().join("cfg");
    script(
        &p.join("subcommands/default"),
        r#"source "$PLUGIN_AVAILABLE_PATH/config/functions"
APP="${2:-}"
config_set --no-restart "$APP" GREETING="hello world" OTHER=1 >/dev/null
printf 'get=%s\n' "$(config_get "$APP" GREETING)"
printf 'plugn=%s\n' "$(plugn trigger config-get "$APP" OTHER)"
eval "$(config_export app "$APP")"
printf 'exported=%s\n' "$GREETING"
config_unset --no-restart "$APP" OTHER >/dev/null
printf 'other=%s\n' "$(config_get "$APP" OTHER)""#,
    );
    let e = core_env();
    e.run(&["plugin:install", p.to_str().expect("utf8")]).ok();
    make_app(&e, "web");
    let mut c = e.cmd(&["cfg", "web"]);
    // `plugn` on PATH is this binary under plugn's name, as `make install` links it.
    let bin = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dokku"), bin.path().join("plugn"))
        .expect("link");
    c.env("PATH", path_with(&[bin.path()]));
    let r: Run = c.output().expect("run").into();
    assert_eq!(
        r.ok(),
        "get=hello world\nplugn=1\nexported=hello world\nother=\n"
    );
}
