//! A spy plugin answering every trigger of Dokku's list (an executable
//! per name that logs `NAME ARGS` and answers nothing) watches a realistic
//! life of an app: create, configure, deploy from an archive, restart,
//! stop, start, run, rename, clone, destroy. The lines asserted are the
//! ones Dokku fires at those points, with its arguments. The spy also
//! answers the names of our own triggers (failing if ever run): none of
//! them may reach it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::write_script;
use crate::harness::{remove_app_resources, EngineApp, Env, Run};

/// Every trigger name of Dokku's plugin-triggers list.
const TRIGGERS: &[&str] = &[
    "app-create",
    "app-destroy",
    "app-exists",
    "app-json-get-content",
    "app-json-is-valid",
    "app-json-process-deploy-parallelism",
    "app-list",
    "app-maybe-create",
    "app-restart",
    "app-urls",
    "builder-build",
    "builder-create-dokku-image",
    "builder-detect",
    "builder-dokku-image",
    "builder-get-property",
    "builder-herokuish-allowed",
    "builder-image-is-cnb",
    "builder-image-is-herokuish",
    "builder-release",
    "buildpack-stack-name",
    "caddy-template-source",
    "certs-exists",
    "certs-force",
    "certs-get",
    "certs-remove",
    "certs-set",
    "check-deploy",
    "checks-get-property",
    "config-export",
    "config-get",
    "config-get-global",
    "config-migrate-env",
    "config-set",
    "core-post-deploy",
    "core-post-extract",
    "cron-entries",
    "cron-get-property",
    "dependencies",
    "deploy",
    "deploy-source-set",
    "deployed-app-image-repo",
    "deployed-app-image-tag",
    "deployed-app-repository",
    "docker-args-build",
    "docker-args-deploy",
    "docker-args-process-build",
    "docker-args-process-deploy",
    "docker-args-process-run",
    "docker-args-run",
    "domains-add",
    "domains-disable",
    "domains-enable",
    "domains-list",
    "domains-urls",
    "domains-vhost-enabled",
    "git-deploy-branch",
    "git-from-archive",
    "git-from-directory",
    "git-from-image",
    "git-get-property",
    "git-has-code",
    "git-post-pull",
    "git-pre-pull",
    "git-revision",
    "haproxy-template-source",
    "install",
    "logs-get-property",
    "network-build-config",
    "network-clear-config",
    "network-config-exists",
    "network-get-ipaddr",
    "network-get-listeners",
    "network-get-property",
    "network-get-static-listeners",
    "network-write-ipaddr",
    "network-write-port",
    "nginx-app-template-source",
    "nginx-dokku-template-source",
    "nginx-hostname",
    "nginx-pre-reload",
    "openresty-template-source",
    "ports-clear",
    "ports-configure",
    "ports-get",
    "ports-get-available",
    "ports-get-property",
    "ports-set-detected",
    "post-app-clone",
    "post-app-clone-setup",
    "post-app-rename",
    "post-app-rename-setup",
    "post-build",
    "post-build-buildpack",
    "post-build-dockerfile",
    "post-build-lambda",
    "post-build-pack",
    "post-certs-remove",
    "post-certs-update",
    "post-config-update",
    "post-container-create",
    "post-create",
    "post-delete",
    "post-deploy",
    "post-domains-update",
    "post-extract",
    "post-proxy-ports-update",
    "post-registry-login",
    "post-release-builder",
    "post-stack-set",
    "post-stop",
    "pre-build",
    "pre-build-buildpack",
    "pre-build-dockerfile",
    "pre-build-lambda",
    "pre-build-pack",
    "pre-delete",
    "pre-deploy",
    "pre-disable-vhost",
    "pre-enable-vhost",
    "pre-receive-app",
    "pre-release-builder",
    "pre-release-buildpack",
    "pre-release-dockerfile",
    "pre-release-lambda",
    "pre-release-pack",
    "pre-restore",
    "pre-start",
    "procfile-exists",
    "procfile-get-command",
    "proxy-build-config",
    "proxy-clear-config",
    "proxy-disable",
    "proxy-enable",
    "proxy-is-enabled",
    "proxy-type",
    "ps-can-scale",
    "ps-current-scale",
    "ps-set-scale",
    "receive-app",
    "receive-branch",
    "release-and-deploy",
    "report",
    "resource-get-property",
    "retire-container-failed",
    "scheduler-app-status",
    "scheduler-cron-write",
    "scheduler-deploy",
    "scheduler-detect",
    "scheduler-enter",
    "scheduler-inspect",
    "scheduler-is-deployed",
    "scheduler-logs",
    "scheduler-logs-failed",
    "scheduler-post-delete",
    "scheduler-post-deploy-process",
    "scheduler-post-run",
    "scheduler-pre-restore",
    "scheduler-proxy-logs",
    "scheduler-register-retired",
    "scheduler-retire",
    "scheduler-run",
    "scheduler-run-list",
    "scheduler-run-logs",
    "scheduler-run-retire",
    "scheduler-run-stop",
    "scheduler-stop",
    "scheduler-storage-exec",
    "scheduler-uses-host-cron",
    "storage-app-mounts",
    "storage-create",
    "storage-destroy",
    "storage-list",
    "storage-status",
    "traefik-template-source",
    "uninstall",
    "update",
    "user-auth",
    "user-auth-app",
    "vector-template-source",
];

/// Names of triggers of ours that Dokku does not fire: the internal-only
/// ones, and `scheduler-docker-cleanup` (dropped by Dokku 0.25).
const OURS: &[&str] = &[
    "app-rebuild",
    "apps-is-locked",
    "docker-options-remove",
    "docker-options-volumes",
    "nginx-log-path",
    "procfile-extract-image",
    "proxy-get-property",
    "ps-get-property",
    "scheduler-docker-cleanup",
    "storage-entry-get",
];

/// Installs the spy as a community plugin; returns its log.
pub(crate) fn spy(e: &Env) -> PathBuf {
    let dir = e.lib().join("plugins/enabled/spy");
    fs::create_dir_all(&dir).expect("mkdir spy");
    let log = e.lib().join("spy.log");
    for t in TRIGGERS.iter().chain(OURS) {
        // user-auth-app must hand the apps back or it hides them all; ours
        // fail the command should they ever run.
        let answer = if *t == "user-auth-app" {
            "shift 2\nprintf '%s\\n' \"$@\"\n"
        } else if OURS.contains(t) {
            "exit 1\n"
        } else {
            ""
        };
        let exe = dir.join(t);
        write_script(
            &exe,
            &format!(
                "#!/usr/bin/env bash\necho \"{t} $*\" >> \"{}\"\n{answer}",
                log.display()
            ),
        );
    }
    log
}

/// The lines logged since last asked.
pub(crate) fn take(log: &Path) -> Vec<String> {
    let s = fs::read_to_string(log).unwrap_or_default();
    let _ = fs::remove_file(log);
    s.lines().map(str::to_string).collect()
}

/// The sample app as a tar archive, built FROM `base`.
fn sample_tar(base: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::git::sample_repo(dir.path(), base);
    let o = Command::new("tar")
        .arg("-C")
        .arg(dir.path())
        .args(["--exclude", ".git", "-cf", "-", "."])
        .output()
        .expect("tar");
    assert!(o.status.success());
    o.stdout
}

/// Removes what the renamed and cloned apps left in the engine.
struct Others<'a>(&'a EngineApp, Vec<String>);

impl Drop for Others<'_> {
    fn drop(&mut self) {
        for app in &self.1 {
            remove_app_resources(&self.0.engine, app);
        }
    }
}

#[track_caller]
fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    r
}

/// A logged line in stable words: the apps as `APP`, `APP-r`, `APP-c`,
/// container ids as `CID`, revisions as `REV`, temporary paths as `TMP`.
fn normalize(line: &str, app: &str) -> String {
    let hex = |w: &str, n: usize| w.len() == n && w.bytes().all(|b| b.is_ascii_hexdigit());
    line.trim_end()
        .split(' ')
        .map(|w| {
            if hex(w, 64) {
                "CID".to_string()
            } else if hex(w, 40) {
                "REV".to_string()
            } else if w.starts_with("/tmp/") {
                "TMP".to_string()
            } else {
                w.replace(app, "APP")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Assert that `want` appear among `got` in this order (a trailing `*`
/// matches any rest of the line).
#[track_caller]
fn in_order(step: &str, got: &[String], want: &[&str]) {
    let mut at = 0;
    for w in want {
        let hit = got[at..].iter().position(|g| match w.strip_suffix('*') {
            Some(prefix) => g.starts_with(prefix),
            None => g == w,
        });
        match hit {
            Some(i) => at += i + 1,
            None => panic!(
                "{step}: {w:?} missing (in this order) from:\n{}",
                got.join("\n")
            ),
        }
    }
}

#[test]
fn a_spy_plugin_sees_dokkus_triggers_with_dokkus_arguments() {
    let fx = EngineApp::new("trigger-spy");
    let app = fx.name.clone();
    let renamed = format!("{app}-r");
    let cloned = format!("{app}-c");
    let _others = Others(&fx, vec![renamed.clone(), cloned.clone()]);
    let e = Env::new();
    ok(e.run(&["checks:set", "--global", "wait-to-retire", "1"]));
    ok(e.run(&["ps:set", "--global", "stop-timeout-seconds", "1"]));
    let log = spy(&e);
    let user = String::from_utf8(Command::new("id").arg("-un").output().expect("id").stdout)
        .expect("utf8")
        .trim()
        .to_string();
    let seen = || -> Vec<String> {
        let got: Vec<String> = take(&log).iter().map(|l| normalize(l, &app)).collect();
        for line in &got {
            let name = line.split(' ').next().unwrap_or_default();
            assert!(!OURS.contains(&name), "not Dokku's: {line}");
        }
        got
    };
    let step = |r: Run| -> Vec<String> {
        ok(r);
        seen()
    };

    let got = step(e.run(&["apps:create", &app]));
    in_order(
        "apps:create",
        &got,
        &[
            &format!("user-auth {user} default apps:create APP"),
            "post-create APP",
        ],
    );
    let got = step(e.run(&["apps:list"]));
    in_order(
        "apps:list",
        &got,
        &[&format!("user-auth-app {user} default APP")],
    );
    let got = step(e.run(&["config:set", "--no-restart", &app, "A=1"]));
    in_order("config:set", &got, &["post-config-update APP set A=1"]);
    let got = step(e.run(&["domains:add", &app, "spy.example.com"]));
    in_order(
        "domains:add",
        &got,
        &["post-domains-update APP add spy.example.com"],
    );

    let got = step(e.run_stdin(&["git:from-archive", &app, "--"], &sample_tar(&fx.base)));
    in_order(
        "git:from-archive",
        &got,
        &[
            // app-json (a core plugin, so before the spy) checks the
            // staged app.json while answering core-post-extract.
            "app-json-is-valid APP TMP",
            "core-post-extract APP TMP REV",
            "post-extract APP TMP REV",
            "builder-detect APP TMP",
            "pre-receive-app APP dockerfile TMP REV",
            "deploy-source-set APP archive --",
            "docker-args-process-build APP dockerfile",
            "pre-build dockerfile APP TMP",
            "pre-build-dockerfile APP",
            "post-build dockerfile APP TMP",
            "post-build-dockerfile APP",
            "builder-build dockerfile APP TMP",
            "pre-release-builder dockerfile APP dokku/APP:latest",
            "pre-release-dockerfile APP latest",
            "post-release-builder dockerfile APP dokku/APP:latest",
            "builder-release dockerfile APP latest",
            "deployed-app-repository APP",
            "deployed-app-image-tag APP",
            "deployed-app-image-repo APP",
            "pre-deploy APP latest",
            "docker-args-process-deploy APP dockerfile latest web 1",
            "post-container-create app CID APP deploy",
            "check-deploy APP CID web 5000 *",
            "scheduler-post-deploy-process APP web",
            "network-write-ipaddr APP web 1 *",
            "network-write-port APP web 1 5000",
            "core-post-deploy APP   latest",
            "post-deploy APP   latest",
            "scheduler-deploy docker-local APP latest",
            "release-and-deploy APP latest",
            "git-from-directory APP TMP Dokku automated@dokku.sh",
            "git-from-archive APP -- tar Dokku automated@dokku.sh",
        ],
    );

    // Ours answer in process only: the access log's path (nginx-log-path)...
    let access = e.dir.path().join("spy-access.log");
    fs::write(&access, "one\ntwo\n").expect("access log");
    ok(e.run(&[
        "nginx:set",
        &app,
        "access-log-path",
        &access.display().to_string(),
    ]));
    let got = step(e.run(&["nginx:access-logs", &app]));
    in_order(
        "nginx:access-logs",
        &got,
        &["scheduler-proxy-logs docker-local APP nginx access *"],
    );
    assert_eq!(e.run(&["nginx:access-logs", &app]).ok(), "one\ntwo\n");
    seen();
    // ...and the entry storage:exec runs with (storage-entry-get).
    ok(e.run(&["storage:create", &app]));
    let mut exec = e.cmd(&["storage:exec", &app, "--", "true"]);
    exec.env("DOKKU_STORAGE_EXEC_IMAGE", &fx.base);
    let got = step(Run::from(exec.output().expect("storage:exec")));
    in_order(
        "storage:exec",
        &got,
        &["scheduler-storage-exec docker-local APP *"],
    );

    let got = step(e.run(&["ps:stop", &app]));
    in_order(
        "ps:stop",
        &got,
        &[
            "scheduler-stop docker-local APP false",
            "post-stop APP",
            "scheduler-cron-write docker-local APP",
        ],
    );
    let got = step(e.run(&["ps:start", &app]));
    in_order(
        "ps:start",
        &got,
        &[
            "pre-start APP",
            "pre-deploy APP latest",
            "release-and-deploy APP latest",
            "scheduler-cron-write docker-local APP",
        ],
    );
    let got = step(e.run(&["run:detached", &app, "true"]));
    in_order(
        "run:detached",
        &got,
        &[
            "docker-args-process-run APP dockerfile latest",
            "post-container-create app CID APP run",
            "scheduler-post-run docker-local APP CID",
            "scheduler-run docker-local APP 0 true",
        ],
    );
    let got = step(e.run(&["ps:restore", "--all"]));
    in_order(
        "ps:restore",
        &got,
        &[
            "pre-restore",
            "scheduler-pre-restore docker-local APP",
            "proxy-build-config APP",
        ],
    );
    let zero = "0".repeat(40);
    let new = "1".repeat(40);
    let pushed = format!("{zero} {new} refs/heads/feature\n");
    let got = step(e.run_stdin(&["git-hook", &app], pushed.as_bytes()));
    in_order(
        "git-hook",
        &got,
        &["receive-branch APP REV refs/heads/feature"],
    );

    let got = step(e.run(&["apps:rename", "--skip-deploy", &app, &renamed]));
    in_order(
        "apps:rename",
        &got,
        &[
            "post-app-rename-setup APP APP-r",
            "pre-delete APP",
            "post-delete APP",
            "post-app-rename APP APP-r",
        ],
    );
    let got = step(e.run(&["apps:clone", "--skip-deploy", &renamed, &cloned]));
    in_order(
        "apps:clone",
        &got,
        &[
            "post-app-clone-setup APP-r APP-c",
            "post-app-clone APP-r APP-c",
        ],
    );
    for a in [&cloned, &renamed] {
        let got = step(e.run(&["--force", "apps:destroy", a]));
        let a = normalize(a, &app);
        in_order(
            "apps:destroy",
            &got,
            &[
                &format!("pre-delete {a}"),
                &format!("scheduler-post-delete docker-local {a}"),
                &format!("post-delete {a}"),
                &format!("scheduler-cron-write docker-local {a}"),
            ],
        );
    }
}
