//! `run`, `run:*`, `enter` and `logs` against the real Docker engine: a
//! busybox app is built straight with the engine as `dokku/<app>:latest`
//! and deployed with `ps:rebuild`, then one-off containers are run beside
//! it. Every resource carries the test app's name and is removed even when
//! a test fails.

use dokku_docker::ContainerEngine;

use crate::harness::write_plugin_toml;
use crate::harness::write_script;
use crate::harness::{Env, TestApp};

/// A created app with fast checks and its image built, not deployed:
/// httpd on $PORT, announcing itself on stdout.
fn built_app(test: &str) -> TestApp {
    let app = TestApp::with_fast_checks(test, "0");
    app.build_httpd("ok", "echo serving v1; echo oops >&2; ", "");
    app
}

/// The container-type label of one-off containers.
const RUN: &[&str] = &["com.dokku.container-type=run"];

/// Whether `name` is `<app>.run.<N>`.
fn is_run_name(app: &str, name: &str) -> bool {
    name.strip_prefix(&format!("{app}.run."))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[test]
fn run_propagates_output_exit_codes_stdin_env_and_procfile_commands() {
    let app = built_app("run-attached");
    let a = app.name.as_str();
    app.run(&["config:set", "--no-restart", a, "FOO=from-config"])
        .ok();
    app.deploy();

    let r = app.run(&["run", a, "echo", "hello"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "hello\n", "")
    );

    let r = app.run(&["run", a, "sh", "-c", "echo out; echo err >&2; exit 3"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (3, "out\n", "err\n")
    );

    let r = app
        .env
        .run_stdin(&["run", "--no-tty", a, "cat"], b"piped line\nsecond\n");
    assert_eq!((r.code, r.stdout.as_str()), (0, "piped line\nsecond\n"));

    let r = app.run(&["run", "-e", "EXTRA=1", "--env=OTHER=two words", a, "env"]);
    let env: Vec<&str> = r.ok().lines().collect();
    for want in ["FOO=from-config", "EXTRA=1", "OTHER=two words"] {
        assert!(env.contains(&want), "{want} missing from {env:?}");
    }
    assert!(
        env.iter().any(|e| e
            .strip_prefix("DYNO=run.")
            .is_some_and(|n| n.parse::<u32>().is_ok())),
        "{env:?}"
    );

    // A Procfile process name runs its command.
    let procfile = app.env.lib().join("data/ps").join(a).join("Procfile");
    std::fs::create_dir_all(procfile.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &procfile,
        "web: sh -c 'echo serving v1; exec httpd -f -p $PORT -h /www'\nworker: echo working with\n",
    )
    .expect("Procfile");
    let r = app.run(&["run", a, "worker", "extra-arg"]);
    assert_eq!(
        r.ok(),
        "-----> Found 'worker' in Procfile, running that command\nworking with extra-arg\n"
    );
    let r = app.run(&["--quiet", "run", a, "worker"]);
    assert_eq!(r.ok(), "working with\n");

    // Attached one-off containers are gone once they exit.
    assert_eq!(app.container_names(RUN), Vec::<String>::new());
}

#[test]
fn run_writes_into_mounted_storage_that_survives_a_redeploy() {
    let app = built_app("run-storage");
    let a = app.name.as_str();
    let dir = app.env.dir.path().join("storage-data");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let spec = format!("{}:/data", dir.display());
    app.run(&["storage:mount", a, &spec]).ok();
    app.deploy();
    app.run(&["run", a, "sh", "-c", "echo kept > /data/file"])
        .ok();
    assert_eq!(
        std::fs::read_to_string(dir.join("file")).expect("written on the host"),
        "kept\n"
    );
    app.deploy();
    assert_eq!(app.run(&["run", a, "cat", "/data/file"]).ok(), "kept\n");
}

#[test]
fn detached_runs_are_listed_logged_and_stopped() {
    let app = built_app("run-detached");
    let a = app.name.as_str();
    app.deploy();
    let r = app.run(&[
        "run:detached",
        a,
        "sh",
        "-c",
        "echo started; exec sleep 300",
    ]);
    let name = r.ok().trim().to_string();
    assert!(is_run_name(a, &name), "{name:?}");
    assert_eq!(r.stdout, format!("{name}\n"));
    assert_eq!(app.container_names(RUN), vec![name.clone()]);
    let info = app.engine.inspect_container(&name).expect("inspect");
    let number = name.rsplit('.').next().unwrap_or_default();
    for (k, v) in [
        ("com.dokku.app-name", a.to_string()),
        ("com.dokku.container-type", "run".to_string()),
        ("com.dokku.dyno", format!("run.{number}")),
        ("dokku", String::new()),
    ] {
        assert_eq!(info.labels.get(k), Some(&v), "{k}: {:?}", info.labels);
    }

    let list = app.run(&["run:list", a]);
    let lines: Vec<&str> = list.ok().lines().collect();
    assert_eq!(lines[0], format!("=====> {a} run containers"));
    assert!(
        lines[1].starts_with("NAMES ") && lines[1].contains("COMMAND"),
        "{lines:?}"
    );
    assert!(lines[2].starts_with(&format!("{name}   ")), "{lines:?}");
    assert!(lines[2].ends_with(" ago"), "{lines:?}");
    let json = app.run(&["run:list", a, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(json.ok()).expect("json");
    // Dokku's key order, as its docs show it.
    let keys: Vec<&str> = json
        .stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
        .collect();
    assert_eq!(
        keys,
        ["name", "state", "command", "created_at"],
        "{}",
        json.stdout
    );
    assert_eq!(v[0]["name"].as_str(), Some(name.as_str()));
    assert_eq!(v[0]["state"].as_str(), Some("running"));
    assert!(
        v[0]["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with(" +0000 UTC")),
        "{v}"
    );

    app.eventually(10, "the detached container's output", || {
        app.run(&["run:logs", "--container", &name, "-q"]).stdout == "started\n"
    });
    let pretty = app.run(&["run:logs", a]);
    assert!(
        pretty
            .ok()
            .contains(&format!(" app[run.{number}]:\u{1b}[0m started")),
        "{:?}",
        pretty.stdout
    );

    // Bad selections print Dokku's lines and change nothing.
    for (args, want) in [
        (vec!["run:logs"], "No container or app specified"),
        (
            vec!["run:stop", "--container", "bogus"],
            "Invalid container name specified: bogus",
        ),
        (
            vec!["run:stop", "--container", &format!("{a}.web.1")],
            "Specified container must be a run container",
        ),
        (
            vec!["run:logs", "other-app", "--container", &name],
            "Specified app does not app in container name",
        ),
    ] {
        let r = app.run(&args);
        assert_eq!(
            (r.code, r.stderr.clone()),
            (1, format!(" !     {want}\n")),
            "{args:?}"
        );
    }
    assert_eq!(app.container_names(RUN), vec![name.clone()]);

    let r = app.run(&["run:stop", "--container", &name]);
    assert_eq!(r.ok(), format!("{name}\n"));
    app.eventually(15, "the stopped container to be removed", || {
        app.container_names(RUN).is_empty()
    });
    assert_eq!(app.run(&["run:list", a, "--format", "json"]).ok(), "[]\n");
}

#[test]
fn enter_runs_commands_in_running_containers() {
    let app = built_app("enter");
    let a = app.name.as_str();
    app.deploy();
    assert_eq!(app.run(&["enter", a, "web", "echo", "hi"]).ok(), "hi\n");
    let r = app.run(&["enter", a, "web.1", "sh", "-c", "echo $DYNO; exit 4"]);
    assert_eq!((r.code, r.stdout.as_str()), (4, "web.1\n"));
    let id = std::fs::read_to_string(app.env.root().join(a).join("CONTAINER.web.1"))
        .expect("container id");
    assert_eq!(
        app.run(&["enter", a, "--container-id", &id[..12], "echo", "by-id"])
            .ok(),
        "by-id\n"
    );
    let r = app.run(&["enter", a, "worker"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!(" !     No containers found for type 'worker'\n !     Available types for app ({a}): web\n")
    );
    let r = app.run(&["enter", a, "--container-id", "ffffffff", "echo"]);
    assert_eq!(
        r.stderr,
        format!(" !     Invalid container id for app: ffffffff\n !     Available ids for app ({a}): {id}\n")
    );
}

#[test]
fn logs_show_prefixed_or_raw_output_of_the_app() {
    let app = built_app("logs");
    let a = app.name.as_str();
    app.deploy();
    app.eventually(10, "the app's output", || {
        app.run(&["logs", a, "-q"]).stdout.contains("serving v1")
    });
    // stdout and stderr lines, in the order the engine stamped them.
    let r = app.run(&["logs", a, "-q"]);
    let mut raw: Vec<&str> = r.ok().lines().collect();
    raw.sort_unstable();
    assert_eq!(raw, vec!["oops", "serving v1"]);
    let r = app.run(&["logs", a, "-n", "1", "--quiet"]);
    assert_eq!(r.ok().lines().count(), 1, "{:?}", r.stdout);
    let r = app.run(&["logs", a, "--num", "5", "-p", "web"]);
    let lines: Vec<&str> = r.ok().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let mut texts = Vec::new();
    for line in &lines {
        let rest = line.strip_prefix("\u{1b}[36m").expect("colour");
        let (ts, rest) = rest.split_once(' ').expect("timestamp");
        assert!(ts.ends_with('Z') && ts.contains('T'), "{line:?}");
        let text = rest
            .strip_prefix("app[web.1]:\u{1b}[0m ")
            .expect("dokku prefix");
        texts.push(text);
    }
    texts.sort_unstable();
    assert_eq!(texts, vec!["oops", "serving v1"]);
    let r = app.run(&["logs", a, "-p", "worker"]);
    r.fails_with("No containers found for app");
    let r = app.run(&["logs:failed", a]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, " !     No failed containers found\n")
    );
}

#[test]
fn bad_input_prints_dokkus_lines_and_changes_nothing() {
    let env = Env::new();
    env.create_app("undeployed");
    let before = env.state();
    for (args, want) in [
        (vec!["run", "missing", "ls"], "App missing does not exist"),
        (
            vec!["run", "undeployed", "ls"],
            "App undeployed has not been deployed",
        ),
        (
            vec!["run:detached", "undeployed", "ls"],
            "App undeployed has not been deployed",
        ),
        (
            vec!["logs", "undeployed"],
            "App undeployed has not been deployed",
        ),
        (vec!["logs", "missing"], "App missing does not exist"),
        (
            vec!["run", "--no-tty", "--force-tty", "undeployed", "ls"],
            "Cannot specify both --force-tty and --no-tty",
        ),
        (
            vec!["run", "--ttl-seconds", "0", "undeployed", "ls"],
            "--ttl-seconds must be a positive integer",
        ),
        (vec!["enter", "undeployed"], "No containers found for app"),
        (vec!["enter", "missing"], "App missing does not exist"),
        (vec!["run:list", "missing"], "App missing does not exist"),
        (
            vec!["run:logs", "--container", "undeployed.run"],
            "Invalid container name specified: undeployed.run",
        ),
        (
            vec!["logs:set", "undeployed", "max-size", "10"],
            "Invalid max-size unit measure, value must end in any of [k, m, g]",
        ),
        (
            vec!["logs:set", "undeployed", "vector-image", "x"],
            "vector-image may only be set globally with --global",
        ),
    ] {
        let r = env.run(&args);
        assert_eq!(
            (r.code, r.stderr.clone()),
            (1, format!(" !     {want}\n")),
            "{args:?}"
        );
        assert_eq!(r.stdout, "", "{args:?}");
    }
    let r = env.run(&["run", "--env"]);
    assert_eq!(
        r.stderr,
        " !     expected --env to have an argument\n !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n"
    );
    assert!(env.state() == before, "state changed");
}

#[test]
fn logs_properties_are_set_and_reported() {
    let env = Env::new();
    env.create_app("node-js-app");
    let ok = |args: &[&str]| env.run(args).ok().to_string();
    assert_eq!(
        ok(&["logs:set", "node-js-app", "max-size", "20m"]),
        "=====> Setting max-size to 20m\n"
    );
    ok(&[
        "logs:set",
        "--global",
        "vector-sink",
        "console://?encoding[codec]=json",
    ]);
    ok(&["logs:set", "node-js-app", "app-label-alias", "app_name"]);
    assert_eq!(env.lib_file("config/logs/node-js-app/max-size"), "20m");
    insta::assert_snapshot!(ok(&["logs:report", "node-js-app"]), @r#"
    =====> node-js-app logs information
           Logs app label alias:           app_name
           Logs computed app label alias:  app_name
           Logs computed max size:         20m
           Logs computed vector cron sink: 
           Logs computed vector image:     timberio/vector:0.49.0-debian
           Logs computed vector networks:  
           Logs computed vector sink:      console://redacted
           Logs global app label alias:    
           Logs global max size:           
           Logs global vector cron sink:   
           Logs global vector image:       
           Logs global vector networks:    
           Logs global vector sink:        console://redacted
           Logs max size:                  20m
           Logs vector cron sink:          
           Logs vector sink:
    "#);
    assert_eq!(
        ok(&["logs:report", "node-js-app", "--logs-computed-max-size"]),
        "20m\n"
    );
    // The default bridge is restored by clearing the property, not named.
    let r = env.run(&["logs:set", "--global", "vector-networks", "bridge"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stderr
        .starts_with(" !     Invalid vector-networks value, \"bridge\""));
    let v: serde_json::Value =
        serde_json::from_str(&ok(&["logs:report", "node-js-app", "--format", "json"]))
            .expect("json");
    assert_eq!(v["computed-vector-sink"], "console://?encoding[codec]=json");
    assert_eq!(v["logs-computed-app-label-alias"], "app_name");
    assert_eq!(
        ok(&["logs:set", "node-js-app", "max-size"]),
        "=====> Unsetting max-size\n"
    );
    assert_eq!(
        ok(&["logs:report", "node-js-app", "--logs-computed-max-size"]),
        "10m\n"
    );
}

/// Community plugins that still answer the deprecated `docker-args-run`
/// and `docker-args-deploy` triggers reach the containers, and reading
/// stdin (as Dokku's own plugins do) never blocks.
#[test]
fn deprecated_docker_args_triggers_reach_containers() {
    let app = built_app("run-old-args");
    let a = app.name.as_str();
    let plugin = app.env.lib().join("plugins/available/old-args");
    write_plugin_toml(&plugin, "old args", "0.1.0");
    for (trigger, var) in [
        ("docker-args-run", "OLD_RUN_ARG=yes"),
        ("docker-args-deploy", "OLD_DEPLOY_ARG=yes"),
    ] {
        let exe = plugin.join(trigger);
        write_script(
            &exe,
            &format!("#!/usr/bin/env bash\nSTDIN=$(cat)\necho \"$STDIN -e {var}\"\n"),
        );
    }
    std::os::unix::fs::symlink(&plugin, app.env.lib().join("plugins/enabled/old-args"))
        .expect("enable");
    app.deploy();
    let env = app.run(&["run", a, "env"]).ok().to_string();
    assert!(env.lines().any(|l| l == "OLD_RUN_ARG=yes"), "{env}");
    let r = app.run(&["enter", a, "web", "env"]);
    assert!(
        r.ok().lines().any(|l| l == "OLD_DEPLOY_ARG=yes"),
        "{}",
        r.stdout
    );
}
