//! Vector log shipping: `vector.json` generated from the sink DSNs and
//! rewritten as sinks change and apps come and go, sinks redacted in the
//! report, and the `vector-vector-1` container started, read and stopped
//! on the real engine from a locally built stand-in image whose entrypoint
//! prints its arguments and the configuration it was given.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::sync::Mutex;

use dokku_docker::testing::{busybox_image, unique_name, Cleanup, TEST_LABEL};
use dokku_docker::{BuildContext, BuildSpec, ContainerEngine, ContainerSpec, DockerEngine};
use serde_json::{json, Value};

use crate::harness::{assert_has_all, Env};

/// The container name is fixed host-wide: one test at a time touches it.
static CONTAINER_LOCK: Mutex<()> = Mutex::new(());

const CONTAINER: &str = "vector-vector-1";

fn config(env: &Env) -> Value {
    let text = env.lib_file("data/logs/vector.json");
    serde_json::from_str(&text).expect("json")
}

fn sink_names(v: &Value) -> Vec<String> {
    v["sinks"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn vector_config_follows_sinks_and_apps() {
    let env = Env::new();
    env.run(&["plugin:install"]).ok();
    let apps_logs = env.dir.path().join("logs/apps");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&apps_logs), 0o755);
    env.create_app("a");
    env.create_app("b");
    assert_eq!(mode(&env.lib().join("data/logs/a")), 0o755);
    let path = env.lib().join("data/logs/vector.json");
    assert_eq!(
        env.run(&["logs:set", "a", "vector-sink", "console://?encoding[codec]=json"])
            .ok(),
        format!(
            "=====> Setting vector-sink to console://?encoding[codec]=json\n       Writing updated vector config to {}\n",
            path.display()
        )
    );
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        config(&env),
        json!({
            "sources": {"docker-source:a": {"type": "docker_logs", "include_labels": ["com.dokku.app-name=a"]}},
            "sinks": {"docker-sink:a": {"type": "console", "inputs": ["docker-source:a"], "encoding": {"codec": "json"}}},
        })
    );
    env.transcript(
        r#"
$ logs:set b vector-sink http://?uri=https%3A//loggerservice.com%3A1234/%3Ftoken%3Dabc1234%26type%3Dvector&batch[max_events]=10
...
$ logs:set --global vector-sink datadog_logs://?default_api_key=s3cr3t&site=datadoghq.eu&tags[]=a&tags[]=b
...
"#,
    );
    let v = config(&env);
    assert_eq!(
        v["sinks"]["docker-sink:b"],
        json!({"type": "http", "inputs": ["docker-source:b"],
               "uri": "https://loggerservice.com:1234/?token=abc1234&type=vector",
               "batch": {"max_events": 10}})
    );
    assert_eq!(
        v["sinks"]["docker-global-sink"],
        json!({"type": "datadog_logs", "inputs": ["docker-global-source"],
               "default_api_key": "s3cr3t", "site": "datadoghq.eu", "tags": ["a", "b"]})
    );
    assert_eq!(
        v["sources"]["docker-global-source"],
        json!({"type": "docker_logs", "include_labels": ["com.dokku.app-name"]})
    );

    // Redacted in the text report only.
    let report = env.run(&["logs:report", "a"]).ok().to_string();
    assert_has_all(
        &report,
        &[
            "Logs vector sink:               console://redacted\n",
            "Logs computed vector sink:      console://redacted\n",
            "Logs global vector sink:        datadog_logs://redacted\n",
        ],
    );
    assert!(!report.contains("s3cr3t"), "{report}");
    assert_has_all(
        env.run(&["logs:report", "--global"]).ok(),
        &["Logs global vector sink:        datadog_logs://redacted\n"],
    );
    assert_eq!(
        env.run(&["logs:report", "a", "--logs-vector-sink"]).ok(),
        "console://?encoding[codec]=json\n"
    );
    let j = env.json(&["logs:report", "a", "--format", "json"]);
    assert_eq!(j["vector-sink"], "console://?encoding[codec]=json");
    assert_has_all(
        env.run(&["report", "a"]).ok(),
        &["Logs vector sink:               console://?encoding[codec]=json\n"],
    );

    // Clone, rename, destroy, create.
    env.run(&["apps:clone", "--skip-deploy", "a", "a2"]).ok();
    assert_eq!(
        config(&env)["sinks"]["docker-sink:a2"]["inputs"],
        json!(["docker-source:a2"])
    );
    env.run(&["apps:rename", "--skip-deploy", "b", "b2"]).ok();
    let v = config(&env);
    assert_eq!(
        sink_names(&v),
        vec![
            "docker-global-sink",
            "docker-sink:a",
            "docker-sink:a2",
            "docker-sink:b2"
        ]
    );
    assert_eq!(
        v["sources"]["docker-source:b2"]["include_labels"],
        json!(["com.dokku.app-name=b2"])
    );
    env.transcript(
        r#"
$ apps:destroy a --force
...
$ logs:set --global vector-sink
...
"#,
    );
    let v = config(&env);
    assert_eq!(sink_names(&v), vec!["docker-sink:a2", "docker-sink:b2"]);
    assert!(v["sources"].get("docker-source:a").is_none(), "{v}");
    assert!(!env.lib().join("data/logs/a").exists());
    assert!(env.lib().join("data/logs/b2").is_dir());
    env.transcript(
        r#"
$ apps:destroy a2 --force
...
$ apps:destroy b2 --force
...
"#,
    );
    env.create_app("c");
    assert_eq!(sink_names(&config(&env)), vec!["empty-sink"]);

    // Cron sinks route cron output apart.
    env.run(&[
        "logs:set",
        "c",
        "vector-cron-sink",
        "file://?path=/var/log/dokku/apps/c/cron-{{ dokku_cron_id }}.log&encoding[codec]=text",
    ])
    .ok();
    let v = config(&env);
    assert_eq!(
        v["sinks"]["docker-cron-sink:c"]["path"],
        "/var/log/dokku/apps/c/cron-{{ dokku_cron_id }}.log"
    );
    assert_eq!(
        v["sinks"]["docker-cron-sink:c"]["inputs"],
        json!(["docker-cron:c"])
    );
    assert_eq!(
        v["transforms"]["docker-cron:c"]["inputs"],
        json!(["docker-route:c.cron"])
    );

    // Malformed sinks change nothing.
    let before = env.state();
    env.run(&["logs:set", "c", "vector-sink", "console"])
        .fails_with("Invalid vector sink value \"console\", expected <sink-type>://?<options>");
    env.run(&["logs:set", "c", "vector-sink", "console://?sinks[x]=1"])
        .fails_with("Invalid option sinks");
    env.run(&[
        "logs:set",
        "--global",
        "vector-cron-sink",
        "http://?uri=%zz",
    ])
    .fails_with("invalid URL escape \"%zz\"");
    assert!(env.state() == before, "state changed");
}

/// The docs' routing table for cron output, app by app and against the
/// global sinks: a cron sink moves cron events (those of containers with a
/// `com.dokku.cron-id` label) to the cron sink in effect for the app, and
/// every other sink stops receiving them.
#[test]
fn cron_output_goes_to_exactly_one_sink() {
    let env = Env::new();
    env.run(&["plugin:install"]).ok();
    for app in ["only-sink", "only-cron", "both"] {
        env.create_app(app);
    }
    env.transcript(
        r#"
$ logs:set only-sink vector-sink console://
...
$ logs:set only-cron vector-cron-sink console://
...
$ logs:set both vector-sink console://
...
$ logs:set both vector-cron-sink blackhole://
...
"#,
    );
    let v = config(&env);
    let not_cron = "!exists(.label.\"com.dokku.cron-id\")";
    let cron = "exists(.label.\"com.dokku.cron-id\")";
    // vector-sink only: everything to it, no routing.
    assert!(
        v["transforms"].get("docker-route:only-sink").is_none(),
        "{v}"
    );
    assert_eq!(
        v["sinks"]["docker-sink:only-sink"]["inputs"],
        json!(["docker-source:only-sink"])
    );
    // vector-cron-sink only: cron output to it, the rest nowhere.
    assert_eq!(
        v["transforms"]["docker-route:only-cron"]["route"],
        json!({"cron": cron})
    );
    assert_eq!(
        v["sinks"]["docker-cron-sink:only-cron"]["inputs"],
        json!(["docker-cron:only-cron"])
    );
    assert!(v["sinks"].get("docker-sink:only-cron").is_none(), "{v}");
    // both: each line to exactly one of them.
    assert_eq!(
        v["transforms"]["docker-route:both"]["route"],
        json!({"app": not_cron, "cron": cron})
    );
    assert_eq!(
        v["sinks"]["docker-sink:both"]["inputs"],
        json!(["docker-route:both.app"])
    );
    assert_eq!(
        v["transforms"]["docker-cron:both"],
        json!({
            "type": "remap",
            "inputs": ["docker-route:both.cron"],
            "source": ".dokku_app = .label.\"com.dokku.app-name\"\n.dokku_cron_id = .label.\"com.dokku.cron-id\""
        })
    );

    // A global vector-sink gets every app's output but the cron output of
    // the apps whose own cron sink takes it.
    env.run(&["logs:set", "--global", "vector-sink", "console://"])
        .ok();
    let v = config(&env);
    let own = "includes([\"both\",\"only-cron\"], .label.\"com.dokku.app-name\")";
    assert_eq!(
        v["transforms"]["docker-global-route"]["route"],
        json!({"app": format!("{not_cron} || !{own}")})
    );
    assert_eq!(
        v["sinks"]["docker-global-sink"]["inputs"],
        json!(["docker-global-route.app"])
    );

    // A global vector-cron-sink takes the cron output of the apps without
    // one of their own, which their own vector-sink then no longer gets.
    env.run(&["logs:set", "--global", "vector-cron-sink", "console://"])
        .ok();
    let v = config(&env);
    assert_eq!(
        v["transforms"]["docker-global-route"]["route"],
        json!({"app": not_cron, "cron": format!("{cron} && !{own}")})
    );
    assert_eq!(
        v["sinks"]["docker-global-cron-sink"]["inputs"],
        json!(["docker-global-cron"])
    );
    assert_eq!(
        v["transforms"]["docker-route:only-sink"]["route"],
        json!({"app": not_cron})
    );
    assert_eq!(
        v["sinks"]["docker-sink:only-sink"]["inputs"],
        json!(["docker-route:only-sink.app"])
    );
    // Apps with their own cron sink keep routing their cron output there.
    assert_eq!(
        v["transforms"]["docker-route:both"]["route"],
        json!({"app": not_cron, "cron": cron})
    );

    // Cleared, the global cron sink gives the apps' cron output back to
    // their own vector-sink.
    env.run(&["logs:set", "--global", "vector-cron-sink"]).ok();
    let v = config(&env);
    assert!(
        v["transforms"].get("docker-route:only-sink").is_none(),
        "{v}"
    );
    assert!(v["sinks"].get("docker-global-cron-sink").is_none(), "{v}");
}

/// The stand-in image: prints its arguments and the configuration, then
/// waits (or, `broken`, exits at once).
fn stand_in(engine: &DockerEngine, base: &str, tag: &str, broken: bool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = if broken {
        "echo 'stand-in: broken config' >&2\nexit 1\n"
    } else {
        "trap 'exit 0' TERM\nsleep 3600 &\nwait $!\n"
    };
    let entry = format!(
        "#!/bin/sh\necho \"vector stand-in args: $*\"\ncat /etc/vector/vector.json\necho\n{body}"
    );
    std::fs::write(dir.path().join("entry"), entry).expect("entry");
    std::fs::set_permissions(
        dir.path().join("entry"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod");
    std::fs::write(
        dir.path().join("Dockerfile"),
        format!(
            "FROM {base}\nLABEL {TEST_LABEL}={tag}\nCOPY entry /entry\nENTRYPOINT [\"/entry\"]\n"
        ),
    )
    .expect("dockerfile");
    let mut spec = BuildSpec::new(BuildContext::Directory(dir.path().to_path_buf()));
    spec.tags = vec![tag.to_string()];
    engine
        .build_image(&spec, &mut |_| {})
        .expect("stand-in image");
}

fn docker_inspect(format: &str) -> String {
    let out = Command::new("docker")
        .args(["container", "inspect", "--format", format, CONTAINER])
        .output()
        .expect("docker inspect");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn vector_container_starts_ships_and_stops() {
    let _serial = CONTAINER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let engine = DockerEngine::connect().expect("docker engine");
    let mut guard = Cleanup::new(&engine);
    guard.container(CONTAINER);
    guard.container("vector");
    let name = unique_name("vector");
    let base = guard.image(format!("{name}-base:latest"));
    let image = guard.image(format!("{name}-stand-in:test"));
    let broken = guard.image(format!("{name}-broken:test"));
    let net1 = guard.network(format!("{name}-n1"));
    let net2 = guard.network(format!("{name}-n2"));
    let gone = guard.network(format!("{name}-gone"));
    busybox_image(&engine, &base).expect("busybox");
    stand_in(&engine, &base, &image, false);
    stand_in(&engine, &base, &broken, true);
    for n in [&net1, &net2, &gone] {
        engine
            .create_network(&dokku_docker::NetworkSpec {
                name: n.clone(),
                driver: Some("bridge".into()),
                attachable: true,
                labels: [(TEST_LABEL.to_string(), name.clone())].into(),
            })
            .expect("network");
    }

    let env = Env::new();
    env.create_app("shipped");
    env.run(&[
        "logs:set",
        "shipped",
        "vector-sink",
        "console://?encoding[codec]=json",
    ])
    .ok();
    env.run(&["logs:set", "--global", "vector-image", &image])
        .ok();

    // Networks must exist when set, and still exist at start.
    let before = env.state();
    let missing = format!("{name}-missing");
    env.run(&[
        "logs:set",
        "--global",
        "vector-networks",
        &format!("{net1},{missing}"),
    ])
    .fails_with(&format!("Network \"{missing}\" does not exist"));
    assert!(env.state() == before, "state changed");
    env.run(&["logs:set", "--global", "vector-networks", &gone])
        .ok();
    engine.remove_network(&gone).expect("remove network");
    env.run(&["logs:vector-start"])
        .fails_with(&format!("Network \"{gone}\" does not exist"));
    assert!(
        engine.inspect_container(CONTAINER).is_err(),
        "container created"
    );
    env.run(&[
        "logs:set",
        "--global",
        "vector-networks",
        &format!("{net1},{net2}"),
    ])
    .ok();

    env.run(&["logs:vector-logs"])
        .fails_with("Vector container does not exist");
    let cfg = env.lib().join("data/logs/vector.json");
    assert_eq!(
        env.run(&["logs:vector-start"]).ok(),
        "-----> Starting vector container\n       Ensuring vector configuration exists\n       Starting vector container\n       Vector container is running\n"
    );
    let info = engine
        .inspect_container(CONTAINER)
        .expect("vector container");
    assert!(info.running, "{info:?}");
    assert_eq!(info.image.as_deref(), Some(image.as_str()));
    assert_eq!(info.networks.keys().cloned().collect::<Vec<_>>(), {
        let mut v = vec![net1.clone(), net2.clone()];
        v.sort();
        v
    });
    assert_eq!(
        info.labels
            .get("com.docker.compose.project")
            .map(String::as_str),
        Some("vector")
    );
    assert_eq!(
        info.labels
            .get("org.label-schema.vendor")
            .map(String::as_str),
        Some("dokku")
    );
    assert_eq!(
        docker_inspect("{{.HostConfig.RestartPolicy.Name}}"),
        "unless-stopped"
    );
    let mounts = docker_inspect("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}");
    assert_has_all(
        &mounts,
        &[
            &format!("{}:/etc/vector", env.lib().join("data/logs").display()),
            "/var/run/docker.sock:/var/run/docker.sock",
            &format!(
                "{}:/var/log/dokku/apps",
                env.dir.path().join("logs/apps").display()
            ),
        ],
    );

    // The entrypoint read the configuration it was given.
    let logs = env
        .run(&["logs:vector-logs", "--num", "100"])
        .ok()
        .to_string();
    assert_has_all(
        &logs,
        &[
            "vector stand-in args: --config /etc/vector/vector.json --watch-config\n",
            "\"docker-sink:shipped\": {",
            "\"include_labels\": [",
            "\"com.dokku.app-name=shipped\"",
        ],
    );
    assert_eq!(
        env.run(&["logs:vector-logs", "--num", "1"]).ok(),
        "}\n",
        "the last line of the configuration"
    );

    // Starting again leaves the running container alone.
    env.run(&["logs:vector-start"]).ok();
    assert_eq!(
        engine.inspect_container(CONTAINER).expect("inspect").id,
        info.id
    );

    // A sink change reaches the running container's view of the config.
    env.run(&[
        "logs:set",
        "--global",
        "vector-sink",
        "blackhole://?print_interval_secs=5",
    ])
    .ok();
    let seen = engine
        .exec(
            CONTAINER,
            &dokku_docker::ExecSpec::new(["cat", "/etc/vector/vector.json"]),
        )
        .expect("exec");
    assert_eq!(
        String::from_utf8_lossy(&seen.stdout),
        std::fs::read_to_string(&cfg).expect("config")
    );
    assert!(String::from_utf8_lossy(&seen.stdout).contains("docker-global-sink"));

    let stopped = "-----> Stopping and removing vector container\n";
    assert_eq!(env.run(&["logs:vector-stop"]).ok(), stopped);
    assert!(engine.inspect_container(CONTAINER).is_err(), "still there");
    assert_eq!(env.run(&["logs:vector-stop"]).ok(), stopped);

    // A container that does not keep running is reported.
    env.run(&["logs:set", "--global", "vector-networks"]).ok();
    let r = env.run(&["logs:vector-start", "--vector-image", &broken]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            " !     Vector container did not start properly, run logs:vector-logs for more details\n"
        ),
        "{r:?}"
    );
    let info = engine
        .inspect_container(CONTAINER)
        .expect("left for inspection");
    assert_eq!(info.image.as_deref(), Some(broken.as_str()));
    assert!(info.networks.contains_key("bridge"), "{info:?}");
    engine
        .stop_container(CONTAINER, None)
        .expect("stop the restarting container");
    let r = env.run(&["logs:vector-logs"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .starts_with(" !     Vector container is not running\n"),
        "{r:?}"
    );
    assert!(r.stderr.contains("stand-in: broken config\n"), "{r:?}");
    env.run(&["logs:vector-stop"]).ok();
    assert!(engine.inspect_container(CONTAINER).is_err(), "still there");

    // Images are never pulled.
    let absent = format!("{name}-absent:test");
    env.run(&["logs:vector-start", "--vector-image", &absent])
        .fails_with(&format!("Unable to find image '{absent}' locally"));
    assert!(
        engine.inspect_container(CONTAINER).is_err(),
        "container created"
    );

    // A container of the old format blocks start until stopped.
    let mut old = ContainerSpec::new(image.clone());
    old.name = Some("vector".into());
    old.labels = [(TEST_LABEL.to_string(), name.clone())].into();
    engine.create_container(&old).expect("old-format container");
    env.run(&["logs:vector-start"]).fails_with(
        "Vector container vector already exists in old format, run 'dokku logs:vector-stop' once to remove it",
    );
    env.run(&["logs:vector-stop"]).ok();
    assert!(
        engine.inspect_container("vector").is_err(),
        "old container left"
    );
}

#[test]
fn a_plugins_vector_template_source_changes_what_runs() {
    let _serial = CONTAINER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let engine = DockerEngine::connect().expect("docker engine");
    let mut guard = Cleanup::new(&engine);
    guard.container(CONTAINER);
    let name = unique_name("vector-tmpl");
    let base = guard.image(format!("{name}-base:latest"));
    let image = guard.image(format!("{name}-stand-in:test"));
    busybox_image(&engine, &base).expect("busybox");
    stand_in(&engine, &base, &image, false);

    let env = Env::new();
    env.run(&["logs:set", "--global", "vector-image", &image])
        .ok();
    // The plugin's template: rendered with the same variables, with a
    // command and an environment of its own.
    let template = env.dir.path().join("vector.yml.tmpl");
    std::fs::write(
        &template,
        "services:\n  vector:\n    image: \"{{ .VectorImage }}\"\n    command: [\"--config\", \"/etc/vector/vector.json\", \"--from-plugin\"]\n    environment:\n      FROM_PLUGIN: \"yes\"\n    labels:\n      com.dokku.test: \"{{ .VectorImage }}\"\n    volumes:\n      - \"{{ .DokkuLibRoot }}/data/logs:/etc/vector\"\n    network_mode: bridge\n",
    )
    .expect("template");
    let hook = env.enabled_hook(
        "vector-template",
        "vector-template-source",
        &format!("echo \"{}\"\n", template.display()),
    );

    env.run(&["logs:vector-start"]).ok();
    assert_has_all(
        env.run(&["logs:vector-logs"]).ok(),
        &["vector stand-in args: --config /etc/vector/vector.json --from-plugin\n"],
    );
    assert!(
        docker_inspect("{{range .Config.Env}}{{.}} {{end}}").contains("FROM_PLUGIN=yes"),
        "the plugin's environment"
    );
    assert_eq!(
        docker_inspect("{{index .Config.Labels \"com.dokku.test\"}}"),
        image
    );
    assert_eq!(
        docker_inspect("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}"),
        format!("{}:/etc/vector", env.lib().join("data/logs").display())
    );
    env.run(&["logs:vector-stop"]).ok();

    // Without an answer, the built-in template runs again.
    std::fs::remove_file(&hook).expect("remove hook");
    env.run(&["logs:vector-start"]).ok();
    assert_has_all(
        env.run(&["logs:vector-logs"]).ok(),
        &["vector stand-in args: --config /etc/vector/vector.json --watch-config\n"],
    );
    env.run(&["logs:vector-stop"]).ok();
    assert!(engine.inspect_container(CONTAINER).is_err(), "still there");
}

#[test]
fn logs_bad_input_is_refused_and_changes_nothing() {
    let env = Env::new();
    env.create_app("a");
    env.run(&["logs:set", "a", "vector-sink", "console://"])
        .ok();
    env.refuses(
        r#"
$ logs:set a max-size 10x
 !     Invalid max-size unit measure, value must end in any of [k, m, g]
$ logs:set a max-size -5m
 !     Invalid max-size value, must be a number followed by a unit of measure [k, m, g]
$ logs:set --global max-size m
 !     Invalid max-size value, must be a number followed by a unit of measure [k, m, g]
$ logs:set a app-label-alias -x
 !     Invalid app-label-alias value, must start with a letter or number and contain only letters, numbers, and any of [_, ., -]
$ logs:set --global vector-networks a,,b
 !     Invalid vector-networks value, empty entry in comma-separated list
$ logs:set a vector-networks x
 !     vector-networks may only be set globally with --global
$ logs:set a vector-image x
 !     vector-image may only be set globally with --global
$ logs:set a bogus x
 !     Invalid property specified, valid properties include: app-label-alias, max-size, vector-cron-sink, vector-image, vector-networks, vector-sink
$ logs:set missing max-size 1m
 !     App missing does not exist
$ logs:vector-logs --num x
 !     invalid argument for flag --num: x
$ logs:vector-start --bogus
 !     unknown flag: --bogus
"#,
    );
}

/// `plugn trigger <name> <args>` with the environment of `env`.
fn plugn(env: &Env, args: &[&str]) -> crate::harness::Run {
    let plugn = env.dir.path().join("plugn");
    if !plugn.exists() {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dokku"), &plugn).expect("symlink");
    }
    let template = env.cmd(&[]);
    let mut c = Command::new(&plugn);
    c.env_clear().args(args).stdin(std::process::Stdio::null());
    for (k, v) in template.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    c.output().expect("plugn").into()
}

#[test]
fn get_property_triggers_refuse_unknown_properties() {
    let env = Env::new();
    env.create_app("a");
    env.run(&["logs:set", "a", "max-size", "20m"]).ok();
    assert_eq!(
        plugn(&env, &["trigger", "logs-get-property", "a", "max-size"]).ok(),
        "20m\n"
    );
    plugn(&env, &["trigger", "logs-get-property", "a", "bogus"])
        .fails_with("Invalid logs property specified");
    assert_eq!(
        plugn(
            &env,
            &[
                "trigger",
                "network-get-property",
                "a",
                "bind-all-interfaces"
            ]
        )
        .ok(),
        "false\n"
    );
    plugn(&env, &["trigger", "network-get-property", "a", "bogus"])
        .fails_with("Invalid network property specified: bogus");
}
