//! Build records: every deploy leaves a record and its full output under
//! `data/builds/<app>/`, which the `builds:*` commands list, show, follow,
//! cancel and prune.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use crate::harness::write_file;
use crate::harness::write_script;
use crate::harness::{EngineApp, Env};

/// A deployable app: created, checks off, quick to stop, image built.
fn deployable(test: &str) -> (EngineApp, Env) {
    let fx = EngineApp::new(test);
    let env = Env::new();
    env.create_app(&fx.name);
    env.run(&["checks:disable", &fx.name]).ok();
    env.run(&["ps:set", &fx.name, "stop-timeout-seconds", "1"])
        .ok();
    fx.build_httpd("hello", "", "");
    (fx, env)
}

fn records(env: &Env, app: &str) -> Vec<serde_json::Value> {
    let out = env.run(&["builds:list", app, "--format", "json"]);
    serde_json::from_str(out.ok()).expect("json list")
}

/// Put the build record `<id>.json` of `app`, as a run left it.
fn put_record(env: &Env, app: &str, id: &str, json: &str) {
    write_file(
        &env.lib()
            .join("data/builds")
            .join(app)
            .join(format!("{id}.json")),
        json,
    );
}

#[test]
fn a_deploy_is_recorded_with_its_output() {
    let (fx, env) = deployable("builds-record");
    let app = fx.name.as_str();
    let r = env.run(&["deploy", app]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let list = records(&env, app);
    assert_eq!(list.len(), 1, "{list:?}");
    let rec = &list[0];
    let id = rec["id"].as_str().expect("id").to_string();
    assert_eq!(id.len(), 14);
    assert_eq!(rec["app"], app);
    assert_eq!(rec["kind"], "deploy");
    assert_eq!(rec["source"], "deploy");
    assert_eq!(rec["status"], "succeeded");
    assert_eq!(rec["exit_code"], 0);

    // The record file, as stored.
    let json = env.lib().join(format!("data/builds/{app}/{id}.json"));
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("record")).expect("json");
    let keys: Vec<&str> = stored
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "app",
            "exit_code",
            "finished_at",
            "id",
            "kind",
            "pid",
            "source",
            "started_at",
            "status"
        ]
    );

    // The log holds what the command printed, stdout and stderr.
    let out = env.run(&["builds:output", app, &id]);
    assert_eq!(out.ok(), format!("{}{}", r.stdout, r.stderr));
    assert_eq!(env.run(&["builds:output", app]).ok(), out.stdout);

    let info = env.run(&["builds:info", app, &id]).ok().to_string();
    let lines: Vec<&str> = info.lines().collect();
    assert_eq!(lines[0], format!("=====> Build {id}"));
    assert_eq!(lines[1], format!("       Build ID:   {id}"));
    assert_eq!(lines[2], format!("       App:        {app}"));
    assert_eq!(lines[3], "       Kind:       deploy");
    assert_eq!(lines[4], "       Status:     succeeded");
    assert_eq!(lines[10], "       Exit Code:  0");
    assert_eq!(
        lines[11],
        format!(
            "       Log:        {}",
            env.lib()
                .join(format!("data/builds/{app}/{id}.log"))
                .display()
        )
    );

    // The report shows the latest build.
    env.expect(&["builds:report", app, "--build-status"], "succeeded\n");
    env.expect(&["builds:report", app, "--build-id"], format!("{id}\n"));
    env.expect(
        &["builds:report", app, "--builds-computed-retention"],
        "20\n",
    );

    // A restart is another record; nothing runs now.
    env.run(&["ps:restart", app]).ok();
    let list = records(&env, app);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["source"], "ps:restart");
    env.expect(
        &["builds:list"],
        "=====> Currently running builds\nApp        Build ID        Kind   PID    Source     Started\n",
    );

    // A config change that restarts the app is recorded too.
    env.run(&["config:set", app, "GREETING=hi"]).ok();
    let list = records(&env, app);
    assert_eq!(list.len(), 3);
    assert_eq!(
        (&list[0]["source"], &list[0]["kind"], &list[0]["status"]),
        (
            &"config-redeploy".into(),
            &"deploy".into(),
            &"succeeded".into()
        )
    );

    env.run(&["apps:destroy", app, "--force"]).ok();
    assert!(!env.lib().join(format!("data/builds/{app}")).exists());
}

#[test]
fn retention_prunes_and_abandoned_records_are_reaped() {
    let env = Env::new();
    env.create_app("kept");
    let dir = env.lib().join("data/builds/kept");
    for i in 1..=4 {
        let id = format!("0000000000000{i}");
        put_record(
            &env,
            "kept",
            &id,
            &format!(
                "{{\"id\":\"{id}\",\"app\":\"kept\",\"kind\":\"build\",\"pid\":0,\"started_at\":\"2026-01-01T00:00:0{i}Z\",\"status\":\"running\",\"source\":\"git-hook\"}}"
            ),
        );
        std::fs::write(dir.join(format!("{id}.log")), "x\n").expect("log");
    }
    // A running record whose process is gone shows as abandoned.
    env.transcript(
        r#"
$ builds:report kept --build-status
abandoned
$ builds:set kept retention 2
...
"#,
    );
    env.run(&["builds:set", "kept", "retention", "zero"])
        .fails_with("Invalid value for retention, must be a positive integer");
    env.run(&["builds:prune", "kept"]).ok();
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "00000000000003.json",
            "00000000000003.log",
            "00000000000004.json",
            "00000000000004.log"
        ]
    );
    let list = records(&env, "kept");
    assert_eq!(list[0]["status"], "failed");
    env.expect(&["builds:report", "kept", "--builds-retention"], "2\n");
    env.run(&["builds:info", "kept", "nope"])
        .fails_with("Build nope not found for app kept");
}

#[test]
fn cancel_stops_the_build_and_releases_the_lock() {
    let env = Env::new();
    env.create_app("slow");
    // A stand-in for a deploy in progress: its own process group, its
    // build id in the deploy lock and a running record.
    // SIGQUIT back to its default: a test run started in the background
    // of a shell without job control inherits it ignored.
    let mut child = Command::new("env")
        .args(["--default-signal=QUIT", "sleep", "60"])
        .process_group(0)
        .stdout(Stdio::null())
        .spawn()
        .expect("sleep");
    let pid = child.id();
    let id = "0000000000000z";
    put_record(
        &env,
        "slow",
        id,
        &format!("{{\"id\":\"{id}\",\"app\":\"slow\",\"kind\":\"build\",\"pid\":{pid},\"started_at\":\"2026-01-01T00:00:00Z\",\"status\":\"running\",\"source\":\"git-hook\"}}"),
    );
    let lock = env.lib().join("data/apps/slow/.deploy.lock");
    write_file(&lock, format!("{id}\n"));
    env.expect(
        &["builds:list"],
        format!("=====> Currently running builds\nApp        Build ID        Kind   PID    Source     Started\nslow       {id}  build  {pid:<6} git-hook   2026-01-01T00:00:00Z\n"),
    );

    env.expect(
        &["builds:cancel", "slow"],
        format!("-----> Canceling build {id}\n"),
    );
    let status = child.wait().expect("wait");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(3), "SIGQUIT");
    assert!(!lock.exists());
    env.expect(&["builds:report", "slow", "--build-status"], "canceled\n");
    env.run(&["builds:cancel", "slow"])
        .fails_with("No build is currently running for app slow");
}

/// The build's output also reaches the system log, tagged
/// `dokku-<build id>`, through the real syslog daemon (rsyslog, started
/// by tests/setup-host.sh, writing /var/log/syslog).
#[test]
fn build_output_reaches_syslog_under_the_build_tag() {
    assert!(
        std::path::Path::new(dokku_core::syslog::SOCKET).exists(),
        "a syslog daemon listens on /dev/log (tests/setup-host.sh starts rsyslogd)"
    );
    let (fx, env) = deployable("builds-syslog");
    let app = fx.name.as_str();
    let r = env.run(&["deploy", app]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = records(&env, app);
    let id = list[0]["id"].as_str().expect("id").to_string();
    let tag = format!(" dokku-{id}: ");
    let want = format!("-----> Deploying {app} via the docker-local scheduler...");
    assert!(r.stdout.contains(&want), "{}", r.stdout);
    // rsyslog writes asynchronously: a generous wait.
    let mut logged = Vec::new();
    for _ in 0..100 {
        let text = std::fs::read("/var/log/syslog").unwrap_or_default();
        logged = String::from_utf8_lossy(&text)
            .lines()
            .filter_map(|l| l.split_once(&tag).map(|(_, m)| m.to_string()))
            .collect();
        if logged.contains(&want) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(logged.contains(&want), "{logged:#?}");
    // Every logged line is one the build printed.
    let printed = format!("{}{}", r.stdout, r.stderr);
    for l in &logged {
        assert!(printed.contains(l.as_str()), "{l:?} not printed");
    }
    env.run(&["apps:destroy", app, "--force"]).ok();
}

/// A record whose log file is gone (a build from before the capture):
/// `builds:output` reads what the journal kept under the build's tag,
/// through `journalctl` (a stand-in here: no journald on test hosts).
#[test]
fn output_without_a_log_file_comes_from_the_journal() {
    let env = Env::new();
    env.create_app("old");
    let id = "0000000000000a";
    put_record(
        &env,
        "old",
        id,
        &format!("{{\"id\":\"{id}\",\"app\":\"old\",\"kind\":\"build\",\"pid\":0,\"started_at\":\"2026-01-01T00:00:00Z\",\"finished_at\":\"2026-01-01T00:00:09Z\",\"status\":\"succeeded\",\"source\":\"git-hook\",\"exit_code\":0}}"),
    );
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    write_script(
        &bin.join("journalctl"),
        "#!/bin/sh\necho \"journal: $*\"\necho '-----> Building old'\n",
    );
    let r = env.run_with_path(&bin, &["builds:output", "old", id]);
    assert_eq!(
        r.ok(),
        format!("journal: --no-pager --output cat -t dokku-{id}\n-----> Building old\n")
    );
}
