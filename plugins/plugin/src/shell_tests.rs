//! Tests of the shell library bash plugins source: its output lines, and
//! that it agrees with the Rust core on app names and the property store.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_core::property::Properties;
use dokku_core::Paths;

use crate::core::install_core_metadata;

struct Lib {
    dir: tempfile::TempDir,
    paths: Paths,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Lib {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&dir.path().join("home"), &dir.path().join("lib"));
        fs::create_dir_all(&paths.dokku_root).expect("mkdir");
        install_core_metadata(&paths, &[("config", "dokku core config plugin")], "0.0.0")
            .expect("install");
        Lib { dir, paths }
    }

    fn functions(&self) -> PathBuf {
        self.paths.plugin_core_available.join("common/functions")
    }

    /// Source the library, then call `f` with `args` (never through eval).
    fn call(&self, env: &[(&str, &str)], f: &str, args: &[&str]) -> Out {
        let mut c = Command::new("bash");
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DOKKU_ROOT", &self.paths.dokku_root)
            .env("DOKKU_LIB_ROOT", &self.paths.lib_root)
            .env("DOKKU_SYSTEM_USER", "root")
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                &self.paths.plugin_core_available,
            )
            .args([
                "-c",
                "set -euo pipefail; source \"$1\"; shift; \"$@\"",
                "bash",
            ])
            .arg(self.functions())
            .arg(f)
            .args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().expect("run bash");
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    fn ok(&self, f: &str, args: &[&str]) -> String {
        let o = self.call(&[], f, args);
        assert_eq!(o.code, 0, "{f} {args:?} failed: {}", o.stderr);
        o.stdout
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }
}

#[test]
fn log_lines_have_dokku_prefixes() {
    let l = Lib::new();
    assert_eq!(
        l.ok("dokku_log_info1", &["Deploying", "app"]),
        "-----> Deploying app\n"
    );
    assert_eq!(l.ok("dokku_log_info2", &["-n"]), "=====> -n\n");
    assert_eq!(l.ok("dokku_log_verbose", &["detail"]), "       detail\n");
    assert_eq!(l.ok("dokku_log_quiet", &["-e"]), "-e\n");
    let w = l.call(&[], "dokku_log_warn", &["careful"]);
    assert_eq!(
        (w.code, w.stdout.as_str(), w.stderr.as_str()),
        (0, "", " !     careful\n")
    );
    let f = l.call(&[], "dokku_log_fail", &["Missing nginx, install it"]);
    assert_eq!(
        (f.code, f.stdout.as_str(), f.stderr.as_str()),
        (1, "", " !     Missing nginx, install it\n")
    );
    assert_eq!(
        l.ok("dokku_col_log_info1", &["Name", "Value"]),
        format!(
            "-----> {:<18} {:<25} {:<25} {:<25}\n",
            "Name", "Value", "", ""
        )
    );
    assert_eq!(
        l.ok("dokku_col_log_msg", &["a", "b"]),
        format!("{:<25} {:<25} {:<25} {:<25}\n", "a", "b", "", "")
    );
}

#[test]
fn quiet_variants_hide_under_dokku_quiet_output() {
    let l = Lib::new();
    for f in [
        "dokku_log_info1_quiet",
        "dokku_log_info2_quiet",
        "dokku_log_verbose_quiet",
        "dokku_log_warn_quiet",
    ] {
        let o = l.call(&[("DOKKU_QUIET_OUTPUT", "1")], f, &["x"]);
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (0, "", ""),
            "{f}"
        );
    }
    assert_eq!(l.ok("dokku_log_info1_quiet", &["x"]), "-----> x\n");
    assert_eq!(l.ok("dokku_log_verbose_quiet", &["x"]), "       x\n");
    let o = l.call(
        &[("DOKKU_QUIET_OUTPUT", "1")],
        "dokku_log_fail_quiet",
        &["x"],
    );
    assert_eq!((o.code, o.stderr.as_str()), (1, ""));
}

#[test]
fn app_name_rule_matches_the_core() {
    let l = Lib::new();
    for name in [
        "a",
        "node-js-app",
        "app.v2",
        "0day",
        "-a",
        ".a",
        "App",
        "a_b",
        "a/b",
        "a b",
        "a:b",
        "ä",
        "..",
        "a\nb",
        "aZ",
    ] {
        let shell_ok = l.call(&[], "fn-is-valid-app-name", &[name]).code == 0;
        assert_eq!(
            shell_ok,
            dokku_core::apps::validate_name(name).is_ok(),
            "{name:?}"
        );
    }
    let o = l.call(&[], "verify_app_name", &["Bad_Name"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            1,
            format!(" !     {}\n", dokku_core::apps::INVALID_NAME).as_str()
        )
    );
    let o = l.call(&[], "verify_app_name", &["missing"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, " !     App missing does not exist\n")
    );
    let o = l.call(&[], "verify_app_name", &[""]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, " !     Please specify an app to run the command on\n")
    );
    fs::create_dir_all(l.paths.app_dir("there")).expect("mkdir");
    assert_eq!(l.ok("verify_app_name", &["there"]), "");
}

#[test]
fn apps_are_listed_sorted() {
    let l = Lib::new();
    let o = l.call(&[], "dokku_apps", &[]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, " !     You haven't deployed any applications yet\n")
    );
    for a in ["zeta", "alpha", "Not-An-App", ".hidden"] {
        fs::create_dir_all(l.paths.app_dir(a)).expect("mkdir");
    }
    fs::write(l.paths.dokku_root.join("ENV"), "").expect("write");
    assert_eq!(l.ok("dokku_apps", &[]), "alpha\nzeta\n");
    assert_eq!(dokku_core::apps::list(&l.paths), vec!["alpha", "zeta"]);
}

#[test]
fn image_names() {
    let l = Lib::new();
    assert_eq!(l.ok("get_app_image_repo", &["web"]), "dokku/web\n");
    assert_eq!(l.ok("get_app_image_name", &["web"]), "dokku/web:latest\n");
    assert_eq!(
        l.ok("get_app_image_name", &["web", "", "registry/web"]),
        "registry/web:latest\n"
    );
    assert_eq!(l.ok("get_running_image_tag", &["web"]), "latest\n");
    assert_eq!(l.ok("get_running_image_tag", &["web", "v2"]), "v2\n");
    assert_eq!(l.call(&[], "is_deployed", &["web"]).code, 1);
    fs::create_dir_all(l.paths.app_dir("web")).expect("mkdir");
    fs::write(l.paths.app_dir("web").join("CONTAINER.web.1"), "abc123\n").expect("write");
    assert_eq!(l.call(&[], "is_deployed", &["web"]).code, 0);
    assert_eq!(l.ok("get_app_container_ids", &["web"]), "abc123\n");
    assert_eq!(l.ok("get_app_container_ids", &["web", "worker"]), "");
}

#[test]
fn properties_share_the_core_layout() {
    let l = Lib::new();
    let props = Properties::new(&l.paths, "hello");
    l.ok(
        "fn-plugin-property-write",
        &["hello", "web", "greeting", "hi there\nsecond line"],
    );
    assert_eq!(
        props.get("web", "greeting").expect("get").as_deref(),
        Some("hi there\nsecond line")
    );
    let file = l.paths.property_dir("hello", "web").join("greeting");
    assert_eq!(
        fs::metadata(&file).expect("stat").permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(fs::read(&file).expect("read"), b"hi there\nsecond line");
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
        l.ok(
            "fn-plugin-property-get-default",
            &["hello", "web", "nope", "d"]
        ),
        "d\n"
    );
    assert_eq!(
        l.call(
            &[],
            "fn-plugin-property-exists",
            &["hello", "web", "greeting"]
        )
        .code,
        0
    );
    assert_eq!(
        l.call(&[], "fn-plugin-property-exists", &["hello", "web", "nope"])
            .code,
        1
    );
    l.ok("fn-plugin-property-delete", &["hello", "web", "greeting"]);
    assert_eq!(props.get("web", "greeting").expect("get"), None);

    for v in ["one", "two", "three"] {
        l.ok("fn-plugin-property-list-add", &["hello", "web", "items", v]);
    }
    assert_eq!(
        props.list_get("web", "items").expect("list"),
        vec!["one", "two", "three"]
    );
    assert_eq!(
        l.ok("fn-plugin-property-list-length", &["hello", "web", "items"]),
        "3\n"
    );
    assert_eq!(
        l.ok(
            "fn-plugin-property-list-get-by-index",
            &["hello", "web", "items", "1"]
        ),
        "two\n"
    );
    let o = l.call(
        &[],
        "fn-plugin-property-list-get-by-index",
        &["hello", "web", "items", "9"],
    );
    assert_eq!((o.code, o.stderr.as_str()), (1, " !     Index not found\n"));
    l.ok(
        "fn-plugin-property-list-remove",
        &["hello", "web", "items", "two"],
    );
    l.ok(
        "fn-plugin-property-list-prepend",
        &["hello", "web", "items", "zero"],
    );
    assert_eq!(
        l.ok("fn-plugin-property-list-get", &["hello", "web", "items"]),
        "zero\none\nthree\n"
    );
    let o = l.call(
        &[],
        "fn-plugin-property-list-remove",
        &["hello", "web", "items", "absent"],
    );
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, " !     Property not found, nothing was removed\n")
    );
    props
        .list_write("web", "items", &["a".into(), "b".into()])
        .expect("write");
    assert_eq!(
        l.ok("fn-plugin-property-list-get", &["hello", "web", "items"]),
        "a\nb\n"
    );

    l.ok("fn-plugin-property-clone", &["hello", "web", "copy"]);
    assert_eq!(
        props.list_get("copy", "items").expect("list"),
        vec!["a", "b"]
    );
    l.ok("fn-plugin-property-destroy", &["hello", "web"]);
    assert!(!l.paths.property_dir("hello", "web").exists());
}

#[test]
fn property_paths_cannot_escape() {
    let l = Lib::new();
    let before = fs::read_dir(l.root()).expect("read").count();
    for args in [
        ["..", "web", "k", "v"],
        ["hello", "..", "k", "v"],
        ["hello", "web", "../k", "v"],
        ["hello", "", "k", "v"],
    ] {
        let o = l.call(&[], "fn-plugin-property-write", &args);
        assert_eq!(o.code, 1, "{args:?}");
        assert!(o.stderr.starts_with(" !     Invalid "), "{}", o.stderr);
    }
    assert!(!l.paths.lib_root.join("config/k").exists());
    assert!(!l.paths.lib_root.join("k").exists());
    assert_eq!(fs::read_dir(l.root()).expect("read").count(), before);
}

#[test]
fn config_functions_source_the_library() {
    let l = Lib::new();
    let cfg = l.paths.plugin_core_available.join("config/functions");
    let o = Command::new("bash")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PLUGIN_CORE_AVAILABLE_PATH", &l.paths.plugin_core_available)
        .args(["-c", "source \"$1\"; declare -F config_export config_get config_set config_unset dokku_log_info1", "bash"])
        .arg(cfg)
        .output()
        .expect("bash");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "config_export\nconfig_get\nconfig_set\nconfig_unset\ndokku_log_info1\n"
    );
}
