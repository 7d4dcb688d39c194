//! The bash plugin API backed by the binary: the shell library sourced
//! from the installed core plugins, calling the helper programs
//! (`common/common`, `common/prop`, `config/config_sub`,
//! `nginx-vhosts/nginx-property`, `sigil`) that are links to the binary,
//! and the environment the entry point exports to plugins.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_core::property::Properties;
use dokku_core::Paths;

use crate::harness::path_with;
use crate::harness::write_plugin_toml;
use crate::harness::write_script;
use crate::harness::Holds;
use crate::harness::{Env, Run};

/// An installed Dokku (core plugins laid down) and a directory with the
/// `sigil` and `plugn` links `make install` puts on PATH.
struct Lib {
    e: Env,
    bin: PathBuf,
}

impl Lib {
    fn new() -> Self {
        let e = Env::new();
        e.expect(&["plugin:install", "--core"], "");
        let bin = e.dir.path().join("bin");
        fs::create_dir_all(&bin).expect("mkdir");
        for name in ["sigil", "plugn"] {
            std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dokku"), bin.join(name)).expect("link");
        }
        Lib { e, bin }
    }

    fn core(&self) -> PathBuf {
        self.e.lib().join("core-plugins/available")
    }

    fn paths(&self) -> Paths {
        Paths::for_roots(&self.e.root(), &self.e.lib())
    }

    /// A bash with the environment plugins get from the entry point.
    fn bash(&self, script: &str) -> Command {
        let exe_dir = Path::new(env!("CARGO_BIN_EXE_dokku"))
            .parent()
            .expect("dir")
            .to_path_buf();
        let path = path_with(&[&self.bin, &exe_dir]);
        let mut c = Command::new("bash");
        c.env_clear()
            .env("PATH", path)
            .env("HOME", self.e.dir.path())
            .env("DOKKU_ROOT", self.e.root())
            .env("DOKKU_LIB_ROOT", self.e.lib())
            .env("DOKKU_LOGS_DIR", self.e.dir.path().join("logs"))
            .env("DOKKU_SYSTEM_USER", "root")
            .env("DOKKU_SYSTEM_GROUP", "root")
            .env("DOKKU_DEFAULT_FILE", self.e.dir.path().join("no-default"))
            .env(
                "PLUGIN_AVAILABLE_PATH",
                self.e.lib().join("plugins/available"),
            )
            .env("PLUGIN_CORE_AVAILABLE_PATH", self.core())
            .args(["-c", script, "bash"])
            .stdin(Stdio::null());
        c
    }

    /// Source `plugin/file`, then call `f` with `args` (never through eval).
    fn call_in(&self, file: &str, f: &str, args: &[&str]) -> Run {
        self.bash("source \"$1\"; shift; \"$@\"")
            .arg(self.core().join(file))
            .arg(f)
            .args(args)
            .output()
            .expect("bash")
            .into()
    }

    fn call(&self, f: &str, args: &[&str]) -> Run {
        self.call_in("common/functions", f, args)
    }

    #[track_caller]
    fn ok(&self, f: &str, args: &[&str]) -> String {
        self.call(f, args).ok().to_string()
    }

    #[track_caller]
    fn code(&self, f: &str, args: &[&str]) -> i32 {
        let r = self.call(f, args);
        assert_eq!(
            (r.stdout.as_str(), r.stderr.as_str()),
            ("", ""),
            "{f} {args:?}"
        );
        r.code
    }

    /// Run a helper program by its installed path.
    fn helper(&self, rel: &str, args: &[&str]) -> Run {
        self.bash("exec \"$@\"")
            .arg(self.core().join(rel))
            .args(args)
            .output()
            .expect("helper")
            .into()
    }
}

fn fails(r: &Run, code: i32, msg: &str) {
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (code, "", format!(" !     {msg}\n").as_str()),
        "{r:?}"
    );
}

#[test]
fn helper_programs_are_links_to_the_binary() {
    let l = Lib::new();
    let exe = fs::canonicalize(env!("CARGO_BIN_EXE_dokku")).expect("exe");
    for rel in [
        "common/common",
        "common/prop",
        "config/config_sub",
        "nginx-vhosts/nginx-property",
    ] {
        let p = l.core().join(rel);
        assert!(
            fs::symlink_metadata(&p)
                .expect("stat")
                .file_type()
                .is_symlink(),
            "{rel}"
        );
        assert_eq!(fs::canonicalize(&p).expect("resolve"), exe, "{rel}");
    }
    // config is core: its helper is reached through the available tree too.
    assert!(l
        .e
        .lib()
        .join("plugins/available/config/config_sub")
        .exists());
    fails(
        &l.helper("common/common", &["bogus"]),
        1,
        "Invalid common command call: bogus",
    );
}

#[test]
fn app_checks_go_through_the_common_helper() {
    let l = Lib::new();
    l.e.create_app("web");
    assert_eq!(l.ok("verify_app_name", &["web"]), "");
    fails(
        &l.call("verify_app_name", &["nope"]),
        20,
        "App nope does not exist",
    );
    fails(
        &l.call("verify_app_name", &["old_name"]),
        20,
        "App old_name does not exist",
    );
    fails(
        &l.call("verify_app_name", &[""]),
        1,
        "Please specify an app to run the command on",
    );
    assert_eq!(l.code("fn-is-valid-app-name", &["web-1.x"]), 0);
    assert_eq!(l.code("fn-is-valid-app-name", &["a_b"]), 1);
    assert_eq!(l.code("fn-is-valid-app-name-old", &["a_b"]), 0);
    assert_eq!(l.code("fn-is-valid-app-name-old", &["A"]), 1);
    fails(
        &l.call("fn-is-valid-app-name", &[""]),
        1,
        "Please specify an app to run the command on",
    );
    let rule = "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens";
    fails(&l.call("is_valid_app_name", &["a_b"]), 1, rule);
    fails(&l.call("verify_app_name", &["Bad_Name"]), 1, rule);
    assert_eq!(l.ok("is_valid_app_name_old", &["a_b"]), "");
    fails(&l.call("is_valid_app_name_old", &["-a"]), 1, rule);
    assert_eq!(l.ok("is_valid_app_name", &["ok"]), "");

    l.e.create_app("alpha");
    assert_eq!(l.ok("dokku_apps", &[]), "alpha\nweb\n");
    assert_eq!(l.ok("get_app_scheduler", &["web"]), "docker-local\n");
    l.e.run(&["scheduler:set", "web", "selected", "null"]).ok();
    assert_eq!(l.ok("get_app_scheduler", &["web"]), "null\n");
    assert_eq!(l.code("is_deployed", &["alpha"]), 1);
    assert_eq!(l.code("fn-plugn-trigger-exists", &["post-create"]), 0);
    assert_eq!(l.code("fn-plugn-trigger-exists", &["no-such-trigger"]), 1);
    // A community plugin's trigger counts.
    let p = l.e.lib().join("plugins/available/spy");
    write_plugin_toml(&p, "x", "1");
    write_script(&p.join("my-hook"), "#!/bin/sh\n");
    std::os::unix::fs::symlink(&p, l.e.lib().join("plugins/enabled/spy")).expect("link");
    assert_eq!(l.code("fn-plugn-trigger-exists", &["my-hook"]), 0);
    // dokku_apps lists what user-auth-app lets the user see.
    write_script(
        &p.join("user-auth-app"),
        "#!/bin/sh
shift 2
for a in \"$@\"; do [ \"$a\" = alpha ] && echo \"$a\"; done
exit 0
",
    );
    assert_eq!(l.ok("dokku_apps", &[]), "alpha\n");
    assert_eq!(l.ok("dokku_apps", &["false"]), "alpha\nweb\n");
}

#[test]
fn no_apps_is_a_failure() {
    let l = Lib::new();
    fails(
        &l.call("dokku_apps", &[]),
        1,
        "You haven't deployed any applications yet",
    );
}

#[test]
fn properties_share_the_core_layout() {
    let l = Lib::new();
    let paths = l.paths();
    let props = Properties::new(&paths, "hello");
    assert_eq!(l.ok("fn-plugin-property-setup", &["hello"]), "");
    assert!(paths.plugin_config_dir("hello").is_dir());
    assert_eq!(l.ok("fn-plugin-property-setup-app", &["hello", "web"]), "");
    assert!(paths.property_dir("hello", "web").is_dir());

    l.ok(
        "fn-plugin-property-write",
        &["hello", "web", "greeting", "hi there\nsecond line"],
    );
    assert_eq!(
        props.get("web", "greeting").expect("get").as_deref(),
        Some("hi there\nsecond line")
    );
    let file = paths.property_dir("hello", "web").join("greeting");
    assert_eq!(fs::read(&file).expect("read"), b"hi there\nsecond line");
    assert_eq!(
        fs::metadata(&file).expect("stat").permissions().mode() & 0o777,
        0o600
    );
    props.write("--global", "mode", "strict").expect("write");
    assert_eq!(
        l.ok("fn-plugin-property-get", &["hello", "--global", "mode"]),
        "strict\n"
    );
    assert_eq!(
        l.ok(
            "fn-plugin-property-get",
            &["hello", "web", "nope", "fallback"]
        ),
        "fallback\n"
    );
    assert_eq!(
        l.ok("fn-plugin-property-get", &["hello", "web", "nope"]),
        ""
    );
    assert_eq!(
        l.ok(
            "fn-plugin-property-get-default",
            &["hello", "web", "nope", "d"]
        ),
        "d\n"
    );
    assert_eq!(
        l.code("fn-plugin-property-exists", &["hello", "web", "greeting"]),
        0
    );
    assert_eq!(
        l.code("fn-plugin-property-exists", &["hello", "web", "nope"]),
        1
    );
    l.ok("fn-plugin-property-write", &["hello", "web", "other", "1"]);
    assert_eq!(
        l.ok("fn-plugin-property-get-all", &["hello", "web"]),
        "greeting hi there\nsecond line\nother 1\n"
    );
    assert_eq!(
        l.ok(
            "fn-plugin-property-get-all-by-prefix",
            &["hello", "web", "oth"]
        ),
        "other 1\n"
    );
    l.ok("fn-plugin-property-delete", &["hello", "web", "greeting"]);
    l.ok("fn-plugin-property-delete", &["hello", "web", "greeting"]);
    assert_eq!(props.get("web", "greeting").expect("get"), None);

    // Lists.
    for v in ["one", " three "] {
        l.ok("fn-plugin-property-list-add", &["hello", "web", "items", v]);
    }
    l.ok(
        "fn-plugin-property-list-add",
        &["hello", "web", "items", "two", "2"],
    );
    l.ok(
        "fn-plugin-property-list-add",
        &["hello", "web", "items", "four", "9"],
    );
    assert_eq!(
        props.list_get("web", "items").expect("list"),
        vec!["one", "two", "three", "four"]
    );
    assert_eq!(
        l.ok("fn-plugin-property-list-length", &["hello", "web", "items"]),
        "4\n"
    );
    assert_eq!(
        l.ok("fn-plugin-property-list-length", &["hello", "web", "none"]),
        "0\n"
    );
    assert_eq!(
        l.ok(
            "fn-plugin-property-list-get-by-index",
            &["hello", "web", "items", "1"]
        ),
        "two\n"
    );
    let r = l.call(
        "fn-plugin-property-list-get-by-index",
        &["hello", "web", "items", "9"],
    );
    assert_eq!((r.code, r.stderr.as_str()), (1, "Index not found\n"));
    let r = l.call(
        "fn-plugin-property-list-get-by-index",
        &["hello", "web", "items", ""],
    );
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (1, "", ""));
    assert_eq!(
        l.code(
            "fn-plugin-property-list-get-by-value",
            &["hello", "web", "items", "two"]
        ),
        0
    );
    let r = l.call(
        "fn-plugin-property-list-get-by-value",
        &["hello", "web", "items", "x"],
    );
    assert_eq!((r.code, r.stderr.as_str()), (1, "Value not found\n"));
    l.ok(
        "fn-plugin-property-list-set",
        &["hello", "web", "items", " TWO ", "1"],
    );
    l.ok(
        "fn-plugin-property-list-set",
        &["hello", "web", "items", "five", "7"],
    );
    let r = l.call(
        "fn-plugin-property-list-set",
        &["hello", "web", "items", "x", ""],
    );
    assert_eq!((r.code, r.stderr.as_str()), (1, ""));
    assert_eq!(
        l.ok("fn-plugin-property-list-get", &["hello", "web", "items"]),
        "one\nTWO\nthree\nfour\nfive\n"
    );
    l.ok(
        "fn-plugin-property-list-remove",
        &["hello", "web", "items", "TWO"],
    );
    let r = l.call(
        "fn-plugin-property-list-remove",
        &["hello", "web", "items", "absent"],
    );
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Property not found, nothing was removed\n")
    );
    l.ok(
        "fn-plugin-property-list-remove-by-prefix",
        &["hello", "web", "items", "f"],
    );
    assert_eq!(
        props.list_get("web", "items").expect("list"),
        vec!["one", "three"]
    );
    props
        .list_write("web", "items", &["a".into(), "b".into()])
        .expect("write");
    assert_eq!(
        l.ok("fn-plugin-property-list-get", &["hello", "web", "items"]),
        "a\nb\n"
    );
    // lwrite has no wrapper.
    let r = l.helper(
        "common/prop",
        &["lwrite", "hello", "web", "items", "x", "y z"],
    );
    assert_eq!(r.ok(), "");
    assert_eq!(
        props.list_get("web", "items").expect("list"),
        vec!["x", "y z"]
    );

    l.ok("fn-plugin-property-clone", &["hello", "web", "copy"]);
    assert_eq!(
        props.list_get("copy", "items").expect("list"),
        vec!["x", "y z"]
    );
    l.ok("fn-plugin-property-destroy", &["hello", "web"]);
    assert!(!paths.property_dir("hello", "web").exists());
    assert!(paths.property_dir("hello", "copy").exists());
    l.ok("fn-plugin-property-destroy", &["hello", "_all_"]);
    assert!(!paths.plugin_config_dir("hello").exists());
}

#[test]
fn property_paths_cannot_escape() {
    let l = Lib::new();
    let before = l.e.state();
    for args in [
        ["..", "web", "k", "v"],
        ["hello", "..", "k", "v"],
        ["hello", "web", "../k", "v"],
        ["hello", "", "k", "v"],
    ] {
        let r = l.call("fn-plugin-property-write", &args);
        r.exits(1, Holds::ErrStart(" !     Invalid "));
    }
    assert_eq!(l.e.state(), before);
}

#[test]
fn migrate_config_to_property_moves_env_vars() {
    let l = Lib::new();
    l.e.create_app("web");
    l.e.create_app("other");
    l.e.run(&["config:set", "--no-restart", "web", "DOKKU_OLD=1"])
        .ok();
    l.e.run(&["config:set", "--global", "DOKKU_OLD_GLOBAL=off"])
        .ok();
    let r = l.helper(
        "common/prop",
        &[
            "migrate-config-to-property",
            "thing",
            "setting",
            "DOKKU_OLD",
            "--global-config-var",
            "DOKKU_OLD_GLOBAL",
        ],
    );
    r.ok();
    let paths = l.paths();
    let props = Properties::new(&paths, "thing");
    assert_eq!(
        props.get("web", "setting").expect("get").as_deref(),
        Some("1")
    );
    assert_eq!(props.get("other", "setting").expect("get"), None);
    assert_eq!(
        props.get("--global", "setting").expect("get").as_deref(),
        Some("off")
    );
    assert_eq!(l.e.run(&["config:get", "web", "DOKKU_OLD"]).code, 1);
    assert_eq!(
        l.e.run(&["config:get", "--global", "DOKKU_OLD_GLOBAL"])
            .code,
        1
    );
    // The deprecated bash wrapper does the same.
    l.e.run(&["config:set", "--no-restart", "other", "DOKKU_OLD=2"])
        .ok();
    l.ok(
        "fn-migrate-config-to-property",
        &["thing", "setting", "DOKKU_OLD"],
    );
    assert_eq!(
        props.get("other", "setting").expect("get").as_deref(),
        Some("2")
    );
}

#[test]
fn config_functions_wrap_the_config_operations() {
    let l = Lib::new();
    l.e.create_app("web");
    let c = |f: &str, args: &[&str]| l.call_in("config/functions", f, args);
    c("config_set", &["--no-restart", "web", "A=1", "B=it's"]).ok();
    assert_eq!(c("config_get", &["web", "A"]).ok(), "1\n");
    let r = c("config_get", &["web", "NOPE"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert_eq!(
        c("config_export", &["app", "web"]).ok(),
        "export A='1'\nexport B='it'\\''s'\n"
    );
    c("config_set", &["--global", "G=x"]).ok();
    assert_eq!(c("config_get", &["--global", "G"]).ok(), "x\n");
    assert_eq!(c("config_export", &["global"]).ok(), "export G='x'\n");
    assert_eq!(
        c("config_export", &["app", "web", "--format", "shell"]).ok(),
        "A='1' B='it'\\''s' "
    );
    assert_eq!(c("config_keys", &["web"]).ok(), "A\nB\n");
    assert_eq!(
        c("config_all", &["web"]).ok(),
        l.e.run(&["config:show", "web"]).ok()
    );
    assert_eq!(
        c("config_all", &["config", "web"]).ok(),
        l.e.run(&["config:show", "web"]).ok()
    );
    c("config_unset", &["--no-restart", "web", "A"]).ok();
    assert_eq!(c("config_keys", &["web"]).ok(), "B\n");
    c("fn-config-set", &["web", "true", "C=3"]).ok();
    assert_eq!(c("config_get", &["web", "C"]).ok(), "3\n");
    c("config_clear", &["--no-restart", "web"]).ok();
    assert_eq!(c("config_keys", &["web"]).ok(), "");
    c("config_set", &["--no-restart", "web", "D=4"]).ok();
    assert!(!c("config_bundle", &["web"]).ok().is_empty());
    let r = l.helper("config/config_sub", &["import"]);
    fails(&r, 1, "Invalid config subcommand: import");
}

#[test]
fn sigil_renders_go_templates() {
    let l = Lib::new();
    let t = l.e.dir.path().join("t.sigil");
    fs::write(
        &t,
        "{{ $.APP }} {{ .PORT | default \"80\" }} {{ var \"PLAIN\" }} {{ $.PLAIN }}\n\n\n$PLAIN\n",
    )
    .expect("write");
    let sigil = |args: &[&str]| -> Run {
        l.bash("sigil \"$@\"")
            .env("PLAIN", "env-value")
            .args(args)
            .output()
            .expect("sigil")
            .into()
    };
    let t = t.display().to_string();
    assert_eq!(
        sigil(&["-f", &t, "APP=web", "PORT="]).ok(),
        "web 80 env-value env-value\n\n\n$PLAIN\n"
    );
    assert_eq!(
        sigil(&["-p", "-f", &t, "APP=web", "PLAIN=arg"]).ok(),
        "web 80 arg arg\n\n\narg\n"
    );
    assert_eq!(sigil(&["-i", "{{ .A }}", "A=b"]).ok(), "b");
    assert_eq!(sigil(&["-v"]).ok(), "0.12.1\n");
    let r: Run = l
        .bash("echo '{{ .K }}' | sigil K=stdin")
        .output()
        .expect("sigil")
        .into();
    assert_eq!(r.ok(), "stdin\n");
    let r = sigil(&["-i", "{{ if }"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(!r.stderr.is_empty());
    let r = sigil(&["-i", "{{ sh \"id\" }}"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
}

#[test]
fn nginx_property_prints_app_global_and_computed_values() {
    let l = Lib::new();
    l.e.create_app("web");
    let p = |args: &[&str]| {
        l.helper("nginx-vhosts/nginx-property", args)
            .ok()
            .to_string()
    };
    assert_eq!(p(&["--app", "web", "client-max-body-size"]), "");
    assert_eq!(
        p(&["--app", "web", "--computed", "client-max-body-size"]),
        "1m"
    );
    l.e.run(&["nginx:set", "--global", "client-max-body-size", "5m"])
        .ok();
    assert_eq!(p(&["--global", "client-max-body-size"]), "5m");
    assert_eq!(
        p(&["--app", "web", "--computed", "client-max-body-size"]),
        "5m"
    );
    l.e.run(&["nginx:set", "web", "client-max-body-size", "9m"])
        .ok();
    assert_eq!(p(&["--app", "web", "client-max-body-size"]), "9m");
    let n = |f: &str| {
        l.call_in("nginx-vhosts/functions", f, &["web"])
            .ok()
            .to_string()
    };
    assert_eq!(n("fn-nginx-client-max-body-size"), "9m");
    assert_eq!(n("fn-nginx-computed-client-max-body-size"), "9m");
    assert_eq!(n("fn-nginx-global-client-max-body-size"), "5m");
    assert_eq!(n("fn-nginx-computed-hsts"), "true");
}

#[test]
fn other_plugins_read_properties_and_config() {
    let l = Lib::new();
    l.e.create_app("web");
    let ck = |f: &str, p: &str| {
        l.call_in("checks/functions", f, &["web", p])
            .ok()
            .to_string()
    };
    assert_eq!(ck("is_app_proctype_checks_disabled", "web"), "false\n");
    l.e.run(&["checks:disable", "web", "worker,web"]).ok();
    assert_eq!(ck("is_app_proctype_checks_disabled", "web"), "true\n");
    assert_eq!(ck("is_app_proctype_checks_disabled", "cron"), "false\n");
    assert_eq!(ck("is_app_proctype_checks_skipped", "web"), "false\n");
    l.e.run(&["checks:skip", "web"]).ok();
    assert_eq!(ck("is_app_proctype_checks_skipped", "cron"), "true\n");

    let d = |f: &str, args: &[&str]| l.call_in("domains/functions", f, args).ok().to_string();
    assert_eq!(d("is_app_vhost_enabled", &["web"]), "true\n");
    assert_eq!(d("is_global_vhost_enabled", &[]), "false\n");
    l.e.run(&["domains:set-global", "dokku.me"]).ok();
    assert_eq!(d("is_global_vhost_enabled", &[]), "true\n");
    assert_eq!(d("get_global_vhosts", &[]), "dokku.me\n");
    assert_eq!(d("get_default_vhosts", &["web"]), "web.dokku.me\n");
    l.e.run(&["domains:disable", "web"]).ok();
    assert_eq!(d("is_app_vhost_enabled", &["web"]), "false\n");
    assert_eq!(d("get_app_domains", &["web"]), "");

    let g = |f: &str, args: &[&str]| l.call_in("git/functions", f, args).ok().to_string();
    assert_eq!(g("fn-git-computed-deploy-branch", &["web"]), "master\n");
    l.e.run(&["git:set", "--global", "deploy-branch", "main"])
        .ok();
    assert_eq!(g("fn-git-computed-deploy-branch", &["web"]), "main\n");
    l.e.run(&["git:set", "web", "deploy-branch", "prod"]).ok();
    assert_eq!(g("fn-git-computed-deploy-branch", &["web"]), "prod\n");
    assert_eq!(g("fn-git-computed-keep-git-dir", &["web"]), "false\n");

    let h = l.call_in(
        "builder-herokuish/functions",
        "fn-has-buildpack-env",
        &["web"],
    );
    assert_eq!(h.code, 1);
    l.e.run(&["config:set", "--no-restart", "web", "BUILDPACK_URL=x"])
        .ok();
    let h = l.call_in(
        "builder-herokuish/functions",
        "fn-has-buildpack-env",
        &["web"],
    );
    assert_eq!(h.code, 0);
}

#[test]
fn archives_are_checked_before_extraction() {
    let l = Lib::new();
    let base = l.e.dir.path().join("a");
    fs::create_dir_all(base.join("src/sub")).expect("mkdir");
    fs::write(base.join("src/sub/f"), "hi").expect("write");
    let tar = base.join("ok.tar");
    let ok = Command::new("tar")
        .arg("-cf")
        .arg(&tar)
        .arg("-C")
        .arg(base.join("src"))
        .arg("sub")
        .status()
        .expect("tar");
    assert!(ok.success());
    assert_eq!(l.ok("fn-archive-computed-max-size", &[]), "1073741824\n");
    assert_eq!(l.ok("fn-archive-computed-max-files", &[]), "10000\n");
    let dest = base.join("out");
    let (t, d) = (tar.display().to_string(), dest.display().to_string());
    assert_eq!(l.ok("fn-archive-extract-tar", &[&t, &d, "tar"]), "");
    assert_eq!(fs::read_to_string(dest.join("sub/f")).expect("read"), "hi");

    // Over the configured limits.
    let paths = l.paths();
    let props = Properties::new(&paths, "git");
    props
        .write("--global", "archive-max-files", "1")
        .expect("write");
    assert_eq!(l.ok("fn-archive-computed-max-files", &[]), "1\n");
    let r = l.call("fn-archive-check-bomb-protection", &[&t, "tar"]);
    r.exits(
        1,
        Holds::ErrEnd(" !     Archive contains 2 entries which exceeds the maximum of 1\n"),
    );
    props
        .delete("--global", "archive-max-files")
        .expect("delete");
    props
        .write("--global", "archive-max-size", "1")
        .expect("write");
    let r = l.call("fn-archive-check-bomb-protection", &[&t, "tar"]);
    assert!(
        r.stderr
            .ends_with(" !     Archive exceeds maximum allowed size of 1 bytes\n"),
        "{}",
        r.stderr
    );
    props
        .delete("--global", "archive-max-size")
        .expect("delete");

    // An absolute member is refused before anything is extracted.
    let evil = base.join("evil.tar");
    let ok = Command::new("tar")
        .args(["-P", "-cf"])
        .arg(&evil)
        .arg(base.join("src/sub/f"))
        .status()
        .expect("tar");
    assert!(ok.success());
    let dest2 = base.join("out2");
    let r = l.call(
        "fn-archive-extract-tar",
        &[
            &evil.display().to_string(),
            &dest2.display().to_string(),
            "tar",
        ],
    );
    r.exits(1, Holds::Err(" !     "));
    assert!(!dest2.exists());

    // From stdin.
    let dest3 = base.join("out3");
    let r: Run = l
        .bash("source \"$1\"; fn-archive-extract-tar-stdin \"$2\" < \"$3\"")
        .arg(l.core().join("common/functions"))
        .arg(&dest3)
        .arg(&tar)
        .output()
        .expect("bash")
        .into();
    r.ok();
    assert_eq!(fs::read_to_string(dest3.join("sub/f")).expect("read"), "hi");
}

/// A community plugin whose command prints the environment it got.
fn env_plugin(e: &Env) {
    let p = e.lib().join("plugins/available/envdump");
    write_plugin_toml(&p, "x", "1");
    write_script(
        &p.join("commands"),
        "#!/usr/bin/env bash\n[[ \"$1\" == envdump ]] || exit 10\nenv | LC_ALL=C sort\n",
    );
    std::os::unix::fs::symlink(&p, e.lib().join("plugins/enabled/envdump")).expect("link");
}

fn env_of(r: &Run) -> std::collections::BTreeMap<String, String> {
    r.ok()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn plugins_get_the_entry_point_environment() {
    let l = Lib::new();
    env_plugin(&l.e);
    let vars = env_of(&l.e.run(&["envdump", "--x", "y"]));
    let root = l.e.root().display().to_string();
    let lib = l.e.lib().display().to_string();
    let logs = l.e.dir.path().join("logs").display().to_string();
    let labels = "--label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=dokku";
    for (k, v) in [
        ("DOCKER_BIN", "docker".to_string()),
        ("DOKKU_ROOT", root.clone()),
        ("DOKKU_HOST_ROOT", root.clone()),
        ("DOKKU_LIB_ROOT", lib.clone()),
        ("PLUGIN_PATH", format!("{lib}/plugins")),
        ("PLUGIN_AVAILABLE_PATH", format!("{lib}/plugins/available")),
        ("PLUGIN_ENABLED_PATH", format!("{lib}/plugins/enabled")),
        ("PLUGIN_CORE_PATH", format!("{lib}/core-plugins")),
        (
            "PLUGIN_CORE_AVAILABLE_PATH",
            format!("{lib}/core-plugins/available"),
        ),
        (
            "PLUGIN_CORE_ENABLED_PATH",
            format!("{lib}/core-plugins/enabled"),
        ),
        ("DOKKU_IMAGE", "gliderlabs/herokuish:latest-24".into()),
        ("DOKKU_CNB_BUILDER", "heroku/builder:24".into()),
        ("DOKKU_SYSTEM_USER", "root".into()),
        ("DOKKU_SYSTEM_GROUP", "root".into()),
        ("DOKKU_API_VERSION", "1".into()),
        ("DOKKU_NOT_IMPLEMENTED_EXIT", "10".into()),
        ("DOKKU_VALID_EXIT", "0".into()),
        ("DOKKU_LOGS_DIR", logs.clone()),
        ("DOKKU_LOGS_HOST_DIR", logs.clone()),
        ("DOKKU_EVENTS_LOGFILE", format!("{logs}/events.log")),
        ("DOKKU_CONTAINER_LABEL", "dokku".into()),
        ("DOKKU_GLOBAL_BUILD_ARGS", labels.into()),
        ("DOKKU_GLOBAL_RUN_ARGS", labels.into()),
        ("DOKKU_GLOBAL_FLAGS", "--x".into()),
    ] {
        assert_eq!(vars.get(k), Some(&v), "{k}");
    }
    let distro = fs::read_to_string("/etc/os-release")
        .expect("os-release")
        .lines()
        .find_map(|l| {
            l.strip_prefix("ID=")
                .map(|v| v.trim_matches('"').to_string())
        })
        .expect("ID");
    assert_eq!(vars.get("DOKKU_DISTRO"), Some(&distro));
    assert!(vars["DOKKU_PID"].parse::<u32>().is_ok());

    // Defaults yield to the environment and rc files, except the fixed ones.
    let r: Run =
        l.e.cmd(&["--quiet", "envdump"])
            .env("DOKKU_IMAGE", "mine")
            .env("DOKKU_HOST_ROOT", "/host")
            .env("DOKKU_API_VERSION", "7")
            .env("DOKKU_CONTAINER_LABEL", "other")
            .env("DOKKU_DISTRO", "plan9")
            .output()
            .expect("run")
            .into();
    let vars = env_of(&r);
    assert_eq!(vars["DOKKU_IMAGE"], "mine");
    assert_eq!(vars["DOKKU_HOST_ROOT"], "/host");
    assert_eq!(vars["DOKKU_API_VERSION"], "1");
    assert_eq!(vars["DOKKU_CONTAINER_LABEL"], "dokku");
    assert_eq!(vars["DOKKU_DISTRO"], distro);
    assert_eq!(vars["DOKKU_GLOBAL_FLAGS"], "--quiet");
    assert_eq!(vars["DOKKU_QUIET_OUTPUT"], "1");
    // The three switches count wherever they stand.
    let vars = env_of(&l.e.run(&["envdump", "x", "--trace", "--force", "--quiet"]));
    assert_eq!(
        (
            vars["DOKKU_TRACE"].as_str(),
            vars["DOKKU_APPS_FORCE_DELETE"].as_str(),
            vars["DOKKU_QUIET_OUTPUT"].as_str(),
            vars["DOKKU_GLOBAL_FLAGS"].as_str()
        ),
        ("1", "1", "1", "--trace --force --quiet")
    );
    fs::write(
        l.e.root().join("dokkurc"),
        "export DOKKU_CNB_BUILDER=rc/builder\n",
    )
    .expect("w");
    let vars = env_of(&l.e.run(&["envdump"]));
    assert_eq!(vars["DOKKU_CNB_BUILDER"], "rc/builder");
    assert_eq!(vars["DOKKU_GLOBAL_FLAGS"], "");
}

#[test]
fn lib_root_follows_dokku_lib_path() {
    let l = Lib::new();
    env_plugin(&l.e);
    let r: Run =
        l.e.cmd(&["envdump"])
            .env_remove("DOKKU_LIB_ROOT")
            .env("DOKKU_LIB_PATH", l.e.lib())
            .output()
            .expect("run")
            .into();
    let vars = env_of(&r);
    assert_eq!(vars["DOKKU_LIB_ROOT"], l.e.lib().display().to_string());
}

#[test]
fn image_and_container_functions_use_the_engine() {
    use dokku_docker::{ContainerEngine, ContainerFilter, ContainerSpec};
    let app = crate::harness::EngineApp::new("shlib-engine");
    app.build_httpd("hello-shlib", "", "");
    let l = Lib::new();
    l.e.create_app(&app.name);
    let image = format!("dokku/{}:latest", app.name);
    assert_eq!(
        l.ok("get_image_builder_type", &[&image, &app.name]),
        "dockerfile\n"
    );
    assert_eq!(l.ok("get_image_builder_type", &[""]), "dockerfile\n");
    assert_eq!(l.code("is_image_herokuish_based", &[&image, &app.name]), 1);
    assert_eq!(l.code("is_image_cnb_based", &[&image]), 1);
    assert_eq!(
        l.ok("get_app_image_name", &[&app.name, "latest"]),
        format!("{image}\n")
    );
    fails(
        &l.call("get_app_image_name", &[&app.name, "nope"]),
        1,
        &format!("App image (dokku/{}:nope) not found", app.name),
    );
    assert_eq!(l.code("fn-verify-app-image", &[&app.name, &image]), 0);
    let r = l.call("verify_image", &[&image]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            " !     Deprecated: please use 'fn-verify-app-image' instead of 'verify_image'\n"
        )
    );
    assert_eq!(
        l.ok("get_deploying_app_image_name", &[&app.name]),
        format!("{image}\n")
    );
    assert_eq!(l.code("fn-force-arm64-image", &[&image]), 1);
    assert!(!l.ok("get_docker_version", &[]).trim().is_empty());
    // copy_dir_from_image copies a whole directory.
    let dir_dst = l.e.dir.path().join("www");
    let r: Run = l
        .bash("source \"$1\"; APP=\"$2\" copy_dir_from_image \"$3\" /www \"$4\"")
        .arg(l.core().join("common/functions"))
        .arg(&app.name)
        .arg(&image)
        .arg(&dir_dst)
        .output()
        .expect("bash")
        .into();
    r.ok();
    assert_eq!(
        fs::read_to_string(dir_dst.join("index.html")).expect("copied"),
        "hello-shlib\n"
    );
    // copy_from_image reads the caller's APP for its label.
    let dst = l.e.dir.path().join("index.html");
    let r: Run = l
        .bash("source \"$1\"; APP=\"$2\" copy_from_image \"$3\" /www/index.html \"$4\"")
        .arg(l.core().join("common/functions"))
        .arg(&app.name)
        .arg(&image)
        .arg(&dst)
        .output()
        .expect("bash")
        .into();
    r.ok();
    assert_eq!(fs::read_to_string(&dst).expect("copied"), "hello-shlib\n");

    // A stopped container of the app is cleaned up; a running one stays.
    let labels = std::collections::BTreeMap::from([
        ("com.dokku.app-name".to_string(), app.name.clone()),
        ("dokku".to_string(), String::new()),
    ]);
    let spec = |cmd: &[&str]| ContainerSpec {
        image: image.clone(),
        cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
        labels: labels.clone(),
        ..ContainerSpec::default()
    };
    let done = app
        .engine
        .create_container(&spec(&["true"]))
        .expect("create");
    app.engine.start_container(&done).expect("start");
    app.engine.wait_container(&done).expect("wait");
    let running = app
        .engine
        .create_container(&spec(&["sleep", "60"]))
        .expect("create");
    app.engine.start_container(&running).expect("start");
    assert_eq!(l.code("is_container_status", &[&running, "Running"]), 0);
    let talk = app
        .engine
        .create_container(&spec(&["sh", "-c", "echo one; echo two >&2"]))
        .expect("create");
    app.engine.start_container(&talk).expect("start");
    app.engine.wait_container(&talk).expect("wait");
    // stdout and stderr both, each line indented (their order across
    // the two streams is the engine's).
    let mut lines: Vec<String> = l
        .ok("dokku_container_log_verbose_quiet", &[&talk])
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    assert_eq!(lines, vec!["       one", "       two"]);
    let r: Run = l
        .bash("source \"$1\"; dokku_container_log_verbose_quiet \"$2\"")
        .arg(l.core().join("common/functions"))
        .arg(&talk)
        .env("DOKKU_QUIET_OUTPUT", "1")
        .output()
        .expect("bash")
        .into();
    assert_eq!(r.ok(), "");
    assert_eq!(l.code("is_container_status", &[&done, "Running"]), 1);
    let r: Run = l
        .bash("source \"$1\"; docker_cleanup \"$2\"")
        .arg(l.core().join("common/functions"))
        .arg(&app.name)
        .env("DOKKU_SKIP_CLEANUP", "true")
        .output()
        .expect("bash")
        .into();
    assert_eq!(
        r.ok(),
        "-----> DOKKU_SKIP_CLEANUP set. Skipping dokku cleanup\n"
    );
    assert_eq!(
        l.ok("docker_cleanup", &[&app.name]),
        "-----> Cleaning up...\n"
    );
    let left: Vec<String> = app
        .engine
        .list_containers(&ContainerFilter::label(format!(
            "com.dokku.app-name={}",
            app.name
        )))
        .expect("list")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, vec![running.clone()]);
    app.engine.remove_container(&running, true).expect("rm");
}

#[test]
fn build_capture_tees_the_rest_of_the_output_into_the_build_log() {
    let l = Lib::new();
    l.e.create_app("web");
    let r: Run = l
        .bash(
            "source \"$1\"; dokku_setup_build_capture web git-hook; \
             echo \"$DOKKU_REDIRECT_OUTPUT $DOKKU_BUILD_ID $DOKKU_BUILD_SOURCE $DOKKU_BUILD_LOG_FILE\"; \
             echo to-stderr >&2",
        )
        .arg(l.core().join("common/functions"))
        .env("DOKKU_PID", "4711")
        .output()
        .expect("bash")
        .into();
    // The id is the builds plugin's (`builds-generate-id`).
    let out = r.ok().to_string();
    let first = out.lines().next().expect("line").to_string();
    let words: Vec<&str> = first.split(' ').collect();
    assert_eq!(words.len(), 4, "{first}");
    let id = words[1];
    let log = l.e.lib().join(format!("data/builds/web/{id}.log"));
    assert!(!id.is_empty());
    assert_eq!(
        (words[0], words[2], words[3]),
        ("true", "git-hook", log.display().to_string().as_str())
    );
    assert_eq!(out, format!("{first}\nto-stderr\n"));
    assert_eq!(
        fs::read_to_string(&log).expect("log"),
        format!("{first}\nto-stderr\n")
    );
    // Already capturing, or no app: nothing happens.
    let r: Run = l
        .bash("source \"$1\"; dokku_setup_build_capture ''; echo \"[$DOKKU_BUILD_ID]\"")
        .arg(l.core().join("common/functions"))
        .output()
        .expect("bash")
        .into();
    assert_eq!(r.ok(), "[]\n");
}

#[test]
fn auth_runs_user_auth_only_when_a_plugin_answers_it() {
    let l = Lib::new();
    let r: Run = l
        .bash(
            "source \"$1\"; dokku_auth apps:list x; echo \"$?|$SSH_USER|$SSH_NAME|$DOKKU_COMMAND\"",
        )
        .arg(l.core().join("common/functions"))
        .env("USER", "alice")
        .env("NAME", "laptop")
        .output()
        .expect("bash")
        .into();
    assert_eq!(r.ok(), "0|alice|laptop|apps:list\n");
    // A community plugin that refuses everyone.
    let p = l.e.lib().join("plugins/available/deny");
    write_plugin_toml(&p, "x", "1");
    write_script(
        &p.join("user-auth"),
        "#!/bin/sh\necho \"auth $*\"\nexit 1\n",
    );
    std::os::unix::fs::symlink(&p, l.e.lib().join("plugins/enabled/deny")).expect("link");
    let r: Run = l
        .bash("source \"$1\"; if dokku_auth apps:list x; then echo allowed; else echo denied; fi")
        .arg(l.core().join("common/functions"))
        .env("USER", "alice")
        .output()
        .expect("bash")
        .into();
    assert_eq!(r.ok(), "auth alice default apps:list x\ndenied\n");
}

#[test]
fn domain_plugin_and_ps_functions_use_the_commands() {
    let l = Lib::new();
    l.e.create_app("web");
    let d = |f: &str, args: &[&str]| l.call_in("domains/functions", f, args).ok().to_string();
    assert_eq!(
        d("domains_add", &["web", "a.example.com"]),
        "-----> Added a.example.com to web\n"
    );
    assert_eq!(d("get_app_domains", &["web"]), "a.example.com\n");
    assert_eq!(
        d("domains_set", &["web", "b.example.com"]),
        l.e.filter("-----> Set b.example.com for web\n")
    );
    d("domains_remove", &["web", "b.example.com"]);
    assert_eq!(d("get_app_domains", &["web"]), "");
    d("fn-domains-clear", &["web"]);
    d("domains_add_global", &["g.example.com"]);
    assert_eq!(d("get_global_vhosts", &[]), "g.example.com\n");
    d("domains_clear_global", &[]);
    assert_eq!(d("get_global_vhosts", &[]), "");

    let p = |f: &str, args: &[&str]| l.call_in("plugin/functions", f, args);
    fails(
        &p("disable_plugin", &["apps"]),
        1,
        "Cannot disable a core plugin",
    );
    fails(
        &p("uninstall_plugin", &["apps"]),
        1,
        "Cannot uninstall a core plugin",
    );
    fails(&p("enable_plugin", &["nope"]), 1, "Plugin does not exist");
    fails(
        &p("update_plugin", &["nope"]),
        1,
        "Plugin (nope) is not currently installed",
    );
    let src = l.e.lib().join("plugins/available/mine");
    write_plugin_toml(&src, "x", "1");
    assert_eq!(
        p("enable_plugin", &["mine"]).ok(),
        "-----> Plugin mine enabled\n"
    );
    fails(&p("enable_plugin", &["mine"]), 1, "Plugin already enabled");
    assert_eq!(
        p("disable_plugin", &["mine"]).ok(),
        "-----> Plugin mine disabled\n"
    );
    fails(
        &p("disable_plugin", &["mine"]),
        1,
        "Plugin already disabled",
    );

    let ps = |f: &str| l.call_in("ps/functions", f, &["web"]).ok().to_string();
    assert_eq!(ps("fn-ps-app-status"), "0 false\n");
    assert_eq!(ps("fn-ps-is-app-running"), "false\n");
    assert_eq!(l.ok("get_running_image_tag", &["web"]), "latest\n");
    assert_eq!(l.ok("get_running_image_tag", &["web", "v2"]), "v2\n");
}

#[test]
fn deploy_entry_points_check_their_input() {
    let l = Lib::new();
    l.e.create_app("web");
    // No image: nothing is released, and that is not an error.
    assert_eq!(l.ok("release_and_deploy", &["web", "v9"]), "");
    fails(
        &l.call("cmd-deploy", &["nope"]),
        20,
        "App nope does not exist",
    );
    let r = l.call_in("git/functions", "git_build", &["web"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            1,
            "-----> WARNING: Cannot build from 'master' as there are no commits stored at that branch.\n"
        )
    );
    let r = l.call_in("nginx-vhosts/functions", "get_nginx_location", &[]);
    assert!(r.ok().trim_end().ends_with("nginx"), "{r:?}");
}

#[test]
fn certificate_and_nginx_helpers() {
    let l = Lib::new();
    l.e.create_app("web");
    let tls = l.e.root().join("web/tls");
    fs::create_dir_all(&tls).expect("mkdir");
    let ok = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=web.example.com"])
        .args([
            "-addext",
            "subjectAltName=DNS:b.example.com,DNS:a.example.com,IP:10.0.0.1",
        ])
        .arg("-keyout")
        .arg(tls.join("server.key"))
        .arg("-out")
        .arg(tls.join("server.crt"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(ok.success());
    let r = l.call_in("certs/functions", "get_ssl_hostnames", &["web"]);
    assert_eq!(r.ok(), "a.example.com\nb.example.com\nweb.example.com\n");
    assert_eq!(
        l.call_in("certs/functions", "is_ssl_enabled", &["web"])
            .code,
        0
    );

    let n = |f: &str, args: &[&str]| l.call_in("nginx-vhosts/functions", f, args);
    assert_eq!(n("fn-nginx-log-root", &[]).ok(), "/var/log/nginx\n");
    let hsts = l.e.root().join("web/nginx.conf.d/hsts.conf");
    n("fn-nginx-vhosts-manage-hsts", &["web", "true"]).ok();
    assert_eq!(
        fs::read_to_string(&hsts).expect("hsts"),
        "add_header Strict-Transport-Security \"max-age=15724800; includeSubdomains\" always;\n"
    );
    n("fn-nginx-vhosts-manage-hsts", &["web", ""]).ok();
    assert!(!hsts.exists());
    let tmpl = l.e.dir.path().join("t.sigil");
    fs::write(&tmpl, "server {{ $.APP }}:{{ $.PROXY_PORT }}\n\n\n\nend\n").expect("w");
    let out = l.e.dir.path().join("out.conf");
    n(
        "fn-nginx-vhosts-render-template",
        &[
            "web",
            &tmpl.display().to_string(),
            &out.display().to_string(),
            "80",
        ],
    )
    .ok();
    assert_eq!(
        fs::read_to_string(&out).expect("out"),
        "server web:80\n\nend\n"
    );
    assert_eq!(n("fn-nginx-vhosts-last-visited-at", &["web"]).ok(), "");
}

#[test]
fn common_copies_files_and_directories_out_of_images() {
    use dokku_docker::{ContainerEngine, ContainerFilter};
    let app = crate::harness::EngineApp::new("shlib-copy");
    app.build_httpd(
        "hello-copy",
        "",
        "RUN printf 'a\\r\\nb' > /www/crlf.txt && touch /www/empty && mkdir -p /www/sub && echo s > /www/sub/s.txt && ln -s /etc /www/etc-link\nWORKDIR /www",
    );
    let l = Lib::new();
    l.e.create_app(&app.name);
    let image = format!("dokku/{}:latest", app.name);
    let out = l.e.dir.path().join("out");
    fs::create_dir_all(&out).expect("mkdir");
    let dst = |n: &str| out.join(n).display().to_string();

    // A relative source starts at the image's WORKDIR; line endings become
    // Unix ones and the copy ends with a newline.
    l.helper(
        "common/common",
        &[
            "--quiet",
            "copy-from-image",
            &app.name,
            &image,
            "crlf.txt",
            &dst("crlf"),
        ],
    )
    .ok();
    assert_eq!(
        fs::read_to_string(out.join("crlf")).expect("copied"),
        "a\nb\n"
    );
    l.helper(
        "common/common",
        &[
            "copy-from-image",
            &app.name,
            &image,
            "/www/index.html",
            &dst("index"),
        ],
    )
    .ok();
    assert_eq!(
        fs::read_to_string(out.join("index")).expect("copied"),
        "hello-copy\n"
    );
    // Missing and empty files fail and leave nothing.
    for (src, name) in [("/www/nope", "nope"), ("empty", "empty")] {
        let r = l.helper(
            "common/common",
            &["copy-from-image", &app.name, &image, src, &dst(name)],
        );
        assert_eq!(r.code, 1, "{r:?}");
        assert!(r.stderr.starts_with(" !     Unable to copy /www/"), "{r:?}");
        assert!(!out.join(name).exists());
    }
    let r = l.helper(
        "common/common",
        &[
            "copy-from-image",
            &app.name,
            "dokku/no-such-image-xyz:latest",
            "a",
            &dst("x"),
        ],
    );
    fails(&r, 1, "Invalid docker image for copying content");

    // A directory: its content lands in the destination, links stay links
    // and nothing is written through them.
    l.helper(
        "common/common",
        &[
            "copy-dir-from-image",
            &app.name,
            &image,
            "/www",
            &dst("www"),
        ],
    )
    .ok();
    assert_eq!(
        fs::read_to_string(out.join("www/index.html")).expect("copied"),
        "hello-copy\n"
    );
    assert_eq!(
        fs::read_to_string(out.join("www/sub/s.txt")).expect("copied"),
        "s\n"
    );
    assert_eq!(
        fs::read_link(out.join("www/etc-link")).expect("link"),
        Path::new("/etc")
    );
    // Copying again over the existing directory works too.
    l.helper(
        "common/common",
        &[
            "copy-dir-from-image",
            &app.name,
            &image,
            "sub",
            &dst("www/sub"),
        ],
    )
    .ok();
    assert!(out.join("www/sub/s.txt").is_file());
    let r = l.helper(
        "common/common",
        &[
            "copy-dir-from-image",
            &app.name,
            &image,
            "/www/index.html",
            &dst("notdir"),
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!out.join("notdir").exists());

    // No copying container is left behind.
    let left = app
        .engine
        .list_containers(&ContainerFilter::label(app.label()))
        .expect("list");
    assert!(left.is_empty(), "{left:?}");
}

/// Takes down a compose project and its volume whatever happens.
struct ComposeProject<'a> {
    engine: &'a dokku_docker::DockerEngine,
    project: String,
}

impl Drop for ComposeProject<'_> {
    fn drop(&mut self) {
        use dokku_docker::{ContainerEngine, ContainerFilter};
        let label = format!("com.docker.compose.project={}", self.project);
        if let Ok(list) = self.engine.list_containers(&ContainerFilter::label(label)) {
            for c in list {
                let _ = self.engine.remove_container(&c.id, true);
            }
        }
        let _ = self
            .engine
            .remove_network(&format!("{}_default", self.project));
        let _ = self
            .engine
            .remove_volume(&format!("{}_data", self.project), true);
    }
}

#[test]
fn common_compose_up_and_down_manage_a_project_through_the_engine() {
    use dokku_docker::{ContainerEngine, ContainerFilter};
    let app = crate::harness::EngineApp::new("shlib-compose");
    let l = Lib::new();
    let project = app.name.replace('.', "-");
    let guard = ComposeProject {
        engine: &app.engine,
        project: project.clone(),
    };
    let file = l.e.dir.path().join("compose.yml");
    fs::write(
        &file,
        format!(
            "services:\n  web:\n    image: {}\n    command: [\"sleep\", \"300\"]\n    environment:\n      GREETING: hello\n    labels:\n      dokku.test: \"yes\"\n    restart: unless-stopped\n    volumes:\n      - data:/data\nvolumes:\n  data: {{}}\n",
            app.base
        ),
    )
    .expect("compose file");
    let f = file.display().to_string();
    let containers = || {
        app.engine
            .list_containers(&ContainerFilter::label(format!(
                "com.docker.compose.project={project}"
            )))
            .expect("list")
    };
    for _ in 0..2 {
        // A second `up` replaces the container.
        l.helper("common/common", &["compose-up", &project, &f])
            .ok();
        let list = containers();
        assert_eq!(list.len(), 1, "{list:?}");
        let info = app
            .engine
            .inspect_container(&format!("{project}-web-1"))
            .expect("inspect");
        assert!(info.running);
        assert_eq!(info.labels["com.docker.compose.service"], "web");
        assert_eq!(info.labels["dokku.test"], "yes");
        assert!(
            info.env.iter().any(|e| e == "GREETING=hello"),
            "{:?}",
            info.env
        );
        app.engine
            .inspect_network(&format!("{project}_default"))
            .expect("network");
        assert!(app
            .engine
            .volume_exists(&format!("{project}_data"))
            .expect("volume"));
    }
    l.helper("common/common", &["compose-down", &project, &f])
        .ok();
    assert!(containers().is_empty());
    assert!(app
        .engine
        .inspect_network(&format!("{project}_default"))
        .is_err());
    // The volume stays, as with `docker compose down`.
    assert!(app
        .engine
        .volume_exists(&format!("{project}_data"))
        .expect("volume"));
    // A file it cannot read changes nothing.
    fs::write(&file, "services:\n  web:\n    build: .\n").expect("write");
    let r = l.helper("common/common", &["compose-up", &project, &f]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("invalid compose file"), "{r:?}");
    assert!(containers().is_empty());
    drop(guard);
}

#[test]
fn healthchecker_runs_app_json_checks_against_a_container() {
    use crate::harness::EngineApp;
    use dokku_docker::ContainerEngine;

    let app = EngineApp::new("hc");
    app.build_httpd("ready", "", "");
    let mut spec = dokku_docker::ContainerSpec::new(format!("dokku/{}:latest", app.name));
    spec.env = vec!["PORT=5001".into()];
    spec.labels
        .insert("com.dokku.app-name".into(), app.name.clone());
    let cid = app.engine.create_container(&spec).expect("create");
    app.engine.start_container(&cid).expect("start");

    let dir = tempfile::tempdir().expect("tempdir");
    let checker = dir.path().join("docker-container-healthchecker");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dokku"), &checker).expect("link");
    let json = dir.path().join("app.json");
    let run = |args: &[&str]| -> Run {
        Command::new(&checker)
            .args(args)
            .env("DOKKU_ROOT", dir.path().join("home"))
            .env("DOKKU_LIB_ROOT", dir.path().join("lib"))
            .stdin(Stdio::null())
            .output()
            .expect("run")
            .into()
    };
    let write = |checks: &str| {
        fs::write(
            &json,
            format!("{{\"healthchecks\":{{\"web\":[{checks}]}}}}"),
        )
        .expect("write")
    };
    let json_arg = json.display().to_string();

    assert_eq!(
        run(&["version"]).ok(),
        "docker-container-healthchecker 0.16.0\n"
    );
    write(
        r#"{"type":"startup","name":"index","path":"/","content":"ready","attempts":3,"wait":1,"timeout":2}"#,
    );
    assert_eq!(run(&["exists", "web", "--app-json", &json_arg]).code, 0);
    assert_eq!(run(&["exists", "worker", "--app-json", &json_arg]).code, 1);
    let r = run(&["check", &cid, "--app-json", &json_arg, "--port", "5001"]);
    r.exits(0, Holds::Out("Healthcheck succeeded name='index'"));

    write(r#"{"type":"startup","name":"missing","path":"/nope","attempts":1,"timeout":2}"#);
    let r = run(&["check", &cid, "--app-json", &json_arg, "--port", "5001"]);
    r.exits(
        1,
        Holds::Err("Could not start due to 1 failed checks (web.1)"),
    );
    let r = run(&["convert", "CHECKS"]);
    r.exits(1, Holds::Err("unsupported command convert"));
}
