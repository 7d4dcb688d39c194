//! Tests of the shell library bash plugins source, for the functions that
//! need nothing but bash and the files themselves: log lines, lists,
//! parsing helpers, files of the plugins, archives. The functions backed by
//! the `dokku` binary (properties, config, app checks, sigil) are tested
//! with the binary in `crates/dokku-cli/tests/it/shlib.rs`.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use dokku_core::Paths;

use crate::core::{install_core_metadata, SHELL_FILES};

struct Lib {
    _dir: tempfile::TempDir,
    paths: Paths,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    /// Run `c` and keep what it did.
    fn of(c: &mut Command) -> Out {
        let o = c.output().expect("run bash");
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Every core plugin that ships a shell file.
fn shell_plugins() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<(&str, &str)> = SHELL_FILES.iter().map(|(p, _, _)| (*p, "core")).collect();
    v.dedup();
    v
}

impl Lib {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&dir.path().join("home"), &dir.path().join("lib"));
        fs::create_dir_all(&paths.dokku_root).expect("mkdir");
        install_core_metadata(&paths, &shell_plugins(), "0.0.0", None).expect("install");
        Lib { _dir: dir, paths }
    }

    fn file(&self, plugin: &str, name: &str) -> PathBuf {
        self.paths.plugin_core_available.join(plugin).join(name)
    }

    /// `bash -c script bash`, with only PATH and the roots and plugin
    /// paths of this installation in its environment.
    fn bash(&self, script: &str) -> Command {
        let mut c = Command::new("bash");
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DOKKU_ROOT", &self.paths.dokku_root)
            .env("DOKKU_LIB_ROOT", &self.paths.lib_root)
            .env("PLUGIN_AVAILABLE_PATH", &self.paths.plugin_available)
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                &self.paths.plugin_core_available,
            )
            .args(["-c", script, "bash"]);
        c
    }

    /// Source `file` of `plugin`, then call `f` with `args` (never through
    /// eval), with `env` added.
    fn call_in(&self, plugin: &str, env: &[(&str, &str)], f: &str, args: &[&str]) -> Out {
        let mut c = self.bash("source \"$1\"; shift; \"$@\"");
        c.env("DOKKU_SYSTEM_USER", "root")
            .arg(self.file(plugin, "functions"))
            .arg(f)
            .args(args)
            .envs(env.iter().copied());
        Out::of(&mut c)
    }

    fn call(&self, env: &[(&str, &str)], f: &str, args: &[&str]) -> Out {
        self.call_in("common", env, f, args)
    }

    /// [`Lib::call`] with nothing added to the environment.
    fn run(&self, f: &str, args: &[&str]) -> Out {
        self.call(&[], f, args)
    }

    #[track_caller]
    fn ok(&self, f: &str, args: &[&str]) -> String {
        let o = self.call(&[], f, args);
        assert_eq!(o.code, 0, "{f} {args:?} failed: {}", o.stderr);
        o.stdout
    }

    #[track_caller]
    fn status(&self, f: &str, args: &[&str]) -> i32 {
        let o = self.call(&[], f, args);
        assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""), "{f}");
        o.code
    }
}

/// Every function of dokku-shell-api.md section a, by file.
const DEFINED: &[(&str, &str, &[&str])] = &[
    (
        "common",
        "functions",
        &[
            "dokku_log_quiet",
            "dokku_log_info1",
            "dokku_log_info1_quiet",
            "dokku_log_info2",
            "dokku_log_info2_quiet",
            "dokku_log_verbose",
            "dokku_log_verbose_quiet",
            "dokku_log_exclaim",
            "dokku_log_exclaim_quiet",
            "dokku_log_warn",
            "dokku_log_warn_quiet",
            "dokku_log_fail",
            "dokku_log_fail_quiet",
            "dokku_log_exit",
            "dokku_log_exit_quiet",
            "dokku_log_stderr",
            "dokku_col_log_info1",
            "dokku_col_log_info1_quiet",
            "dokku_col_log_info2",
            "dokku_col_log_info2_quiet",
            "dokku_col_log_msg",
            "dokku_col_log_msg_quiet",
            "dokku_container_log_verbose_quiet",
            "dokku_log_event",
            "dokku_log_plugn_trigger_call",
            "has_tty",
            "dokku_apps",
            "dokku_version",
            "fn-is-valid-app-name",
            "fn-is-valid-app-name-old",
            "is_valid_app_name",
            "is_valid_app_name_old",
            "verify_app_name",
            "fn-plugn-trigger-exists",
            "fn-docker-args-split",
            "fn-force-arm64-image",
            "verify_image",
            "fn-verify-app-image",
            "get_app_image_repo",
            "get_app_image_name",
            "get_deploying_app_image_name",
            "get_running_image_tag",
            "get_image_builder_type",
            "is_image_cnb_based",
            "is_image_herokuish_based",
            "get_app_scheduler",
            "get_docker_version",
            "fn-is-compose-installed",
            "is_number",
            "is_abs_path",
            "extract_directive_from_dockerfile",
            "get_json_value",
            "strip_inline_comments",
            "get_app_container_ids",
            "get_app_running_container_ids",
            "get_app_running_container_types",
            "is_deployed",
            "is_container_status",
            "get_container_ports",
            "copy_from_image",
            "copy_dir_from_image",
            "dokku_build",
            "dokku_release",
            "cmd-deploy",
            "release_and_deploy",
            "dokku_receive",
            "docker_cleanup",
            "dokku_auth",
            "parse_args",
            "dokku_setup_build_capture",
            "acquire_app_deploy_lock",
            "release_app_deploy_lock",
            "acquire_advisory_lock",
            "release_advisory_lock",
            "suppress_output",
            "fn-migrate-config-to-property",
            "fn-registry-docker-config-dir",
            "is_val_in_list",
            "fn-in-array",
            "remove_val_from_list",
            "add_val_to_list",
            "merge_dedupe_list",
            "_ipv4_regex",
            "_ipv6_regex",
            "get_ipv4_regex",
            "get_ipv6_regex",
            // archive-functions, sourced by common/functions
            "fn-archive-computed-max-size",
            "fn-archive-computed-max-files",
            "fn-archive-log-security-event",
            "fn-archive-tar-flag",
            "fn-archive-check-bomb-protection",
            "fn-archive-validate-tar-entries",
            "fn-archive-validate-extracted-symlinks",
            "fn-archive-tar-supports-no-unsafe-links",
            "fn-archive-extract-tar",
            "fn-archive-extract-tar-stdin",
            "fn-archive-extract-zip",
            // property-functions, sourced through archive-functions
            "fn-plugin-property-get",
        ],
    ),
    (
        "common",
        "property-functions",
        &[
            "fn-plugin-property-get",
            "fn-plugin-property-get-default",
            "fn-plugin-property-write",
            "fn-plugin-property-delete",
            "fn-plugin-property-exists",
            "fn-plugin-property-destroy",
            "fn-plugin-property-clone",
            "fn-plugin-property-get-all",
            "fn-plugin-property-get-all-by-prefix",
            "fn-plugin-property-list-add",
            "fn-plugin-property-list-get",
            "fn-plugin-property-list-get-by-index",
            "fn-plugin-property-list-get-by-value",
            "fn-plugin-property-list-length",
            "fn-plugin-property-list-remove",
            "fn-plugin-property-list-remove-by-prefix",
            "fn-plugin-property-list-set",
            "fn-plugin-property-setup",
            "fn-plugin-property-setup-app",
        ],
    ),
    (
        "config",
        "functions",
        &[
            "config_sub",
            "config_export",
            "config_all",
            "config_keys",
            "config_get",
            "config_set",
            "config_unset",
            "config_clear",
            "config_bundle",
            "fn-config-set",
            "dokku_log_info1",
        ],
    ),
    (
        "certs",
        "functions",
        &["is_ssl_enabled", "get_ssl_hostnames"],
    ),
    (
        "checks",
        "functions",
        &[
            "is_app_proctype_checks_disabled",
            "is_app_proctype_checks_skipped",
            "fn-plugin-property-get",
        ],
    ),
    (
        "domains",
        "functions",
        &[
            "fn-domains-clear",
            "fn-domains-clear-app",
            "fn-domains-disable",
            "fn-domains-enable",
            "domains_setup",
            "domains_add",
            "domains_remove",
            "domains_set",
            "domains_disable",
            "domains_enable",
            "disable_app_vhost",
            "enable_app_vhost",
            "domains_add_global",
            "domains_remove_global",
            "domains_set_global",
            "domains_clear_global",
            "get_app_domains",
            "get_default_vhosts",
            "get_global_vhosts",
            "is_app_vhost_enabled",
            "is_global_vhost_enabled",
            "is_valid_hostname",
            "config_get",
        ],
    ),
    (
        "ps",
        "functions",
        &["fn-ps-app-status", "fn-ps-is-app-running", "ps_restore"],
    ),
    (
        "proxy",
        "functions",
        &[
            "fn-proxy-get-labels-file-path",
            "fn-proxy-display-labels",
            "fn-proxy-show-label",
            "fn-proxy-escape-extended-sed",
        ],
    ),
    (
        "builder-herokuish",
        "functions",
        &[
            "fn-has-buildpacks-file",
            "fn-has-buildpack-dotenv",
            "fn-has-buildpack-env",
            "config_get",
        ],
    ),
    (
        "plugin",
        "functions",
        &[
            "disable_plugin",
            "enable_plugin",
            "download_plugin",
            "download_and_enable_plugin",
            "update_plugin",
            "uninstall_plugin",
            "plugin_name",
        ],
    ),
    (
        "ssh-keys",
        "functions",
        &[
            "verify_ssh_key_file",
            "verify_ssh_key_exists",
            "create_ssh_key_file",
        ],
    ),
    (
        "git",
        "functions",
        &[
            "git_build_app_repo",
            "git_trigger_build",
            "git_build",
            "git_receive_app",
            "cmd-git-hook",
            "cmd-git-upload-pack",
            "cmd-git-glob",
            "fn-git-computed-deploy-branch",
            "fn-git-computed-keep-git-dir",
            "fn-git-has-code",
            "fn-git-last-updated-at",
            "fn-git-source-image",
            "fn-git-create-hook",
            "fn-git-clone",
            "fn-git-fetch",
            "fn-git-cmd",
            "fn-git-setup-build-dir",
            "fn-git-auth-secure-netrc",
            "fn-archive-extract-tar",
            "config_get",
        ],
    ),
    (
        "nginx-vhosts",
        "functions",
        &[
            "get_nginx_location",
            "validate_nginx",
            "restart_nginx",
            "nginx_logs",
            "validate_ssl_domains",
            "get_custom_nginx_template",
            "is_http2_push_enabled",
            "is_http2_directive_supported",
            "fn-nginx-vhosts-render-template",
            "fn-nginx-vhosts-pre-validate-custom-template",
            "nginx_build_config",
            "fn-nginx-log-root",
            "fn-nginx-vhosts-uses-openresty",
            "fn-nginx-vhosts-nginx-location",
            "fn-nginx-vhosts-nginx-is-running",
            "fn-nginx-vhosts-nginx-init-cmd",
            "fn-nginx-vhosts-manage-hsts",
            "fn-nginx-vhosts-last-visited-at",
            "fn-get-property",
            "fn-nginx-hsts",
            "fn-nginx-computed-hsts",
            "fn-nginx-global-hsts",
            "fn-nginx-computed-access-log-path",
            "fn-nginx-computed-x-forwarded-ssl",
            "is_ssl_enabled",
        ],
    ),
];

#[test]
fn every_listed_function_is_defined_after_sourcing_its_file() {
    let l = Lib::new();
    for (plugin, file, names) in DEFINED {
        let o = Command::new("bash")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DOKKU_LIB_ROOT", &l.paths.lib_root)
            .env("PLUGIN_AVAILABLE_PATH", &l.paths.plugin_available)
            .env("PLUGIN_CORE_AVAILABLE_PATH", &l.paths.plugin_core_available)
            .args([
                "-c",
                "source \"$1\"; shift; for f in \"$@\"; do declare -F \"$f\" >/dev/null || echo \"missing $f\"; done; [[ $- == *e* ]] && echo errexit",
                "bash",
            ])
            .arg(l.file(plugin, file))
            .args(*names)
            .output()
            .expect("bash");
        assert_eq!(
            (
                String::from_utf8_lossy(&o.stdout).as_ref(),
                String::from_utf8_lossy(&o.stderr).as_ref()
            ),
            ("errexit\n", ""),
            "{plugin}/{file}"
        );
    }
    // Each shipped file is listed above.
    for (plugin, file, _) in SHELL_FILES {
        assert!(
            DEFINED.iter().any(|(p, f, _)| p == plugin && f == file)
                || (*plugin, *file) == ("git", "internal-functions")
                || (*plugin, *file) == ("nginx-vhosts", "internal-functions")
                || (*plugin, *file) == ("checks", "property-functions")
                || (*plugin, *file) == ("common", "archive-functions"),
            "{plugin}/{file}"
        );
        assert!(l.file(plugin, file).is_file(), "{plugin}/{file}");
    }
}

#[test]
fn log_lines_have_dokku_prefixes() {
    let l = Lib::new();
    for (f, want) in [
        ("dokku_log_info1", "-----> Deploying app\n"),
        ("dokku_log_info2", "=====> Deploying app\n"),
        ("dokku_log_verbose", "       Deploying app\n"),
        ("dokku_log_exclaim", " !     Deploying app\n"),
    ] {
        assert_eq!(l.ok(f, &["Deploying", "app"]), want, "{f}");
        assert_eq!(l.ok(&format!("{f}_quiet"), &["Deploying", "app"]), want);
    }
    for (f, code, stderr) in [
        ("dokku_log_warn", 0, " !     careful\n"),
        ("dokku_log_warn_quiet", 0, " !     careful\n"),
        ("dokku_log_fail", 1, " !     careful\n"),
        ("dokku_log_fail_quiet", 1, " !     careful\n"),
        ("dokku_log_exit", 0, "careful\n"),
        ("dokku_log_exit_quiet", 0, "careful\n"),
        ("dokku_log_stderr", 0, "careful\n"),
    ] {
        let o = l.run(f, &["careful"]);
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (code, "", stderr),
            "{f}"
        );
    }
    let o = l.call(&[("DOKKU_FAIL_EXIT_CODE", "7")], "dokku_log_fail", &["x"]);
    assert_eq!(o.code, 7);
    for f in ["dokku_col_log_info1", "dokku_col_log_info1_quiet"] {
        assert_eq!(
            l.ok(f, &["Name", "Value"]),
            format!(
                "-----> {:<18} {:<25} {:<25} {:<25}\n",
                "Name", "Value", "", ""
            )
        );
    }
    for f in ["dokku_col_log_info2", "dokku_col_log_info2_quiet"] {
        assert_eq!(
            l.ok(f, &["a", "b", "c", "d"]),
            format!("=====> {:<18} {:<25} {:<25} {:<25}\n", "a", "b", "c", "d")
        );
    }
    for f in ["dokku_col_log_msg", "dokku_col_log_msg_quiet"] {
        assert_eq!(
            l.ok(f, &["a", "b"]),
            format!("{:<25} {:<25} {:<25} {:<25}\n", "a", "b", "", "")
        );
    }
    assert_eq!(l.ok("dokku_log_quiet", &["a", "b"]), "a b\n");
    assert_eq!(l.ok("dokku_log_quiet", &["-e"]), "-e\n");
    // Options of echo are printed as text by the ones that only print.
    assert_eq!(l.ok("dokku_log_info2", &["-n"]), "=====> -n\n");
    // Syslog events succeed (logger is there).
    assert_eq!(l.ok("dokku_log_event", &["hello"]), "");
    assert_eq!(
        l.ok("dokku_log_plugn_trigger_call", &["post-deploy", "app"]),
        ""
    );
}

#[test]
fn quiet_variants_hide_under_dokku_quiet_output() {
    let l = Lib::new();
    for f in [
        "dokku_log_quiet",
        "dokku_log_info1_quiet",
        "dokku_log_info2_quiet",
        "dokku_log_verbose_quiet",
        "dokku_log_exclaim_quiet",
        "dokku_log_warn_quiet",
        "dokku_log_exit_quiet",
        "dokku_col_log_info1_quiet",
        "dokku_col_log_info2_quiet",
        "dokku_col_log_msg_quiet",
    ] {
        let o = l.call(&[("DOKKU_QUIET_OUTPUT", "1")], f, &["x"]);
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (0, "", ""),
            "{f}"
        );
    }
    let o = l.call(
        &[("DOKKU_QUIET_OUTPUT", "1")],
        "dokku_log_fail_quiet",
        &["x"],
    );
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (1, "", ""));
    // The non-quiet ones ignore it.
    let o = l.call(&[("DOKKU_QUIET_OUTPUT", "1")], "dokku_log_info1", &["x"]);
    assert_eq!(o.stdout, "-----> x\n");
}

#[test]
fn tty_overrides() {
    let l = Lib::new();
    assert_eq!(
        l.call(&[("DOKKU_FORCE_TTY", "true")], "has_tty", &[]).code,
        0
    );
    assert_eq!(
        l.call(&[("DOKKU_DISABLE_TTY", "true")], "has_tty", &[])
            .code,
        1
    );
    // The test's stdin is not a terminal.
    assert_eq!(l.status("has_tty", &[]), 1);
}

#[test]
fn lists_and_small_checks() {
    let l = Lib::new();
    assert_eq!(l.ok("is_val_in_list", &["b", "a,b,c"]), "true\n");
    assert_eq!(l.ok("is_val_in_list", &["bb", "a,b,c"]), "false\n");
    assert_eq!(l.ok("is_val_in_list", &["b", "a b", " "]), "true\n");
    assert_eq!(l.status("fn-in-array", &["b", "a", "b"]), 0);
    assert_eq!(l.status("fn-in-array", &["b", "a", "bb"]), 1);
    assert_eq!(l.status("fn-in-array", &["b"]), 1);
    assert_eq!(l.ok("remove_val_from_list", &["b", "a,b,c"]), "a,c\n");
    assert_eq!(l.ok("remove_val_from_list", &["a", "a,b"]), "b\n");
    // A substring, not an element, is removed.
    assert_eq!(l.ok("remove_val_from_list", &["b", "ab,c"]), "a,c\n");
    assert_eq!(l.ok("remove_val_from_list", &["b", "a b c", " "]), "a c\n");
    assert_eq!(l.ok("add_val_to_list", &["d", "a,b"]), "a,b,d\n");
    assert_eq!(l.ok("add_val_to_list", &["d", ""]), ",d\n");
    assert_eq!(l.ok("add_val_to_list", &["d", "a", ":"]), "a:d\n");
    assert_eq!(l.ok("merge_dedupe_list", &["c,a,c,b"]), "a b c\n");
    assert_eq!(l.ok("merge_dedupe_list", &["c a c", " "]), "a c\n");
    assert_eq!(l.status("is_number", &["42"]), 0);
    assert_eq!(l.status("is_number", &["4a"]), 1);
    assert_eq!(l.status("is_number", &[""]), 1);
    assert_eq!(l.status("is_abs_path", &["/x"]), 0);
    assert_eq!(l.status("is_abs_path", &["x/y"]), 1);
    assert_eq!(
        l.ok("strip_inline_comments", &["FOO=bar   # note"]),
        "FOO=bar\n"
    );
    assert_eq!(l.ok("strip_inline_comments", &["a#b"]), "a#b\n");
    let ipv4 = l.ok("_ipv4_regex", &[]);
    assert_eq!(ipv4, "([0-9]{1,3}[\\.]){3}[0-9]{1,3}\n");
    assert_eq!(
        l.ok("get_ipv4_regex", &[]),
        format!("{}$\n", ipv4.trim_end())
    );
    assert!(l.ok("get_ipv6_regex", &[]).trim_end().ends_with('$'));
    for (addr, v6) in [("10.0.0.1", false), ("::1", true), ("fe80::1", true)] {
        let re = l.ok(
            if v6 {
                "get_ipv6_regex"
            } else {
                "get_ipv4_regex"
            },
            &[],
        );
        let o = Command::new("grep")
            .args(["-Eq", &format!("^{}", re.trim_end())])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().expect("stdin").write_all(addr.as_bytes())?;
                c.wait()
            })
            .expect("grep");
        assert!(o.success(), "{addr}");
    }
    let split = l.ok(
        "fn-docker-args-split",
        &["-v /a:/b  --label 'x y' \"q\\\"z\""],
    );
    assert_eq!(split, "-v\0/a:/b\0--label\0x y\0q\"z\0");
}

#[test]
fn parsing_helpers() {
    let l = Lib::new();
    let dir = l.paths.dokku_root.join("src");
    fs::create_dir_all(&dir).expect("mkdir");
    let df = dir.join("Dockerfile");
    fs::write(
        &df,
        "FROM a\nEXPOSE 80\nRUN x\nEXPOSE 5000/tcp\nEXPOSEX 1\n",
    )
    .expect("write");
    let df = df.display().to_string();
    assert_eq!(
        l.ok("extract_directive_from_dockerfile", &[&df, "EXPOSE"]),
        "EXPOSE 5000/tcp\n"
    );
    assert_eq!(l.ok("extract_directive_from_dockerfile", &[&df, "CMD"]), "");
    let o = l
        .bash("source \"$1\"; echo '{\"a\":{\"b\":\"c\"},\"n\":null}' | get_json_value .a.b; echo '{\"n\":null}' | get_json_value .n")
        .arg(l.file("common", "functions"))
        .output()
        .expect("bash");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "c\n");
}

#[test]
fn images_and_containers_from_files() {
    let l = Lib::new();
    assert_eq!(l.ok("get_app_image_repo", &["web"]), "dokku/web\n");
    assert_eq!(l.ok("get_app_image_name", &["web"]), "dokku/web:latest\n");
    assert_eq!(
        l.ok("get_app_image_name", &["web", "", "registry/web"]),
        "registry/web:latest\n"
    );
    let app = l.paths.app_dir("web");
    fs::create_dir_all(&app).expect("mkdir");
    fs::write(app.join("CONTAINER.web.1"), "abc\n").expect("write");
    fs::write(app.join("CONTAINER.web.2"), "def\n").expect("write");
    fs::write(app.join("CONTAINER.worker.1"), "ghi\n").expect("write");
    assert_eq!(l.ok("get_app_container_ids", &["web"]), "abc def ghi\n");
    assert_eq!(l.ok("get_app_container_ids", &["web", "web"]), "abc def\n");
    assert_eq!(l.ok("get_app_container_ids", &["web", "worker.1"]), "ghi\n");
    assert_eq!(l.ok("get_app_container_ids", &["web", "worker.9"]), "\n");
    assert_eq!(l.ok("get_app_container_ids", &["web", "cron"]), "\n");
    fs::write(app.join("CONTAINER"), "old\n").expect("write");
    assert_eq!(l.ok("get_app_container_ids", &["web"]), "old abc def ghi\n");
}

#[test]
fn dokku_version_reads_the_version_files() {
    let l = Lib::new();
    let o = l.run("dokku_version", &[]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, " !     Unable to determine dokku's version\n")
    );
    fs::write(l.paths.lib_root.join("VERSION"), "0.38.1\n").expect("write");
    assert_eq!(l.ok("dokku_version", &[]), "dokku version 0.38.1\n");
    fs::write(l.paths.lib_root.join("STABLE_VERSION"), "0.38.27\n").expect("write");
    assert_eq!(l.ok("dokku_version", &[]), "dokku version 0.38.27\n");
}

#[test]
fn lists_of_other_plugins_read_their_files() {
    let l = Lib::new();
    let app = l.paths.app_dir("web");
    fs::create_dir_all(app.join("tls")).expect("mkdir");
    assert_eq!(l.call_in("certs", &[], "is_ssl_enabled", &["web"]).code, 1);
    fs::write(app.join("tls/server.crt"), "").expect("write");
    fs::write(app.join("tls/server.key"), "").expect("write");
    assert_eq!(l.call_in("certs", &[], "is_ssl_enabled", &["web"]).code, 0);

    let labels = l.paths.lib_root.join("config/traefik/web/labels");
    let o = l.call_in(
        "proxy",
        &[],
        "fn-proxy-get-labels-file-path",
        &["traefik", "web"],
    );
    assert_eq!(o.stdout, format!("{}\n", labels.display()));
    let o = l.call_in("proxy", &[], "fn-proxy-display-labels", &["traefik", "web"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (0, "", " !     No traefik labels set for web\n")
    );
    fs::create_dir_all(labels.parent().expect("parent")).expect("mkdir");
    fs::write(&labels, "# c\na=1\nb=x=y\n").expect("write");
    let o = l.call_in("proxy", &[], "fn-proxy-display-labels", &["traefik", "web"]);
    assert_eq!(
        o.stdout,
        "=====> web traefik labels\n       a=1\n       b=x=y\n"
    );
    let o = l.call_in(
        "proxy",
        &[],
        "fn-proxy-show-label",
        &["traefik", "web", "b"],
    );
    assert_eq!(o.stdout, "x=y\n");
    let o = l.call_in("proxy", &[], "fn-proxy-escape-extended-sed", &["a.b*c(d)"]);
    assert_eq!(o.stdout, "a\\.b\\*c\\(d\\)\n");

    let src = l.paths.dokku_root.join("src");
    fs::create_dir_all(&src).expect("mkdir");
    let s = src.display().to_string();
    let h = |f: &str| l.call_in("builder-herokuish", &[], f, &[&s]).code;
    assert_eq!(
        (h("fn-has-buildpacks-file"), h("fn-has-buildpack-dotenv")),
        (1, 1)
    );
    fs::write(src.join(".buildpacks"), "x\n").expect("write");
    fs::write(src.join(".env"), "BUILDPACK_URL=x\n").expect("write");
    assert_eq!(
        (h("fn-has-buildpacks-file"), h("fn-has-buildpack-dotenv")),
        (0, 0)
    );

    for (url, name) in [
        ("https://github.com/dokku/dokku-postgres.git", "postgres"),
        ("https://example.com/x/plain", "plain"),
        ("git@host:a/dokku-redis", "redis"),
    ] {
        let o = l.call_in("plugin", &[], "plugin_name", &[url]);
        assert_eq!(o.stdout, format!("{name}\n"), "{url}");
    }
    for (h, ok) in [
        ("example.com", true),
        ("*.Example.com", true),
        ("_", true),
        ("a_b.com", false),
        ("a.com.", false),
        ("", false),
    ] {
        assert_eq!(
            l.call_in("domains", &[], "is_valid_hostname", &[h]).code == 0,
            ok,
            "{h}"
        );
    }
    for (f, version, want) in [
        ("is_http2_push_enabled", "1.18.0", "true\n"),
        ("is_http2_directive_supported", "1.18.0", "false\n"),
        ("is_http2_directive_supported", "1.25.3", "true\n"),
    ] {
        let o = l.call_in("nginx-vhosts", &[], f, &[version]);
        assert_eq!(o.stdout, want, "{f} {version}");
    }
}

#[test]
fn ssh_key_file_checks() {
    let l = Lib::new();
    let file = l.paths.dokku_root.join(".ssh/authorized_keys");
    let o = l.call_in("ssh-keys", &[], "verify_ssh_key_exists", &[]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, " !     No public keys found.\n")
    );
    assert_eq!(
        l.call_in("ssh-keys", &[], "create_ssh_key_file", &[]).code,
        0
    );
    assert!(file.is_file());
    assert_eq!(
        l.call_in("ssh-keys", &[], "verify_ssh_key_exists", &[])
            .code,
        0
    );
    let o = l.call_in("ssh-keys", &[], "verify_ssh_key_file", &[]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, " !     No public keys found.\n")
    );
    fs::write(&file, "not a key\n").expect("write");
    let o = l.call_in("ssh-keys", &[], "verify_ssh_key_file", &[]);
    assert_eq!(
        (o.code, o.stderr.clone()),
        (
            1,
            format!(
                " !     {} line 1 failed ssh-keygen check.\n",
                file.display()
            )
        )
    );
}

#[test]
fn git_repository_state() {
    let l = Lib::new();
    let app = l.paths.app_dir("web");
    fs::create_dir_all(app.join("refs/heads")).expect("mkdir");
    let g = |f: &str, args: &[&str]| l.call_in("git", &[], f, args);
    assert_eq!(g("fn-git-has-code", &["web", "main"]).code, 1);
    fs::write(app.join("refs/heads/main"), "abc\n").expect("write");
    assert_eq!(g("fn-git-has-code", &["web", "main"]).code, 0);
    let o = g("fn-git-cmd", &[&app.display().to_string(), "--version"]);
    assert!(o.stdout.starts_with("git version "), "{}", o.stdout);
}

#[test]
fn archive_flags_and_security_lines() {
    let l = Lib::new();
    assert_eq!(l.ok("fn-archive-tar-flag", &["tar"]), "\n");
    assert_eq!(l.ok("fn-archive-tar-flag", &["tar.gz"]), "-z\n");
    assert_eq!(l.status("fn-archive-tar-flag", &["zip"]), 1);
    let o = l.call(
        &[("USER", "alice")],
        "fn-archive-log-security-event",
        &["e", "tar", "s", "d"],
    );
    assert!(
        o.stderr.starts_with("[archive-security] timestamp="),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .ends_with("Z user=alice event=e archive_type=tar source=s details=d\n"),
        "{}",
        o.stderr
    );
}

/// Run a script after sourcing common/functions.
fn script(l: &Lib, env: &[(&str, &str)], body: &str) -> Out {
    let mut c = l.bash(&format!("source \"$1\"\n{body}"));
    c.env("DOKKU_PID", "4242")
        .arg(l.file("common", "functions"))
        .envs(env.iter().copied());
    Out::of(&mut c)
}

#[test]
fn suppress_output_shows_output_only_on_failure() {
    let l = Lib::new();
    let o = l.run("suppress_output", &["sh", "-c", "echo out; echo err >&2"]);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (0, "", ""));
    let o = l.run(
        "suppress_output",
        &["sh", "-c", "echo out; echo err >&2; exit 3"],
    );
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (3, "out\nerr\n", "")
    );
    // No temporary file is left behind.
    let left = fs::read_dir("/tmp").expect("tmp").flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with("dokku-4242-suppress")
    });
    assert!(!left);
}

#[test]
fn parse_args_exports_the_global_flags() {
    let l = Lib::new();
    let o = script(
        &l,
        &[],
        "parse_args apps:list --quiet --app web x --trace --force --other=1\n\
         echo \"$DOKKU_QUIET_OUTPUT|$DOKKU_TRACE|$DOKKU_APPS_FORCE_DELETE|$DOKKU_APP_NAME|$DOKKU_GLOBAL_FLAGS\"",
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "1|1|1|web|--quiet --app --trace --force --other=1\n")
    );
    let o = script(
        &l,
        &[("DOKKU_GLOBAL_FLAGS", "--kept")],
        "parse_args --quiet; echo \"$DOKKU_GLOBAL_FLAGS\"",
    );
    assert_eq!(o.stdout, "--kept\n");
}

#[test]
fn advisory_locks_wait_or_fail() {
    let l = Lib::new();
    let lock = l.paths.lib_root.join("data/apps/web/.deploy.lock");
    let o = script(
        &l,
        &[("DOKKU_BUILD_ID", "b1")],
        "acquire_app_deploy_lock web exclusive; cat \"$DOKKU_LIB_ROOT/data/apps/web/.deploy.lock\"; release_app_deploy_lock web 0",
    );
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (0, "b1\n", "")
    );
    assert!(!lock.exists());
    // Held by another process (until `hold` goes): exclusive fails,
    // waiting says so once and gets it when released.
    fs::create_dir_all(lock.parent().expect("dir")).expect("mkdir");
    let hold = l.paths.lib_root.join("hold");
    let ready = l.paths.lib_root.join("ready");
    fs::write(&hold, "").expect("hold");
    let mut holder = Command::new("flock")
        .arg(&lock)
        .args([
            "sh",
            "-c",
            "touch \"$1\"; while [ -e \"$2\" ]; do sleep 0.05; done",
            "sh",
        ])
        .arg(&ready)
        .arg(&hold)
        .spawn()
        .expect("flock");
    while !ready.exists() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = script(&l, &[], "acquire_app_deploy_lock web exclusive; echo got");
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (
            1,
            "",
            " !     web currently has a deploy lock in place. Exiting...\n !     Run 'apps:unlock' to release the existing deploy lock\n"
        )
    );
    let mut waiter = l
        .bash("source \"$1\"; acquire_app_deploy_lock web; echo got; release_app_deploy_lock web")
        .arg(l.file("common", "functions"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("waiter");
    let mut out = std::io::BufReader::new(waiter.stdout.take().expect("stdout"));
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).expect("read");
    assert_eq!(
        first,
        "-----> web currently has a deploy lock in place. Waiting...\n"
    );
    fs::remove_file(&hold).expect("release");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).expect("read");
    assert!(waiter.wait().expect("wait").success());
    assert_eq!(rest, "got\n");
    holder.wait().expect("wait");
    let o = script(
        &l,
        &[],
        "f=\"$DOKKU_LIB_ROOT/x.lock\"; acquire_advisory_lock \"$f\" waiting w f; cat \"$f\"; release_advisory_lock \"$f\"; [[ -e \"$f\" ]] || echo gone",
    );
    assert_eq!(o.stdout, "4242\ngone\n");
}

#[test]
fn registry_credentials_dir_needs_an_auth_entry() {
    let l = Lib::new();
    // The path is fixed; without credentials there nothing is printed.
    let o = l.run("fn-registry-docker-config-dir", &["shlib-test-no-such-app"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
}

#[test]
fn running_container_types_come_from_container_files() {
    let l = Lib::new();
    let app = l.paths.app_dir("web");
    fs::create_dir_all(&app).expect("mkdir");
    for f in ["CONTAINER.worker.1", "CONTAINER.web.2", "CONTAINER.web.1"] {
        fs::write(app.join(f), "x\n").expect("write");
    }
    // is_deployed is the common helper's answer: fake it deployed.
    let o = script(
        &l,
        &[],
        "is_deployed() { return 0; }; get_app_running_container_types web",
    );
    assert_eq!(o.stdout, "web worker\n");
    let o = script(
        &l,
        &[],
        "is_deployed() { return 1; }; get_app_running_container_types web",
    );
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, " !     App web has not been deployed\n")
    );
}
