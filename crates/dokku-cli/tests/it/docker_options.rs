//! Tests of the docker-options plugin through the binary.

use crate::harness::write_file;
use crate::harness::Env;

/// The stored `key` file of node-js-app, empty if missing.
fn stored(e: &Env, key: &str) -> String {
    std::fs::read_to_string(e.lib().join("config/docker-options/node-js-app").join(key))
        .unwrap_or_default()
}

#[test]
fn add_list_report_remove_clear_as_documented() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.create_app("python-sample");
    e.transcript(
        r#"
$ docker-options:add node-js-app deploy '--ulimit nofile=12'
$ docker-options:add node-js-app deploy,run '--ulimit nofile=12'
...
$ docker-options:add node-js-app deploy,run '--ulimit nofile=12' '--shm-size 256m'
...
"#,
    );
    assert_eq!(
        stored(&e, "_default_.deploy"),
        "--ulimit nofile=12\n--shm-size 256m\n"
    );
    assert_eq!(
        stored(&e, "_default_.run"),
        "--ulimit nofile=12\n--shm-size 256m\n"
    );
    assert!(!e
        .lib()
        .join("config/docker-options/node-js-app/_default_.build")
        .exists());

    insta::assert_snapshot!(e.run(&["docker-options:report"]).ok(), @"
    =====> node-js-app docker options information
           Docker options build:          
           Docker options deploy:         --ulimit nofile=12 --shm-size 256m
           Docker options run:            --ulimit nofile=12 --shm-size 256m
    =====> python-sample docker options information
           Docker options build:          
           Docker options deploy:         
           Docker options run:
    ");
    e.transcript(
        r#"
$ docker-options:report node-js-app --docker-options-deploy
--ulimit nofile=12 --shm-size 256m
$ docker-options:list node-js-app --phase deploy
--ulimit nofile=12
--shm-size 256m
$ docker-options:remove node-js-app run '--ulimit nofile=12'
...
"#,
    );
    assert_eq!(stored(&e, "_default_.run"), "--shm-size 256m\n");
    e.run(&[
        "docker-options:remove",
        "node-js-app",
        "deploy,run",
        "--ulimit nofile=12",
        "--shm-size 256m",
    ])
    .ok();
    assert!(!e
        .lib()
        .join("config/docker-options/node-js-app/_default_.run")
        .exists());
    assert!(!e
        .lib()
        .join("config/docker-options/node-js-app/_default_.deploy")
        .exists());

    e.transcript(
        r#"
$ docker-options:add node-js-app build,deploy,run '-v /var/log/node-js-app:/app/logs'
...
$ docker-options:clear node-js-app run
-----> Clearing docker-options for node-js-app on phase run
$ docker-options:clear node-js-app build,run
-----> Clearing docker-options for node-js-app on phase build
-----> Clearing docker-options for node-js-app on phase run
"#,
    );
    assert_eq!(
        stored(&e, "_default_.deploy"),
        "-v /var/log/node-js-app:/app/logs\n"
    );
    e.expect(
        &["docker-options:clear", "node-js-app"],
        "-----> Clearing docker-options for node-js-app on all phases\n",
    );
    assert_eq!(stored(&e, "_default_.deploy"), "");
}

#[test]
fn values_are_kept_verbatim_and_removed_by_words() {
    let e = Env::new();
    e.create_app("node-js-app");
    let label = "--label \"traefik.http.routers.web.rule=Host(`node-js-app.example.com`) && PathPrefix(`/api`)\"";
    e.run(&["docker-options:add", "node-js-app", "deploy", label])
        .ok();
    assert_eq!(
        stored(&e, "_default_.deploy"),
        "--label 'traefik.http.routers.web.rule=Host(`node-js-app.example.com`) && PathPrefix(`/api`)'\n"
    );
    e.run(&[
        "docker-options:add",
        "node-js-app",
        "deploy",
        "--label 'com.example.owner=platform team'",
    ])
    .ok();
    e.transcript(
        r#"
$ docker-options:add node-js-app deploy '--group-add $(getent group docker)'
...
$ docker-options:remove node-js-app deploy '--label "com.example.owner=platform team"'
...
"#,
    );
    e.run(&["docker-options:remove", "node-js-app", "deploy", label])
        .ok();
    assert_eq!(
        stored(&e, "_default_.deploy"),
        "--group-add '$(getent' group 'docker)'\n"
    );
    // Adding the same option twice stores it once.
    e.run(&[
        "docker-options:add",
        "node-js-app",
        "deploy",
        "--group-add '$(getent' group 'docker)'",
    ])
    .ok();
    assert_eq!(
        stored(&e, "_default_.deploy"),
        "--group-add '$(getent' group 'docker)'\n"
    );
}

#[test]
fn process_specific_options() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ docker-options:add --process web node-js-app deploy '-p 6789:5000'
...
$ docker-options:add node-js-app deploy '--ulimit nofile=12' '--shm-size 256m' --process web
...
$ docker-options:add --process worker node-js-app deploy '--gpus all'
...
$ docker-options:add --process web --process api node-js-app deploy '-v /shared:/shared'
...
$ docker-options:add node-js-app deploy --memory=512m
...
"#,
    );
    assert_eq!(
        stored(&e, "web.deploy"),
        "-p 6789:5000\n--ulimit nofile=12\n--shm-size 256m\n-v /shared:/shared\n"
    );
    assert_eq!(stored(&e, "api.deploy"), "-v /shared:/shared\n");
    e.expect(
        &[
            "docker-options:list",
            "node-js-app",
            "--process",
            "web",
            "--phase",
            "deploy",
        ],
        stored(&e, "web.deploy"),
    );
    e.transcript(
        r#"
$ docker-options:list node-js-app --phase deploy
--memory=512m
$ docker-options:report node-js-app --docker-options-deploy.worker
--gpus all
"#,
    );

    let json = e.json(&["docker-options:report", "node-js-app", "--format", "json"]);
    assert_eq!(json["deploy"], "--memory=512m");
    assert_eq!(json["deploy-list"], serde_json::json!(["--memory=512m"]));
    assert_eq!(json["build-list"], serde_json::json!([]));
    assert_eq!(json["deploy.api"], "-v /shared:/shared");
    assert_eq!(
        json["deploy.web-list"],
        serde_json::json!([
            "-p 6789:5000",
            "--ulimit nofile=12",
            "--shm-size 256m",
            "-v /shared:/shared"
        ])
    );
    assert_eq!(json["docker-options-deploy.worker"], "--gpus all");
    assert!(json.get("docker-options-deploy-list").is_none());

    e.run(&[
        "docker-options:remove",
        "--process",
        "web",
        "node-js-app",
        "deploy",
        "-p 6789:5000",
    ])
    .ok();
    assert_eq!(
        stored(&e, "web.deploy"),
        "--ulimit nofile=12\n--shm-size 256m\n-v /shared:/shared\n"
    );
    e.run(&[
        "docker-options:clear",
        "--process",
        "worker",
        "node-js-app",
        "deploy",
    ])
    .ok();
    assert!(!e
        .lib()
        .join("config/docker-options/node-js-app/worker.deploy")
        .exists());
    // Without --process the per-process lists are left alone.
    e.run(&["docker-options:clear", "node-js-app"]).ok();
    assert!(e
        .lib()
        .join("config/docker-options/node-js-app/web.deploy")
        .exists());
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.run(&[
        "docker-options:add",
        "node-js-app",
        "deploy",
        "--ulimit nofile=12",
    ])
    .ok();
    let before = e.state();
    let cases: &[(&[&str], &str)] = &[
        (&["docker-options:add", "node-js-app", "deploy,nope", "--x"], "Phase(s) must be one of [build deploy run]"),
        (&["docker-options:add", "node-js-app", "deploy"], "Please specify docker options to add to the phase"),
        (&["docker-options:add", "node-js-app"], "Please specify docker options to add to the phase"),
        (&["docker-options:remove", "node-js-app", "deploy"], "Please specify docker options to remove from the phase"),
        (&["docker-options:add", "--process", "web", "node-js-app", "run", "-p 1:2"], "--process is only supported for the deploy phase, got \"run\""),
        (&["docker-options:add", "--process", "_default_", "node-js-app", "deploy", "-p 1:2"], "\"_default_\" is reserved and cannot be used as a --process value"),
        (&["docker-options:add", "node-js-app", "deploy", "-p 1:2", "--process"], "--process requires a value"),
        (&["docker-options:add", "node-js-app", "deploy", "--label 'unbalanced"], "Invalid docker option: unbalanced quotes in --label 'unbalanced"),
        (&["docker-options:add", "missing", "deploy", "-p 1:2"], "App missing does not exist"),
        (&["docker-options:add", "../etc", "deploy", "-p 1:2"], "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens"),
        (&["docker-options:clear", "node-js-app", "bogus"], "Phase(s) must be one of [build deploy run]"),
        (&["docker-options:list", "node-js-app", "--phase", "bogus"], "Phase must be one of [build deploy run]"),
        (&["docker-options:list", "node-js-app"], "--phase is required"),
        (&["docker-options:list", "node-js-app", "--process", "web", "--phase", "run"], "--process is only supported for the deploy phase, got \"run\""),
        (&["docker-options:report", "node-js-app", "--docker-options-bogus"], "Invalid flag passed, valid flags: --docker-options-build, --docker-options-deploy, --docker-options-run"),
        (&["docker-options:report", "node-js-app", "--docker-options-build", "--format", "json"], "--format flag cannot be specified when specifying an info flag"),
    ];
    for (args, msg) in cases {
        let r = e.run(args);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, format!(" !     {msg}\n").as_str()),
            "{args:?}"
        );
    }
    assert_eq!(before, e.state());
}

#[test]
fn legacy_files_are_drained_on_install() {
    let e = Env::new();
    e.create_app("node-js-app");
    std::fs::write(
        e.root().join("node-js-app/DOCKER_OPTIONS_DEPLOY"),
        "--ulimit nofile=12 --shm-size 256m\n-v /a:/b\n",
    )
    .expect("write");
    std::fs::write(e.root().join("node-js-app/DOCKER_OPTIONS_BUILD"), "").expect("write");
    e.run(&["plugin:install"]).ok();
    assert_eq!(
        stored(&e, "_default_.deploy"),
        "--ulimit nofile=12\n--shm-size 256m\n"
    );
    assert_eq!(stored(&e, "migrated-deploy"), "true");
    assert!(!e
        .lib()
        .join("config/docker-options/node-js-app/migrated-build")
        .exists());
    assert_eq!(
        e.lib_file("config/docker-options/--global/migrated-from-files"),
        "true"
    );
    // The `-v` line went on to the storage plugin as a legacy entry.
    let attachments = e.lib_file("config/storage/node-js-app/mounts");
    assert!(
        attachments.contains("\"container_path\":\"/b\""),
        "{attachments}"
    );
    assert_eq!(
        e.lib_file("config/storage/node-js-app/legacy-mounts-migrated"),
        "true"
    );
}

#[test]
fn process_not_in_procfile_warns_but_is_stored() {
    let e = Env::new();
    e.create_app("node-js-app");
    let add = |p: &str| {
        e.run(&[
            "docker-options:add",
            "--process",
            p,
            "node-js-app",
            "deploy",
            "--gpus all",
        ])
    };
    // No Procfile yet: nothing is declared, nothing to warn about.
    let r = add("worker");
    assert_eq!(r.ok(), "");
    assert_eq!(r.stderr, "");

    let ps = e.lib().join("data/ps/node-js-app");
    std::fs::create_dir_all(&ps).expect("ps dir");
    std::fs::write(ps.join("Procfile"), "web: npm start\nworker: node w.js\n").expect("Procfile");
    let r = add("worker");
    assert_eq!(r.ok(), "");
    assert_eq!(r.stderr, "");
    let r = add("api");
    assert_eq!(r.ok(), "");
    assert_eq!(
        r.stderr,
        " !     Process type \"api\" is not declared in the Procfile for node-js-app\n"
    );
    assert_eq!(stored(&e, "api.deploy"), "--gpus all\n");
}

#[test]
fn remove_matches_values_stored_unquoted_by_older_versions() {
    let e = Env::new();
    e.create_app("node-js-app");
    // What an older version left: values with spaces and shell characters
    // stored bare, one option per line.
    write_file(
        &e.lib().join("config/docker-options/node-js-app/_default_.deploy"),
        "-e GREETING=hello world\n--health-cmd curl -f http://localhost/ || exit 1\n--ulimit nofile=12\n",
    );
    e.run(&[
        "docker-options:remove",
        "node-js-app",
        "deploy",
        "-e 'GREETING=hello world'",
    ])
    .ok();
    e.run(&[
        "docker-options:remove",
        "node-js-app",
        "deploy",
        "--health-cmd \"curl -f http://localhost/ || exit 1\"",
    ])
    .ok();
    assert_eq!(stored(&e, "_default_.deploy"), "--ulimit nofile=12\n");
}
