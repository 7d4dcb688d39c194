//! The runtime plugins a deployed app meets: resource limits and
//! reservations (stored, shown, reported, and read back from the real
//! engine's container and build configs), the null scheduler, and the logs
//! plugin's `max-size` reaching containers as log options. Engine tests
//! build a busybox app straight with the engine (or through the Dockerfile
//! builder) and remove everything they made even when they fail.

use dokku_docker::ContainerEngine;

use crate::harness::build_from_files;
use crate::harness::tar_of;
use crate::harness::Holds;
use crate::harness::{Env, TestApp};

fn stored(e: &Env, app: &str, key: &str) -> Option<String> {
    std::fs::read_to_string(e.lib().join("config/resource").join(app).join(key)).ok()
}

#[test]
fn limits_and_reservations_are_set_shown_and_cleared_as_documented() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.expect(
        &["resource:limit", "--memory", "100", "node-js-app"],
        "=====> Setting resource limits for node-js-app\n       memory: 100\n",
    );
    assert_eq!(
        stored(&e, "node-js-app", "_default_.limit.memory").as_deref(),
        Some("100")
    );
    e.transcript(
        r#"
$ resource:limit --cpu 100 --memory 100 --process-type worker node-js-app
=====> Setting resource limits for node-js-app (worker)
       cpu: 100
       memory: 100
$ resource:limit --memory-swap 100 node-js-app
=====> Setting resource limits for node-js-app
       memory-swap: 100
$ resource:limit --memory clear node-js-app
=====> Setting resource limits for node-js-app
       memory: cleared
"#,
    );
    assert_eq!(stored(&e, "node-js-app", "_default_.limit.memory"), None);
    // No resource flag: the stored values of one process type, unmerged.
    e.transcript(
        r#"
$ resource:limit node-js-app
=====> resource limits node-js-app information [defaults]
       cpu: 
       memory: 
       memory-swap: 100
       network: 
       network-ingress: 
       network-egress: 
       nvidia-gpu: 
$ resource:limit --process-type worker node-js-app
=====> resource limits node-js-app information (worker)
       cpu: 100
       memory: 100
       memory-swap: 
       network: 
       network-ingress: 
       network-egress: 
       nvidia-gpu: 
$ resource:reserve --memory 512 --network 8 node-js-app
=====> Setting resource reservation for node-js-app
       memory: 512
       network: 8
$ resource:reserve --process-type web node-js-app
=====> resource reservation node-js-app information (web)
       cpu: 
       memory: 
       memory-swap: 
       network: 
       network-ingress: 
       network-egress: 
       nvidia-gpu: 
"#,
    );
    assert_eq!(
        stored(&e, "node-js-app", "_default_.reserve.memory").as_deref(),
        Some("512")
    );

    // The report lists what is stored, lowercase, without the head.
    e.transcript(
        r#"
$ resource:report node-js-app
=====> node-js-app resource information
       _default_ limit memory swap:          100
       _default_ reserve memory:             512
       _default_ reserve network:            8
       worker limit cpu:                     100
       worker limit memory:                  100
$ resource:report node-js-app --resource-worker.limit.memory
100
"#,
    );
    let json = e.json(&["resource:report", "node-js-app", "--format", "json"]);
    assert_eq!(json["worker.limit.cpu"], "100");
    assert_eq!(json["resource-worker.limit.cpu"], "100");
    assert_eq!(json["_default_.reserve.memory"], "512");
    e.run(&["resource:report", "node-js-app", "--resource-web.limit.cpu"])
        .fails_with("Invalid flag passed, valid flags: --resource-_default_.limit.memory-swap, --resource-_default_.reserve.memory, --resource-_default_.reserve.network, --resource-worker.limit.cpu, --resource-worker.limit.memory");
    e.transcript(
        r#"
$ resource:report --global
=====> --global resource information
$ resource:report --global --format json
{}
"#,
    );

    // Clearing one process type leaves the others.
    e.expect(
        &[
            "resource:limit-clear",
            "--process-type",
            "worker",
            "node-js-app",
        ],
        "-----> Clearing resource limit for node-js-app\n",
    );
    assert_eq!(stored(&e, "node-js-app", "worker.limit.cpu"), None);
    assert!(stored(&e, "node-js-app", "_default_.limit.memory-swap").is_some());
    e.expect(
        &["resource:limit-clear", "node-js-app"],
        "-----> Clearing resource limit for node-js-app\n",
    );
    assert_eq!(
        stored(&e, "node-js-app", "_default_.limit.memory-swap"),
        None
    );
    assert!(stored(&e, "node-js-app", "_default_.reserve.memory").is_some());
    e.transcript(
        r#"
$ resource:reserve-clear node-js-app
-----> Clearing resource reservation for node-js-app
$ resource:report node-js-app
=====> node-js-app resource information
"#,
    );

    // Host-wide defaults are cleared by leaving the app out.
    let global = e.lib().join("config/resource/--global");
    std::fs::create_dir_all(&global).expect("global dir");
    std::fs::write(global.join("_default_.limit.memory"), "256").expect("write");
    std::fs::write(global.join("_default_.reserve.memory"), "64").expect("write");
    e.transcript(
        r#"
$ resource:report --global
=====> --global resource information
       _default_ limit memory:            256
       _default_ reserve memory:          64
$ resource:limit-clear
-----> Clearing default resource limits
"#,
    );
    assert!(!global.join("_default_.limit.memory").exists());
    e.expect(
        &["resource:reserve-clear"],
        "-----> Clearing default resource reservation\n",
    );
    assert!(!global.join("_default_.reserve.memory").exists());
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.run(&["resource:limit", "--memory", "100", "node-js-app"])
        .ok();
    e.refuses(
        r#"
$ resource:limit --memory 100x node-js-app
 !     Invalid value for memory, must be a non-negative number optionally followed by a unit of measure [b, k, m, g]: 100x
$ resource:limit --cpu 1 --memory -100 node-js-app
 !     Invalid value for memory, must be a non-negative number optionally followed by a unit of measure [b, k, m, g]: -100
$ resource:limit --cpu -1 node-js-app
 !     Invalid value for cpu, must be a non-negative number of CPUs: -1
$ resource:reserve --memory-swap 1tb node-js-app
 !     Invalid value for memory-swap, must be a non-negative number optionally followed by a unit of measure [b, k, m, g]: 1tb
$ resource:limit --nvidia-gpu some node-js-app
 !     Invalid value for nvidia-gpu, must be a non-negative number of GPUs or all: some
$ resource:limit --network -5 node-js-app
 !     Invalid value for network, must be a non-negative number optionally followed by a unit: -5
$ resource:limit --disk 1 node-js-app
 !     unknown flag: --disk
$ resource:limit --process-type ../web --memory 1 node-js-app
 !     Invalid process type specified: ../web
$ resource:limit --memory 100
 !     Please specify an app to run the command on
$ resource:limit --memory 100 missing-app
 !     App missing-app does not exist
$ resource:limit-clear missing-app
 !     App missing-app does not exist
"#,
    );
}

#[test]
fn triggers_hand_out_the_values_that_apply() {
    let e = Env::new();
    e.create_app("app");
    for argv in [
        &[
            "resource:limit",
            "--memory",
            "100",
            "--nvidia-gpu",
            "1",
            "app",
        ][..],
        &[
            "resource:limit",
            "--process-type",
            "web",
            "--cpu",
            "0.5",
            "app",
        ],
        &[
            "resource:limit",
            "--process-type",
            "build",
            "--memory",
            "1g",
            "--cpu",
            "2",
            "app",
        ],
        &["resource:reserve", "--memory", "32", "app"],
    ] {
        e.run(argv).ok();
    }
    let trigger = |args: &[&str]| {
        let mut argv = vec!["plugin:trigger"];
        argv.extend_from_slice(args);
        e.run(&argv).ok().to_string()
    };
    assert_eq!(
        trigger(&["resource-get-property", "app", "web", "limit", "memory"]),
        "100\n"
    );
    assert_eq!(
        trigger(&["resource-get-property", "app", "web", "limit", "cpu"]),
        "0.5\n"
    );
    assert_eq!(
        trigger(&[
            "resource-get-property",
            "app",
            "worker",
            "reserve",
            "memory"
        ]),
        "32\n"
    );
    // Deploys: the process type's values over the app's defaults, in
    // docker's units (a bare memory number is megabytes).
    let deploy = trigger(&[
        "docker-args-process-deploy",
        "app",
        "dockerfile",
        "latest",
        "web",
        "1",
    ]);
    assert!(
        deploy.ends_with(" --cpus=0.5 --memory=100m --gpus=1 --memory-reservation=32m"),
        "{deploy}"
    );
    // One-off containers: the defaults.
    let run = trigger(&["docker-args-process-run", "app", "dockerfile", "latest"]);
    assert!(
        run.ends_with(" --memory=100m --gpus=1 --memory-reservation=32m"),
        "{run}"
    );
    // Builds: only what is set for `build`, as far as the builder goes.
    assert_eq!(
        trigger(&["docker-args-process-build", "app", "dockerfile"]),
        " --memory=1g"
    );
    assert_eq!(
        trigger(&["docker-args-process-build", "app", "herokuish"]),
        " --cpus=2 --memory=1g"
    );
    assert_eq!(trigger(&["docker-args-process-build", "app", "pack"]), "");
}

/// A created app with fast checks; `build` makes its busybox httpd image
/// straight with the engine.
fn fast_app(test: &str) -> TestApp {
    TestApp::with_fast_checks(test, "0")
}

fn build(app: &TestApp) {
    app.build_httpd("ok", "", "");
}

/// Inside a container: its memory limit in bytes, from cgroup v2 or v1.
const CGROUP_MEMORY: &str =
    "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes";

#[test]
fn limits_reach_deployed_and_one_off_containers() {
    let app = fast_app("resource-deploy");
    let name = app.fx.name.clone();
    build(&app);
    for argv in [
        &["resource:limit", "--memory", "100", &name][..],
        &[
            "resource:limit",
            "--process-type",
            "web",
            "--cpu",
            "0.5",
            "--memory",
            "64m",
            "--memory-swap",
            "128m",
            &name,
        ],
        &["resource:reserve", "--memory", "32", &name],
    ] {
        app.run(argv).ok();
    }
    app.deploy();
    assert_eq!(
        app.inspect_web(
            "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}}"
        ),
        format!("500000000 {} {} {}", 64 << 20, 128 << 20, 32 << 20)
    );
    // `run` containers get the app's defaults.
    let r = app.run(&["run", "--no-tty", &name, "sh", "-c", CGROUP_MEMORY]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), (100u64 << 20).to_string());

    // Cleared values are gone after the next deploy.
    app.run(&["resource:limit-clear", &name]).ok();
    app.run(&["resource:reserve-clear", &name]).ok();
    app.deploy();
    assert_eq!(
        app.inspect_web(
            "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemoryReservation}}"
        ),
        "0 0 0"
    );
}

#[test]
fn build_limits_reach_the_dockerfile_build_only() {
    let app = fast_app("resource-build");
    let name = app.fx.name.clone();
    app.run(&["ps:set", &name, "skip-deploy", "true"]).ok();
    // A runtime default must not leak into the build.
    app.run(&["resource:limit", "--memory", "64m", &name]).ok();
    app.run(&[
        "resource:limit",
        "--process-type",
        "build",
        "--memory",
        "96m",
        &name,
    ])
    .ok();
    let dockerfile = format!(
        "FROM {}\nLABEL com.dokku.app-name={name}\nRUN echo \"build memory: $({CGROUP_MEMORY})\"\nCMD [\"sh\"]\n",
        app.fx.base
    );
    let archive = tar_of(&[("Dockerfile", &dockerfile, 0o644)]);
    let r = app
        .env
        .run_stdin(&["git:from-archive", &name, "--"], &archive);
    r.exits(0, Holds::Out(&format!("build memory: {}\n", 96u64 << 20)));
}

#[test]
fn null_scheduler_deploys_and_manages_nothing() {
    let app = fast_app("scheduler-null");
    let name = app.fx.name.clone();
    build(&app);
    app.env.expect(
        &["scheduler:set", &name, "selected", "null"],
        "=====> Setting selected to null\n",
    );
    let r = app.run(&["ps:rebuild", &name]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, format!("-----> Releasing {name}...\n").as_str(), "")
    );
    assert_eq!(app.container_names(&[]), Vec::<String>::new());
    assert!(!app.env.root().join(&name).join("CONTAINER.web.1").exists());
    for cmd in ["ps:restart", "ps:stop", "ps:start", "run"] {
        let mut argv = vec![cmd, name.as_str()];
        if cmd == "run" {
            argv.extend(["echo", "hello"]);
        }
        let r = app.run(&argv);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        assert!(!r.stdout.contains("hello"), "{cmd}: {}", r.stdout);
        assert_eq!(app.container_names(&[]), Vec::<String>::new(), "{cmd}");
    }
    app.env
        .expect(&["ps:report", &name, "--deployed"], "true\n");
    app.env
        .expect(&["ps:report", &name, "--running"], "false\n");
}

#[test]
fn logs_max_size_reaches_containers() {
    let app = fast_app("logs-max-size");
    let name = app.fx.name.clone();
    build(&app);
    app.env.expect(
        &["logs:set", "--global", "max-size", "50m"],
        "=====> Setting max-size to 50m\n",
    );
    app.deploy();
    assert_eq!(
        app.inspect_web("{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}"),
        "json-file {\"max-size\":\"50m\"}"
    );
    app.run(&["logs:set", &name, "max-size", "20k"]).ok();
    app.deploy();
    assert_eq!(
        app.inspect_web("{{json .HostConfig.LogConfig.Config}}"),
        "{\"max-size\":\"20k\"}"
    );
    app.run(&["logs:set", &name, "max-size", "unlimited"]).ok();
    app.deploy();
    assert_eq!(
        app.inspect_web("{{json .HostConfig.LogConfig.Config}}"),
        "{}"
    );
    let before = app.env.state();
    app.run(&["logs:set", &name, "max-size", "20x"])
        .fails_with("Invalid max-size unit measure, value must end in any of [k, m, g]");
    assert_eq!(app.env.state(), before);
}

#[test]
fn build_limits_reach_the_herokuish_build_container() {
    let app = fast_app("resource-herokuish");
    let name = app.fx.name.clone();
    // A stand-in for the herokuish stack: bash, and a /build that reports
    // the memory limit it runs under.
    let stack = format!("{name}-stack:latest");
    let dockerfile = format!(
        "FROM {}\nLABEL com.dokku.app-name={name}\nRUN ln -s /bin/sh /bin/bash && printf '#!/bin/sh\\necho \"build memory: $({CGROUP_MEMORY})\"\\n' > /build && chmod +x /build\n",
        app.fx.base
    );
    build_from_files(
        &app.fx.engine,
        &stack,
        &[("Dockerfile", &dockerfile, 0o644)],
    );
    app.run(&["ps:set", &name, "skip-deploy", "true"]).ok();
    app.run(&["builder:set", &name, "selected", "herokuish"])
        .ok();
    app.run(&[
        "config:set",
        "--no-restart",
        &name,
        &format!("DOKKU_IMAGE={stack}"),
    ])
    .ok();
    app.run(&[
        "resource:limit",
        "--process-type",
        "build",
        "--memory",
        "80m",
        &name,
    ])
    .ok();
    // An option only `docker build` knows does not stop the limits.
    app.run(&["docker-options:add", &name, "build", "--no-cache"])
        .ok();
    let archive = tar_of(&[("index.html", "hi\n", 0o644)]);
    let r = app
        .env
        .run_stdin(&["git:from-archive", &name, "--"], &archive);
    let _ = app.fx.engine.remove_image(&stack, true);
    r.exits(0, Holds::Out(&format!("build memory: {}\n", 80u64 << 20)));
}
