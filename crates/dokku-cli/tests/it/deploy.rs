//! Deploys against the real Docker engine: a busybox `httpd` sample app is
//! built straight with the engine (no builder plugin involved) as
//! `dokku/<app>:latest`, then released and deployed through `ps:*`, with
//! zero-downtime checks, retirement, scaling, restarts, a failing
//! healthcheck and destruction. Every resource carries the test app's name
//! and is removed even when a test fails.

use std::time::{Duration, Instant};

use dokku_docker::{ContainerEngine, ContainerFilter, ImageFilter};

use crate::harness::write_script;
use crate::harness::{http_get_raw, Poller, TestApp};

/// One app under test, with fast checks (1 s fallback wait, 2 s
/// retirement, 1 s stop timeout).
struct App(TestApp);

impl std::ops::Deref for App {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.0
    }
}

impl App {
    fn new(test: &str) -> App {
        App(TestApp::with_fast_checks(test, "2"))
    }

    /// A new app with `v1` built and deployed.
    fn deployed(test: &str) -> App {
        let app = App::new(test);
        app.build("v1", "");
        app.deploy();
        app
    }

    /// Build `dokku/<app>:latest` serving `body` at `/`; `extra` lines go
    /// into the Dockerfile before `CMD`.
    fn build(&self, body: &str, extra: &str) {
        let index = format!("{body} {}", self.name);
        self.build_httpd(&index, &format!("echo serving {body}; "), extra);
    }

    /// `http://<IP.web.N>:<PORT.web.N>/`, read from the deploy's records.
    fn get(&self, index: u32) -> Result<String, String> {
        let body = http_get(
            &self.read(&format!("IP.web.{index}")),
            &self.read(&format!("PORT.web.{index}")),
        )?;
        // Addresses are reused: only an answer naming this app counts.
        body.strip_suffix(&format!(" {}", self.name))
            .map(str::to_string)
            .ok_or_else(|| format!("answer from another container: {body:?}"))
    }

    /// The app's containers (name, state, id), running or not.
    fn containers(&self) -> Vec<(String, String, String)> {
        let mut v: Vec<(String, String, String)> = self
            .0
            .containers(&[])
            .into_iter()
            .map(|c| (c.name().unwrap_or("").to_string(), c.state, c.id))
            .collect();
        v.sort();
        v
    }

    /// Provide an app.json for the app through an external plugin
    /// answering `app-json-get-content`.
    fn app_json(&self, content: &str) {
        self.app_json_with_parallelism(content, "");
    }

    /// Like [`App::app_json`], also answering
    /// `app-json-process-deploy-parallelism` with `parallel`.
    fn app_json_with_parallelism(&self, content: &str, parallel: &str) {
        let dir = self.env.lib().join("plugins/enabled/test-appjson");
        std::fs::create_dir_all(&dir).expect("plugin dir");
        let json = self.env.lib().join("test-app.json");
        std::fs::write(&json, content).expect("app.json");
        let script = dir.join("app-json-get-content");
        std::fs::write(&script, format!("#!/bin/sh\ncat '{}'\n", json.display())).expect("script");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let script = dir.join("app-json-process-deploy-parallelism");
        write_script(&script, &format!("#!/bin/sh\necho '{parallel}'\n"));
    }
}

/// One HTTP/1.0 GET of `/` from `ip:port`, the body on success.
fn http_get(ip: &str, port: &str) -> Result<String, String> {
    let raw = http_get_raw(&format!("{}:{}", ip.trim(), port.trim()))?;
    if !raw.starts_with("HTTP/1.") || !raw.contains(" 200 ") {
        return Err(format!("bad answer: {raw:?}"));
    }
    Ok(raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.trim().to_string())
        .unwrap_or_default())
}

/// What the release of an app without predeploy or release tasks prints
/// before its deploy, once [`stable`].
const RELEASE_WITHOUT_TASKS: &str = "\
-----> Releasing APP...
-----> Checking for predeploy task
       No predeploy task found, skipping
-----> Checking for release task
       No release task found, skipping
-----> Deploying APP via the docker-local scheduler...
";

/// Deploy output made [`stable`], after the release of an app without
/// tasks (asserted).
#[track_caller]
fn after_release(app: &App, s: &str) -> String {
    let out = stable(app, s);
    match out.strip_prefix(RELEASE_WITHOUT_TASKS) {
        Some(rest) => rest.to_string(),
        None => panic!("not a release without tasks:\n{out}"),
    }
}

/// Replace what changes between runs (ids, addresses, names) in deploy
/// output.
fn stable(app: &App, s: &str) -> String {
    let mut out = String::new();
    for line in s.lines() {
        let mut l = line.replace(&app.name, "APP");
        for (i, w) in l.clone().split_whitespace().enumerate() {
            let hexish = w.trim_matches(['(', ')']);
            if hexish.len() >= 12 && hexish.chars().all(|c| c.is_ascii_hexdigit()) {
                l = l.replace(hexish, "<id>");
            }
            if let Some(rest) = w
                .strip_prefix("APP.web.1.upcoming-")
                .or_else(|| w.strip_prefix("APP.web.2.upcoming-"))
            {
                l = l.replace(rest, "<n>");
            }
            if w.starts_with("http://") && i == 0 {
                l = format!(
                    "{}http://<ip>:5000",
                    " ".repeat(line.len() - line.trim_start().len())
                );
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[test]
fn deploy_records_labels_env_and_answers_on_its_address() {
    let app = App::new("deploy-basic");
    app.build("v1", "");
    let r = app.run(&["ps:rebuild", &app.name]);
    insta::assert_snapshot!(after_release(&app, r.ok()), @r#"
        -----> Deploying web (count=1)
               Attempting pre-flight checks (web.1)
               For more efficient zero downtime deployments, create a file CHECKS.
               See https://dokku.com/docs/deployment/zero-downtime-deploys/ for examples
               CHECKS file not found in container: Running simple container check...
        -----> Waiting for 1 seconds ...
        -----> Default container check successful!
        -----> Running post-deploy
        -----> Renaming containers
               Renaming container APP.web.1.upcoming-<n> (<id>) to APP.web.1
        -----> Checking for postdeploy task
               No postdeploy task found, skipping
        -----> Checking for first deploy postdeploy task
               No first deploy postdeploy task found, skipping
        =====> Application deployed:
               http://<ip>:5000
        "#);
    let id = app.read("CONTAINER.web.1");
    assert_eq!(app.read("PORT.web.1"), "5000");
    assert_eq!(app.get(1).expect("answers"), "v1");
    let info = app.engine.inspect_container(&id).expect("inspect");
    assert_eq!(info.name, format!("{}.web.1", app.name));
    // ps and logs give every deployed container one restart policy and one
    // log rotation size, through docker-args-process-deploy.
    let host = std::process::Command::new("docker")
        .args(["container", "inspect", "--format"])
        .arg("{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}} {{json .HostConfig.LogConfig.Config}}")
        .arg(&id)
        .output()
        .expect("docker inspect");
    assert_eq!(
        String::from_utf8_lossy(&host.stdout),
        "on-failure:10 {\"max-size\":\"10m\"}\n"
    );
    let labels: Vec<(String, String)> = info
        .labels
        .iter()
        .filter(|(k, _)| {
            k.starts_with("com.dokku.") || k.starts_with("org.label-schema") || *k == "dokku"
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    insta::assert_debug_snapshot!(labels.iter().map(|(k, v)| format!("{k}={}", v.replace(&app.name, "APP"))).collect::<Vec<_>>(), @r#"
        [
            "com.dokku.app-name=APP",
            "com.dokku.container-type=deploy",
            "com.dokku.dyno=web.1",
            "com.dokku.process-type=web",
            "com.dokku.test=APP",
            "dokku=",
            "org.label-schema.schema-version=1.0",
            "org.label-schema.vendor=dokku",
        ]
        "#);
    assert!(
        info.env.contains(&"PORT=5000".to_string()),
        "{:?}",
        info.env
    );
    assert!(
        info.env.contains(&"DYNO=web.1".to_string()),
        "{:?}",
        info.env
    );
    assert_eq!(
        info.ip_address("bridge"),
        Some(app.read("IP.web.1").as_str())
    );
    let report = app.run(&["ps:report", &app.name, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(report.ok()).expect("json");
    assert_eq!(
        (
            v["deployed"].as_str(),
            v["running"].as_str(),
            v["processes"].as_str()
        ),
        (Some("true"), Some("true"), Some("1"))
    );
    assert_eq!(
        v["status-web-1"]
            .as_str()
            .map(|s| s.starts_with("running (CID: ")),
        Some(true)
    );
    assert_eq!(
        app.run(&["ps:report", &app.name, "--ps-computed-restart-policy"])
            .ok(),
        "on-failure:10\n"
    );
    let inspect = app.run(&["ps:inspect", &app.name]);
    let v: serde_json::Value = serde_json::from_str(inspect.ok()).expect("inspect json");
    assert_eq!(v[0]["Id"].as_str(), Some(id.as_str()));
}

#[test]
fn redeploy_serves_every_request_and_retires_the_old_container() {
    let app = App::deployed("deploy-zero-downtime");
    let old = app.read("CONTAINER.web.1");
    assert_eq!(app.get(1).expect("v1"), "v1");

    let root = app.env.root().join(&app.name);
    let poller = Poller::start(120, move || {
        let ip = std::fs::read_to_string(root.join("IP.web.1")).unwrap_or_default();
        let port = std::fs::read_to_string(root.join("PORT.web.1")).unwrap_or_default();
        http_get(&ip, &port)
    });

    app.build("v2", "");
    let r = app.run(&["ps:rebuild", &app.name]);
    r.ok();
    assert!(
        r.stdout
            .contains("-----> Shutting down old containers in 2 seconds"),
        "{}",
        r.stdout
    );
    assert_eq!(app.get(1).expect("v2"), "v2");
    assert_ne!(app.read("CONTAINER.web.1"), old);
    // The old container keeps running through the wait, then is retired.
    assert!(
        app.engine
            .inspect_container(&old)
            .map(|i| i.running)
            .unwrap_or(false),
        "old container stopped too early"
    );
    app.eventually(30, "the old container to be retired", || {
        app.engine.inspect_container(&old).is_err()
    });
    std::thread::sleep(Duration::from_millis(500));
    poller.finish(20);
    assert_eq!(app.containers().len(), 1, "{:?}", app.containers());
}

#[test]
fn scale_restart_stop_and_start() {
    let app = App::deployed("deploy-scale");
    app.run(&["checks:set", &app.name, "wait-to-retire", "0"])
        .ok();

    let r = app.run(&["ps:scale", &app.name, "web=2"]);
    assert!(
        r.ok()
            .starts_with(&format!("-----> Scaling {} processes: web=2\n", app.name)),
        "{}",
        r.stdout
    );
    assert_eq!(
        (app.get(1).expect("web.1"), app.get(2).expect("web.2")),
        ("v1".to_string(), "v1".to_string())
    );
    let names: Vec<String> = app
        .containers()
        .into_iter()
        .map(|(n, _, _)| n.replace(&app.name, "APP"))
        .collect();
    assert_eq!(names, vec!["APP.web.1", "APP.web.2"]);
    insta::assert_snapshot!(app.run(&["ps:scale", &app.name]).ok().replace(&app.name, "APP"), @r#"
        -----> Scaling for APP
        proctype: qty
        --------: ---
        web     : 2
        "#);

    let before = (app.read("CONTAINER.web.1"), app.read("CONTAINER.web.2"));
    app.run(&["ps:restart", &app.name]).ok();
    let after = (app.read("CONTAINER.web.1"), app.read("CONTAINER.web.2"));
    assert_ne!(before.0, after.0);
    assert_ne!(before.1, after.1);
    assert_eq!(app.get(2).expect("web.2 after restart"), "v1");

    let r = app.run(&["ps:stop", &app.name]);
    assert_eq!(r.ok(), format!("-----> Stopping {}\n", app.name));
    assert!(
        app.containers()
            .iter()
            .all(|(_, state, _)| state != "running"),
        "{:?}",
        app.containers()
    );
    assert_eq!(
        app.run(&["ps:report", &app.name, "--running"]).ok(),
        "false\n"
    );
    assert_eq!(
        app.run(&["ps:report", &app.name, "--restore"]).ok(),
        "false\n"
    );
    assert!(app.get(1).is_err());

    app.run(&["ps:start", &app.name]).ok();
    assert_eq!(app.get(1).expect("started"), "v1");
    assert_eq!(
        app.run(&["ps:report", &app.name, "--running"]).ok(),
        "true\n"
    );
    let r = app.run(&["ps:start", &app.name]);
    assert_eq!(
        r.stderr,
        format!(" !     App {} already running\n", app.name)
    );

    app.run(&["ps:scale", &app.name, "web=1"]).ok();
    assert!(!app.file("CONTAINER.web.2").exists());
    assert!(app.get(2).is_err());
    assert_eq!(app.containers().len(), 1, "{:?}", app.containers());
}

#[test]
fn restart_within_the_same_second_still_renames_the_old_container() {
    let app = App::deployed("deploy-rename");
    let old = app.read("CONTAINER.web.1");
    // The old container is renamed `<app>.web.1.<unix time>`; a deploy
    // in the same second as the previous one finds that name taken.
    // Squat on the names of the next minute to force the clash.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    for n in 0..60 {
        let mut spec = dokku_docker::ContainerSpec::new(&app.base);
        spec.cmd = Some(vec!["true".into()]);
        spec.name = Some(format!("{}.web.1.{}", app.name, now + n));
        spec.labels
            .insert("com.dokku.app-name".into(), app.name.clone());
        app.engine.create_container(&spec).expect("squatter");
    }
    let r = app.run(&["ps:restart", &app.name]);
    r.ok();
    assert!(!r.stderr.contains("Failed to rename"), "{}", r.stderr);
    let new = app.read("CONTAINER.web.1");
    assert_ne!(new, old);
    let names: std::collections::BTreeMap<String, String> = app
        .containers()
        .into_iter()
        .map(|(n, _, id)| (id, n))
        .collect();
    assert_eq!(names[new.trim()], format!("{}.web.1", app.name));
    assert!(
        names[old.trim()].starts_with(&format!("{}.web.1.", app.name)),
        "{names:?}"
    );
    assert_eq!(app.get(1).expect("web.1 after restart"), "v1");
}

#[test]
fn predeploy_task_that_cannot_start_fails_the_deploy() {
    let app = App::new("deploy-predeploy");
    app.build("v1", "");
    // The app.json extracted at the last build.
    let dir = app.env.lib().join("data/app-json").join(&app.name);
    std::fs::create_dir_all(&dir).expect("app-json dir");
    std::fs::write(
        dir.join("app.json"),
        r#"{"scripts":{"dokku":{"predeploy":"echo prepared"}}}"#,
    )
    .expect("app.json");
    // busybox has no /bin/bash, Dokku's default DOKKU_APP_SHELL.
    let r = app.run(&["ps:rebuild", &app.name]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        " !     Execution of predeploy task failed: echo prepared\n"
    );
    assert!(!app.file("CONTAINER.web.1").exists());

    app.run(&[
        "config:set",
        "--no-restart",
        &app.name,
        "DOKKU_APP_SHELL=/bin/sh",
    ])
    .ok();
    let r = app.run(&["ps:rebuild", &app.name]);
    let out = stable(&app, r.ok());
    let start = out
        .find("-----> Checking for predeploy task")
        .expect("predeploy");
    let lines: Vec<&str> = out[start..].lines().take(5).collect();
    assert_eq!(lines[0], "-----> Checking for predeploy task");
    assert_eq!(
        lines[1],
        "       Executing predeploy task from app.json in ephemeral container: echo prepared"
    );
    assert!(
        lines[2].starts_with("=====> Start of APP predeploy task (")
            && lines[2].ends_with(") output"),
        "{out}"
    );
    assert_eq!(lines[3], "       prepared");
    assert!(
        lines[4].starts_with("=====> End of APP predeploy task ("),
        "{out}"
    );
}

#[test]
fn failing_healthcheck_keeps_the_old_release_serving() {
    let app = App::new("deploy-failing-check");
    app.build("v1", "");
    app.app_json(r#"{"healthchecks":{"web":[{"type":"startup","name":"ready","path":"/","content":"v1","attempts":2,"wait":1,"timeout":2}]}}"#);
    let r = app.run(&["ps:rebuild", &app.name]);
    assert!(
        r.ok().contains("Healthcheck succeeded name='ready'"),
        "{}",
        r.stdout
    );
    let old = app.read("CONTAINER.web.1");

    app.build("v2", "");
    let r = app.run(&["ps:rebuild", &app.name]);
    assert_eq!(r.code, 1, "{r:?}");
    insta::assert_snapshot!(after_release(&app, &r.stdout), @r#"
        -----> Deploying web (count=1)
               Attempting pre-flight checks (web.1)
        -----> Executing 1 healthchecks (web.1)
               Running healthcheck name='ready' attempts=2 path='/' port=5000 content='v1' timeout=2 type='startup' wait=1
               Healthcheck failed name='ready' attempt=1/2: expected content "v1" not found in answer of /
               Healthcheck failed name='ready' attempt=2/2: expected content "v1" not found in answer of /
        =====> Start of APP container output (web.1)
               serving v2
        =====> End of APP container output (web.1)
        "#);
    insta::assert_snapshot!(stable(&app, &r.stderr), @r#"
        !     Failure in name='ready': expected content "v1" not found in answer of /
        !     Could not start due to 1 failed checks (web.1)
        "#);
    assert_eq!(app.read("CONTAINER.web.1"), old);
    assert_eq!(app.get(1).expect("old release"), "v1");
    assert_eq!(app.containers().len(), 1, "{:?}", app.containers());
}

#[test]
fn http_healthcheck_goes_live_without_the_fixed_wait() {
    let app = App::new("deploy-http-check");
    app.run(&["checks:set", "--global", "default-wait", "30"])
        .ok();
    app.build("v1", "");
    app.app_json(r#"{"healthchecks":{"web":[{"type":"startup","path":"/","content":"v1"}]}}"#);
    let started = Instant::now();
    app.run(&["ps:rebuild", &app.name]).ok();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(app.get(1).expect("answers"), "v1");
}

#[test]
fn config_changes_restart_a_deployed_app() {
    let app = App::new("deploy-config");
    app.build("v1", "");
    let r = app.run(&["config:set", &app.name, "BEFORE=deploy"]);
    assert!(
        !r.ok().contains("Restarting"),
        "an app never deployed is not restarted: {}",
        r.stdout
    );
    app.run(&["ps:rebuild", &app.name]).ok();
    let old = app.read("CONTAINER.web.1");
    let r = app.run(&["config:set", &app.name, "FOO=bar"]);
    assert!(
        r.ok()
            .contains(&format!("-----> Restarting app {}", app.name)),
        "{}",
        r.stdout
    );
    let id = app.read("CONTAINER.web.1");
    assert_ne!(id, old);
    let env = app.engine.inspect_container(&id).expect("inspect").env;
    assert!(
        env.contains(&"FOO=bar".to_string()) && env.contains(&"BEFORE=deploy".to_string()),
        "{env:?}"
    );
}

#[test]
fn deploy_lock_refuses_and_destroy_leaves_nothing() {
    let app = App::new("deploy-destroy");
    app.build("v1", "");
    app.run(&["apps:lock", &app.name]).ok();
    let r = app.run(&["ps:rebuild", &app.name]);
    assert_eq!(
        (r.code, r.stderr.replace(&app.name, "APP")),
        (
            1,
            " !     APP currently has a deploy lock in place. Exiting...\n !     Run 'apps:unlock' to release the existing deploy lock\n"
                .to_string()
        )
    );
    app.run(&["apps:unlock", &app.name]).ok();
    app.run(&["ps:rebuild", &app.name]).ok();
    app.build("v2", "");
    app.run(&["ps:rebuild", &app.name]).ok();
    assert!(!app.containers().is_empty());
    let lock = app
        .env
        .lib()
        .join("data/apps")
        .join(&app.name)
        .join(".deploy.lock");
    assert!(!lock.exists());

    app.run(&["apps:destroy", "--force", &app.name]).ok();
    assert_eq!(app.containers(), Vec::<(String, String, String)>::new());
    let images = app.engine.list_images(&ImageFilter {
        reference: Some(format!("dokku/{}", app.name)),
        ..ImageFilter::default()
    });
    assert_eq!(images.expect("images").len(), 0);
    let labelled = app
        .engine
        .list_images(&ImageFilter::label(app.label()))
        .expect("images");
    assert_eq!(labelled.len(), 0, "{labelled:?}");
    assert!(!app.env.root().join(&app.name).exists());
}

#[test]
fn procfile_formation_and_parallel_deploys() {
    let app = App::new("deploy-procfile");
    app.build("v1", "");
    let procfile = app
        .env
        .lib()
        .join("data/ps")
        .join(&app.name)
        .join("Procfile");
    std::fs::create_dir_all(procfile.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &procfile,
        "web: httpd -f -p $PORT -h /www\nworker: sh -c 'echo working; exec sleep 600'\n",
    )
    .expect("Procfile");
    app.app_json_with_parallelism(
        r#"{"formation": {"web": {"quantity": 2, "max_parallel": 2}, "worker": {"quantity": 1}}}"#,
        "2",
    );
    app.run(&[
        "scheduler-docker-local:set",
        &app.name,
        "parallel-schedule-count",
        "2",
    ])
    .ok();
    let r = app.run(&["ps:rebuild", &app.name]);
    assert!(
        r.ok().contains("-----> Deploying web (count=2)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("-----> Deploying worker (count=1)"),
        "{}",
        r.stdout
    );
    assert_eq!(app.get(1).expect("web.1"), "v1");
    assert_eq!(app.get(2).expect("web.2"), "v1");
    let worker = app
        .engine
        .inspect_container(&app.read("CONTAINER.worker.1"))
        .expect("worker");
    assert_eq!(worker.name, format!("{}.worker.1", app.name));
    assert!(
        worker.env.contains(&"DYNO=worker.1".to_string()),
        "{:?}",
        worker.env
    );
    assert!(
        !worker.env.iter().any(|e| e.starts_with("PORT=")),
        "{:?}",
        worker.env
    );
    assert_eq!(
        app.run(&["ps:scale", &app.name, "--format", "json"]).ok(),
        "[{\"process_type\":\"web\",\"quantity\":2},{\"process_type\":\"worker\",\"quantity\":1}]\n"
    );
    let r = app.run(&["ps:scale", &app.name, "web=3"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        app.run(&["ps:report", &app.name, "--ps-can-scale"]).ok(),
        "false\n"
    );
}

#[test]
fn restore_starts_what_ran_before_a_reboot() {
    let app = App::deployed("deploy-restore");
    let id = app.read("CONTAINER.web.1");
    // A reboot: the engine stopped the container behind dokku's back.
    app.engine
        .stop_container(&id, Some(Duration::from_secs(1)))
        .expect("stop");
    assert!(app.get(1).is_err());
    let r = app.run(&["ps:restore"]);
    assert_eq!(
        r.stderr,
        " !     Restore specified without app, assuming --all\n"
    );
    assert_eq!(
        app.read("CONTAINER.web.1"),
        id,
        "existing containers are started, not replaced"
    );
    app.eventually(10, "the restored container to answer", || {
        app.get(1).is_ok()
    });

    // A stopped app stays stopped.
    app.run(&["ps:stop", &app.name]).ok();
    let r = app.run(&["ps:restore", &app.name]);
    assert_eq!(
        r.stderr,
        format!(
            " !     Skipping ps:restore for {} as restore property is false\n",
            app.name
        )
    );
    assert!(app.get(1).is_err());

    // Missing containers mean a fresh release.
    app.run(&["ps:set", &app.name, "restore", "true"]).ok();
    app.engine.remove_container(&id, true).expect("remove");
    let r = app.run(&["ps:restore", &app.name]);
    assert!(
        r.stderr
            .contains("App has been detected as not running, releasing"),
        "{}",
        r.stderr
    );
    assert_ne!(app.read("CONTAINER.web.1"), id);
    assert_eq!(app.get(1).expect("released again"), "v1");
}

/// A container as a deploy killed during app.json extraction leaves it:
/// created from the app's image with the labels of the extraction
/// container, never removed.
fn leftover_extraction(app: &App) -> String {
    let spec = dokku_app_json::extract::extraction_spec(
        &app.name,
        &format!("dokku/{}:latest", app.name),
        "/app.json",
    );
    app.engine.create_container(&spec).expect("create leftover")
}

fn container_exists(app: &App, id: &str) -> bool {
    app.engine
        .list_containers(&ContainerFilter::label(format!(
            "com.dokku.app-name={}",
            app.name
        )))
        .expect("list")
        .iter()
        .any(|c| c.id == id)
}

#[test]
fn leftovers_of_a_killed_deploy_are_removed_by_the_next_deploy_and_destroy() {
    let app = App::new("leftovers");
    app.build("v1", "");
    let stray = leftover_extraction(&app);
    assert!(container_exists(&app, &stray));
    app.run(&["ps:rebuild", &app.name]).ok();
    assert!(
        !container_exists(&app, &stray),
        "the next deploy removes the leftover"
    );
    assert_eq!(
        app.get(1).as_deref(),
        Ok("v1"),
        "the app itself is deployed"
    );

    let stray = leftover_extraction(&app);
    app.run(&["apps:destroy", "--force", &app.name]).ok();
    assert!(
        !container_exists(&app, &stray),
        "apps:destroy removes the leftover"
    );
}
