//! Every `<plugin>:report` as Dokku 0.38 answers it: per app, for every
//! app, and with `--global` alone, with an info flag and as JSON; and the
//! `:set` checks of the plugins that have properties.

use std::collections::BTreeSet;

use crate::harness::write_script;
use crate::harness::Env;

/// (namespace, header title, flag head, keys of `--global` after the head).
const GLOBAL_KEYS: &[(&str, &str, &str, &[&str])] = &[
    (
        "app-json",
        "app-json",
        "app-json",
        &["computed-appjson-path", "global-appjson-path"],
    ),
    ("apps", "app", "app", &["global-disable-autocreation"]),
    (
        "builder",
        "builder",
        "builder",
        &[
            "computed-skip-cleanup",
            "global-build-dir",
            "global-selected",
            "global-skip-cleanup",
        ],
    ),
    ("builds", "builds", "builds", &["global-retention"]),
    (
        "cron",
        "cron",
        "cron",
        &[
            "computed-mailfrom",
            "computed-mailto",
            "computed-maintenance",
            "global-mailfrom",
            "global-mailto",
            "global-maintenance",
        ],
    ),
    ("buildpacks", "buildpacks", "buildpacks", &["global-stack"]),
    (
        "builder-dockerfile",
        "builder-dockerfile",
        "builder-dockerfile",
        &["computed-dockerfile-path", "global-dockerfile-path"],
    ),
    (
        "builder-herokuish",
        "builder-herokuish",
        "builder-herokuish",
        &["computed-allowed", "global-allowed"],
    ),
    (
        "builder-pack",
        "builder-pack",
        "builder-pack",
        &["computed-projecttoml-path", "global-projecttoml-path"],
    ),
    ("certs", "ssl", "ssl", &[]),
    (
        "checks",
        "checks",
        "checks",
        &["computed-wait-to-retire", "global-wait-to-retire"],
    ),
    ("docker-options", "docker options", "docker-options", &[]),
    (
        "domains",
        "domains",
        "domains",
        &["global-enabled", "global-vhosts"],
    ),
    (
        "git",
        "git",
        "git",
        &[
            "computed-archive-max-files",
            "computed-archive-max-size",
            "computed-deploy-branch",
            "computed-keep-git-dir",
            "global-archive-max-files",
            "global-archive-max-size",
            "global-deploy-branch",
            "global-keep-git-dir",
        ],
    ),
    (
        "logs",
        "logs",
        "logs",
        &[
            "computed-app-label-alias",
            "computed-max-size",
            "computed-vector-cron-sink",
            "computed-vector-image",
            "computed-vector-networks",
            "computed-vector-sink",
            "global-app-label-alias",
            "global-max-size",
            "global-vector-cron-sink",
            "global-vector-image",
            "global-vector-networks",
            "global-vector-sink",
        ],
    ),
    (
        "network",
        "network",
        "network",
        &[
            "computed-attach-post-create",
            "computed-attach-post-deploy",
            "computed-bind-all-interfaces",
            "computed-initial-network",
            "computed-tld",
            "global-attach-post-create",
            "global-attach-post-deploy",
            "global-bind-all-interfaces",
            "global-initial-network",
            "global-tld",
        ],
    ),
    ("ports", "ports", "ports", &[]),
    (
        "proxy",
        "proxy",
        "proxy",
        &[
            "computed-proxy-port",
            "computed-proxy-ssl-port",
            "computed-type",
            "global-proxy-port",
            "global-proxy-ssl-port",
            "global-type",
        ],
    ),
    (
        "ps",
        "ps",
        "ps",
        &[
            "computed-procfile-path",
            "computed-restart-policy",
            "computed-skip-deploy",
            "computed-stop-timeout-seconds",
            "global-procfile-path",
            "global-restart-policy",
            "global-skip-deploy",
            "global-stop-timeout-seconds",
        ],
    ),
    (
        "registry",
        "registry",
        "registry",
        &[
            "computed-image-repo-template",
            "computed-push-extra-tags",
            "computed-push-on-release",
            "computed-server",
            "global-image-repo-template",
            "global-push-extra-tags",
            "global-push-on-release",
            "global-server",
        ],
    ),
    ("resource", "resource", "resource", &[]),
    (
        "scheduler",
        "scheduler",
        "scheduler",
        &[
            "computed-selected",
            "computed-shell",
            "global-selected",
            "global-shell",
        ],
    ),
    (
        "scheduler-docker-local",
        "scheduler-docker-local",
        "scheduler-docker-local",
        &[
            "computed-init-process",
            "computed-parallel-schedule-count",
            "global-init-process",
            "global-parallel-schedule-count",
        ],
    ),
];

fn json_keys(text: &str) -> BTreeSet<String> {
    let v: serde_json::Value = serde_json::from_str(text.trim()).expect("one JSON object");
    v.as_object().expect("an object").keys().cloned().collect()
}

#[test]
fn every_report_accepts_global_alone_with_a_flag_and_as_json() {
    let e = Env::new();
    for (ns, title, head, keys) in GLOBAL_KEYS {
        let text = e
            .run(&[&format!("{ns}:report"), "--global"])
            .ok()
            .to_string();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(format!("=====> --global {title} information").as_str()),
            "{ns}"
        );
        let labels: Vec<String> = lines
            .map(|l| l.split(':').next().unwrap_or("").trim().to_string())
            .collect();
        let mut expected: Vec<String> = keys
            .iter()
            .map(|k| {
                let s = format!("{head}-{k}").replace(['-', '.'], " ");
                let mut c = s.chars();
                let first = c.next().map(|f| f.to_uppercase().collect::<String>());
                first.unwrap_or_default() + c.as_str()
            })
            .collect();
        expected.sort_by_key(|l| l.replace(' ', "-").to_lowercase());
        assert_eq!(labels, expected, "{ns}: text keys");

        let json = e
            .run(&[&format!("{ns}:report"), "--global", "--format", "json"])
            .ok()
            .to_string();
        let got = json_keys(&json);
        for k in *keys {
            assert!(got.contains(*k), "{ns}: JSON key {k} in {json}");
        }
        if keys.is_empty() {
            assert_eq!(json, "{}\n", "{ns}");
        }

        if let Some(k) = keys.first() {
            let flag = format!("--{head}-{k}");
            let r = e.run(&[&format!("{ns}:report"), "--global", &flag]);
            assert_eq!(r.code, 0, "{ns} {flag}: {}", r.stderr);
            assert_eq!(r.stdout.lines().count(), 1, "{ns} {flag}");
            let r = e.run(&[
                &format!("{ns}:report"),
                &flag,
                "--global",
                "--format",
                "json",
            ]);
            assert_eq!(
                (r.code, r.stderr.as_str()),
                (
                    1,
                    " !     --format flag cannot be specified when specifying an info flag\n"
                ),
                "{ns}"
            );
        }
    }
}

#[test]
fn global_values_are_raw_and_computed_fall_back_to_defaults() {
    let e = Env::new();
    let flag = |ns: &str, f: &str| {
        e.run(&[&format!("{ns}:report"), "--global", f])
            .ok()
            .to_string()
    };
    assert_eq!(flag("git", "--git-global-deploy-branch"), "\n");
    assert_eq!(flag("git", "--git-computed-deploy-branch"), "master\n");
    assert_eq!(
        flag(
            "scheduler-docker-local",
            "--scheduler-docker-local-global-init-process"
        ),
        "\n"
    );
    assert_eq!(
        flag(
            "scheduler-docker-local",
            "--scheduler-docker-local-computed-init-process"
        ),
        "true\n"
    );
    assert_eq!(
        flag("ps", "--ps-computed-restart-policy"),
        "on-failure:10\n"
    );
    e.transcript(
        r#"
$ git:set --global deploy-branch main
...
$ ps:set --global restart-policy always
...
"#,
    );
    assert_eq!(flag("git", "--git-global-deploy-branch"), "main\n");
    assert_eq!(flag("git", "--git-computed-deploy-branch"), "main\n");
    assert_eq!(flag("ps", "--ps-computed-restart-policy"), "always\n");
    assert!(e
        .run(&["ps:report", "--global", "--format", "json"])
        .ok()
        .contains(r#""ps-global-restart-policy":"always""#));
    let r = e.run(&["git:report", "--global", "--git-sha"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with(
        " !     Invalid flag passed, valid flags: --git-computed-archive-max-files, "
    ));
}

#[test]
fn app_reports_sort_pad_and_handle_every_app() {
    let e = Env::new();
    let r = e.run(&["checks:report"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "", " !     You haven't deployed any applications yet\n")
    );
    e.create_app("web");
    e.create_app("api");
    insta::assert_snapshot!(e.run(&["checks:report"]).ok(), @r"
    =====> api checks information
           Checks computed wait to retire: 60
           Checks disabled list:           none
           Checks global wait to retire:   
           Checks skipped list:            none
           Checks wait to retire:          
    =====> web checks information
           Checks computed wait to retire: 60
           Checks disabled list:           none
           Checks global wait to retire:   
           Checks skipped list:            none
           Checks wait to retire:          
    ");
    insta::assert_snapshot!(e.run(&["scheduler:report", "web"]).ok(), @r"
    =====> web scheduler information
           Scheduler computed selected:   docker-local
           Scheduler computed shell:      
           Scheduler global selected:     
           Scheduler global shell:        
           Scheduler selected:            
           Scheduler shell:               
    ");
    // Two info flags: nothing happens (docker-options refuses them).
    let r = e.run(&[
        "checks:report",
        "web",
        "--checks-skipped-list",
        "--checks-disabled-list",
    ]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let r = e.run(&[
        "docker-options:report",
        "web",
        "--docker-options-build",
        "--docker-options-run",
    ]);
    r.fails_with("docker-options:report command allows only a single flag");
    e.expect(&["checks:report", "web", "--format", "json"], "{\"computed-wait-to-retire\":\"60\",\"disabled-list\":\"none\",\"global-wait-to-retire\":\"\",\"skipped-list\":\"none\",\"wait-to-retire\":\"\"}\n");
    let r = e.run(&["checks:report", "nope"]);
    r.fails_with("App nope does not exist");
}

#[test]
fn set_checks_run_in_dokkus_order_and_change_nothing_on_error() {
    let e = Env::new();
    e.create_app("web");
    let before = e.state();
    let refusals: &[(&[&str], &str)] = &[
        (
            &["apps:set", "--global", "nope", "1"],
            "Property cannot be specified globally",
        ),
        (&["scheduler:set", "web"], "No property specified"),
        (
            &["scheduler:set", "web", "nope", "x"],
            "Invalid property specified, valid properties include: selected, shell",
        ),
        (&["checks:set", "web"], "No key specified"),
        (
            &["checks:set", "web", "nope", "1"],
            "Invalid key specified, valid keys include: wait-to-retire",
        ),
        (
            &["checks:set", "web", "wait-to-retire", "soon"],
            "Invalid value for wait-to-retire, must be a non-negative integer",
        ),
        (
            &["checks:set", "web", "default-wait", "5"],
            "Property can only be specified globally",
        ),
        (
            &["scheduler-docker-local:set", "web", "nope", "1"],
            "Invalid key specified, valid keys include: init-process, parallel-schedule-count",
        ),
        (
            &["nginx:set", "web", "client-max-body-size", "1m; root /etc"],
            "Invalid value for client-max-body-size: must not contain ';', '{' or '}'",
        ),
        (
            &["nginx:set", "--global", "x-forwarded-ssl", "on }"],
            "Invalid value for x-forwarded-ssl: must not contain ';', '{' or '}'",
        ),
        (
            &["ps:set", "web", "nope", "1"],
            "Invalid ps property specified: nope",
        ),
        (
            &["proxy:set", "web", "80:5000"],
            "Consider using ports:set command or specifying a valid proxy",
        ),
        (
            &["git:set", "nope", "deploy-branch", "main"],
            "App nope does not exist",
        ),
    ];
    for (argv, msg) in refusals {
        let r = e.run(argv);
        assert_eq!(r.code, 1, "{argv:?}");
        assert!(
            r.stderr.ends_with(&format!(" !     {msg}\n")),
            "{argv:?}: {}",
            r.stderr
        );
    }
    assert_eq!(e.state(), before, "refused sets changed nothing");

    // The older `proxy:set <app> <type>` form sets the type.
    e.transcript(
        r#"
$ proxy:set web caddy
=====> Setting type to caddy
$ proxy:report web --proxy-type
caddy
"#,
    );
    // nginx properties live where Dokku keeps them.
    e.run(&["nginx:set", "web", "client-max-body-size", "10m"])
        .ok();
    assert_eq!(e.lib_file("config/nginx/web/client-max-body-size"), "10m");
}

#[test]
fn app_json_is_checked_through_app_json_is_valid_before_it_is_kept() {
    let e = Env::new();
    e.create_app("node-js-app");
    let src = e.dir.path().join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    let kept_dir = e.lib().join("data/app-json/node-js-app");
    let extract = |e: &Env| {
        e.run(&[
            "plugin:trigger",
            "core-post-extract",
            "node-js-app",
            &src.display().to_string(),
            "0123456789012345678901234567890123456789",
        ])
    };
    let listing = || -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&kept_dir)
            .map(|rd| {
                rd.flatten()
                    .map(|d| d.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    // app-json itself refuses what does not parse; nothing is kept.
    std::fs::write(src.join("app.json"), "{\"scripts\": {\n").expect("write");
    let r = extract(&e);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.starts_with(" !     Cannot parse app.json"),
        "{r:?}"
    );
    assert!(listing().is_empty(), "{:?}", listing());
    // Another plugin may refuse it too; it gets the staged file's path.
    std::fs::write(
        src.join("app.json"),
        "{\"scripts\": {\"dokku\": {\"predeploy\": \"true\"}}}",
    )
    .expect("write");
    let plugin = e.lib().join("plugins/enabled/appjson-check");
    std::fs::create_dir_all(&plugin).expect("mkdir");
    let hook = plugin.join("app-json-is-valid");
    let seen = e.dir.path().join("seen");
    write_script(&hook, &format!(
            "#!/bin/sh\necho \"$1\" > \"{0}\"\ncat \"$2\" >> \"{0}\"\necho ' !     no predeploy allowed' >&2\nexit 1\n",
            seen.display()
        ));
    let r = extract(&e);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        std::fs::read_to_string(&seen).expect("seen"),
        "node-js-app\n{\"scripts\": {\"dokku\": {\"predeploy\": \"true\"}}}"
    );
    assert!(listing().is_empty(), "{:?}", listing());
    // Accepted: kept under its own name, no staged copy left.
    std::fs::remove_dir_all(&plugin).expect("rm plugin");
    extract(&e).ok();
    assert_eq!(listing(), vec!["app.json".to_string()]);
}

#[test]
fn builder_herokuish_allowed_answers_the_computed_property() {
    let e = Env::new();
    e.create_app("node-js-app");
    let host_default = if std::env::consts::ARCH == "x86_64" {
        "true\n"
    } else {
        "false\n"
    };
    e.expect(
        &["plugin:trigger", "builder-herokuish-allowed", "node-js-app"],
        host_default,
    );
    e.transcript(
        r#"
$ builder-herokuish:set node-js-app allowed false
...
$ plugin:trigger builder-herokuish-allowed node-js-app
false
$ builder-herokuish:set --global allowed true
...
$ builder-herokuish:set node-js-app allowed
...
$ plugin:trigger builder-herokuish-allowed node-js-app
true
"#,
    );
}
