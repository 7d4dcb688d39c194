//! The ps, checks, scheduler and scheduler-docker-local commands that do
//! not need a container: settings, reports, scale bookkeeping and the
//! documented errors.

use crate::harness::Env;

#[test]
fn ps_scale_keeps_the_formation_and_checks_tuples() {
    let e = Env::new();
    e.create_app("node-js-app");
    insta::assert_snapshot!(e.run(&["ps:scale", "node-js-app"]).ok(), @"
    -----> Scaling for node-js-app
    proctype: qty
    --------: ---
    web     : 1
    ");
    e.expect(
        &["ps:scale", "node-js-app", "--format", "json"],
        "[{\"process_type\":\"web\",\"quantity\":1}]\n",
    );
    let r = e.run(&["ps:scale", "node-js-app", "web=2", "worker=1"]);
    assert_eq!(
        r.ok(),
        "-----> Scaling node-js-app processes: web=2 worker=1\n"
    );
    assert_eq!(
        e.lib_file("config/ps/node-js-app/scale"),
        "web=2\nworker=1\n"
    );
    insta::assert_snapshot!(e.run(&["ps:scale", "node-js-app"]).ok(), @r#"
        -----> Scaling for node-js-app
        proctype: qty
        --------: ---
        web     : 2
        worker  : 1
        "#);
    e.expect(&["ps:scale", "--format", "json", "node-js-app"], "[{\"process_type\":\"web\",\"quantity\":2},{\"process_type\":\"worker\",\"quantity\":1}]\n");
    for (arg, msg) in [
        ("web", "Missing count for process type web"),
        ("web=x", "Invalid count for process type web"),
        ("Web_1=2", "Web_1 is not a valid process name to scale up"),
    ] {
        let r = e.run(&["ps:scale", "node-js-app", arg]);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, format!(" !     {msg}\n").as_str()),
            "{arg}"
        );
    }
    std::fs::write(e.lib().join("config/ps/node-js-app/can-scale"), "false").expect("can-scale");
    let r = e.run(&["ps:scale", "node-js-app", "web=1"]);
    assert_eq!(
        r.stderr,
        " !     App node-js-app contains an app.json file with a formations key and cannot be manually scaled\n"
    );
}

#[test]
fn ps_set_and_report() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ ps:set node-js-app restart-policy always
=====> Setting restart-policy to always
$ ps:set --global procfile-path global-Procfile
=====> Setting procfile-path to global-Procfile
"#,
    );
    let r = e.run(&["ps:set", "node-js-app", "restart-policy", "sometimes"]);
    r.fails_with("Invalid restart-policy specified");
    let r = e.run(&["ps:set", "node-js-app", "nope", "x"]);
    assert_eq!(r.stderr, " !     Invalid ps property specified: nope\n");
    let r = e.run(&["ps:set", "--global", "restore", "false"]);
    assert_eq!(r.stderr, " !     Property cannot be specified globally\n");
    insta::assert_snapshot!(e.run(&["ps:report", "node-js-app"]).ok(), @r#"
        =====> node-js-app ps information
               Deployed:                         false
               Processes:                        0
               Ps can scale:                     true
               Ps computed dockerfile start cmd: 
               Ps computed procfile path:        global-Procfile
               Ps computed restart policy:       always
               Ps computed skip deploy:          false
               Ps computed start cmd:            
               Ps computed stop timeout seconds: 30
               Ps dockerfile start cmd:          
               Ps global procfile path:          global-Procfile
               Ps global restart policy:         
               Ps global skip deploy:            
               Ps global stop timeout seconds:   
               Ps procfile path:                 
               Ps restart policy:                always
               Ps skip deploy:                   
               Ps start cmd:                     
               Ps stop timeout seconds:          
               Restore:                          true
               Running:                          false
        "#);
    e.transcript(
        r#"
$ ps:report node-js-app --ps-computed-procfile-path
global-Procfile
$ ps:set node-js-app restart-policy
=====> Unsetting restart-policy
$ ps:report node-js-app --ps-computed-restart-policy
on-failure:10
"#,
    );
    let json = e.json(&["ps:report", "node-js-app", "--format", "json"]);
    assert_eq!(json["computed-procfile-path"], "global-Procfile");
    assert_eq!(json["ps-computed-procfile-path"], "global-Procfile");
}

#[test]
fn lifecycle_of_an_app_never_deployed() {
    let e = Env::new();
    e.create_app("node-js-app");
    for cmd in ["ps:stop", "ps:start", "ps:restart"] {
        let r = e.run(&[cmd, "node-js-app"]);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (0, " !     App node-js-app has not been deployed\n"),
            "{cmd}"
        );
    }
    let r = e.run(&["ps:stop", "--parallel", "0", "--all"]);
    assert_eq!(r.stderr, " !     Invalid value 0 for --parallel flag\n");
    let r = e.run(&["ps:restore"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, " !     Restore specified without app, assuming --all\n")
    );
    e.fails(
        &["checks:run", "node-js-app"],
        "App node-js-app has not been deployed",
    );
}

#[test]
fn checks_lists_and_settings() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ ps:scale --skip-deploy node-js-app web=1 worker=1
...
$ checks:skip node-js-app worker,web
-----> Skipping zero downtime for app's (node-js-app) proctypes (worker,web)
$ checks:disable node-js-app worker
-----> Disabling zero downtime for app's (node-js-app) proctypes (worker)
$ checks:report node-js-app --checks-skipped-list
web
$ checks:report node-js-app --checks-disabled-list
worker
$ checks:disable node-js-app
-----> Disabling zero downtime for app (node-js-app)
$ checks:enable node-js-app web
-----> Enabling zero downtime for app's (node-js-app) proctypes (web)
$ checks:report node-js-app --checks-disabled-list
worker
$ checks:set node-js-app wait-to-retire 30
...
"#,
    );
    insta::assert_snapshot!(e.run(&["checks:report", "node-js-app"]).ok(), @"
    =====> node-js-app checks information
           Checks computed wait to retire: 30
           Checks disabled list:           worker
           Checks global wait to retire:   
           Checks skipped list:            none
           Checks wait to retire:          30
    ");
    let r = e.run(&["checks:set", "node-js-app", "wait-to-retire", "soon"]);
    assert_eq!(
        r.stderr,
        " !     Invalid value for wait-to-retire, must be a non-negative integer\n"
    );
    let r = e.run(&["checks:set", "node-js-app", "default-wait", "1"]);
    assert_eq!(r.stderr, " !     Property can only be specified globally\n");
    // Dokku's bash checks:set words its key errors this way.
    let r = e.run(&["checks:set", "node-js-app", "bogus", "1"]);
    r.fails_with("Invalid key specified, valid keys include: wait-to-retire");
    let r = e.run(&["checks:set", "node-js-app"]);
    r.fails_with("No key specified");
    assert_eq!(e.lib_file("config/checks/node-js-app/disabled"), "worker");
}

#[test]
fn scheduler_selection_and_docker_local_settings() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ scheduler:report node-js-app --scheduler-computed-selected
docker-local
$ scheduler:set --global selected null
...
$ scheduler:report node-js-app --scheduler-computed-selected
null
$ scheduler:set node-js-app selected docker-local
...
"#,
    );
    insta::assert_snapshot!(e.run(&["scheduler:report", "node-js-app"]).ok(), @"
    =====> node-js-app scheduler information
           Scheduler computed selected:   docker-local
           Scheduler computed shell:      
           Scheduler global selected:     null
           Scheduler global shell:        
           Scheduler selected:            docker-local
           Scheduler shell:
    ");
    e.transcript(
        r#"
$ scheduler-docker-local:set --global parallel-schedule-count 4
...
$ scheduler-docker-local:set node-js-app init-process false
...
"#,
    );
    let r = e.run(&[
        "scheduler-docker-local:set",
        "node-js-app",
        "init-process",
        "maybe",
    ]);
    assert_eq!(
        r.stderr,
        " !     Invalid value for init-process, must be true or false\n"
    );
    let r = e.run(&["scheduler-docker-local:set", "node-js-app", "bogus", "1"]);
    r.fails_with(
        "Invalid key specified, valid keys include: init-process, parallel-schedule-count",
    );
    let r = e.run(&["scheduler-docker-local:set", "--global"]);
    r.fails_with("No key specified");
    insta::assert_snapshot!(e.run(&["scheduler-docker-local:report", "node-js-app"]).ok(), @"
    =====> node-js-app scheduler-docker-local information
           Scheduler docker local computed init process:            false
           Scheduler docker local computed parallel schedule count: 4
           Scheduler docker local global init process:              
           Scheduler docker local global parallel schedule count:   4
           Scheduler docker local init process:                     false
           Scheduler docker local parallel schedule count:
    ");
    e.expect(
        &[
            "scheduler-docker-local:report",
            "--global",
            "--scheduler-docker-local-global-parallel-schedule-count",
        ],
        "4\n",
    );
}

#[test]
fn help_pages() {
    let e = Env::new();
    for ns in ["ps", "checks", "scheduler", "scheduler-docker-local"] {
        let r = e.run(&[&format!("{ns}:help")]);
        assert!(
            r.ok()
                .starts_with(&format!("Usage: dokku {ns}[:COMMAND]\n")),
            "{ns}: {}",
            r.stdout
        );
    }
}

#[test]
fn ps_scale_listing_is_sorted_padded_and_deduplicated() {
    let e = Env::new();
    e.create_app("node-js-app");
    let r = e.run(&[
        "ps:scale",
        "node-js-app",
        "--skip-deploy",
        "worker=1",
        "web=1",
        "web=2",
        "clock-of-the-long-now=0",
    ]);
    r.ok();
    let stored = e.lib_file("config/ps/node-js-app/scale");
    assert_eq!(stored.matches("web=").count(), 1, "{stored}");
    assert!(stored.contains("web=2\n"), "{stored}");
    e.expect(
        &["ps:scale", "node-js-app"],
        "-----> Scaling for node-js-app\n\
         proctype             : qty\n\
         --------             : ---\n\
         clock-of-the-long-now: 0\n\
         web                  : 2\n\
         worker               : 1\n",
    );
    e.transcript(
        r#"
$ --quiet ps:scale node-js-app
clock-of-the-long-now: 0
web                  : 2
worker               : 1
$ ps:scale node-js-app --format json
[{"process_type":"clock-of-the-long-now","quantity":0},{"process_type":"web","quantity":2},{"process_type":"worker","quantity":1}]
"#,
    );
    // A stored formation with a repeated type (hand-edited or older) is
    // listed once, the later count winning.
    std::fs::write(
        e.lib().join("config/ps/node-js-app/scale"),
        "web=1\nworker=1\nweb=3\n",
    )
    .expect("write");
    e.expect(
        &["--quiet", "ps:scale", "node-js-app"],
        "web   : 3\nworker: 1\n",
    );
}
