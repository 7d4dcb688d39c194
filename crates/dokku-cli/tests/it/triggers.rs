//! Triggers called from outside (`dokku plugin:trigger`, as bash plugins'
//! `plugn trigger` reach them): what they print, change and fire.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::harness::write_script;
use crate::harness::Env;

/// A community plugin named `spy` answering `triggers` by appending
/// `name|arg|arg|` to a log; returns the log's path.
fn spy(e: &Env, triggers: &[&str]) -> PathBuf {
    let dir = e.lib().join("plugins/enabled/spy");
    fs::create_dir_all(&dir).expect("mkdir spy");
    let log = e.lib().join("spy.log");
    for t in triggers {
        let exe = dir.join(t);
        write_script(
            &exe,
            &format!(
                "#!/usr/bin/env bash\nprintf '%s|' \"{t}\" \"$@\" >> \"{}\"\n",
                log.display()
            ),
        );
    }
    log
}

/// What the spy logged since last asked.
fn take(log: &Path) -> String {
    let s = fs::read_to_string(log).unwrap_or_default();
    let _ = fs::remove_file(log);
    s
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn certs_set_and_remove_install_the_pair_and_fire_the_updates() {
    let e = Env::new();
    e.create_app("app");
    let log = spy(
        &e,
        &[
            "post-certs-update",
            "post-certs-remove",
            "post-domains-update",
        ],
    );
    let work = tempfile::tempdir().expect("tempdir");
    let (crt, key) = crate::harness::self_signed(work.path(), "app.example.com", &[]);

    let r = e.run(&["plugin:trigger", "certs-set", "app", &crt, &key]);
    assert_eq!((r.ok(), r.stderr.as_str()), ("", ""));
    let tls = e.root().join("app/tls");
    assert_eq!(
        fs::read(tls.join("server.crt")).expect("crt"),
        fs::read(&crt).expect("crt")
    );
    assert_eq!(
        fs::read(tls.join("server.key")).expect("key"),
        fs::read(&key).expect("key")
    );
    assert_eq!(
        (
            mode(&tls),
            mode(&tls.join("server.crt")),
            mode(&tls.join("server.key"))
        ),
        (0o750, 0o640, 0o640)
    );
    assert_eq!(
        take(&log),
        "post-certs-update|app|post-domains-update|app||"
    );
    e.expect(&["certs:report", "app", "--ssl-enabled"], "true\n");

    let r = e.run(&["plugin:trigger", "certs-remove", "app"]);
    assert_eq!((r.ok(), r.stderr.as_str()), ("", ""));
    assert!(!tls.exists());
    assert_eq!(
        take(&log),
        "post-certs-remove|app|post-domains-update|app||"
    );

    // Nothing left to remove, or nothing to install: Dokku's words, and no
    // trigger fired.
    let r = e.run(&["plugin:trigger", "certs-remove", "app"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "",
            " !     An app-specific SSL endpoint is not defined\n"
        )
    );
    let missing = work.path().join("missing.crt").display().to_string();
    let r = e.run(&["plugin:trigger", "certs-set", "app", &missing, &key]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            " !     CRT file specified not found, please check file paths\n"
        )
    );
    let r = e.run(&["plugin:trigger", "certs-set", "app", &crt]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, " !     Both CRT and KEY file paths are required\n")
    );
    assert!(!tls.exists());
    assert_eq!(take(&log), "");
}

#[test]
fn builder_detect_answers_the_selected_builder_first() {
    let e = Env::new();
    e.create_app("app");
    let src = tempfile::tempdir().expect("tempdir");
    let dir = src.path().display().to_string();
    let detect = |e: &Env| e.run(&["plugin:trigger", "builder-detect", "app", &dir]);
    assert_eq!(
        detect(&e).ok(),
        "",
        "nothing selected, nothing in the source"
    );
    fs::write(src.path().join("Dockerfile"), "FROM scratch\n").expect("Dockerfile");
    assert_eq!(detect(&e).ok(), "dockerfile\n");

    e.run(&["builder:set", "--global", "selected", "pack"]).ok();
    assert_eq!(detect(&e).ok(), "pack\ndockerfile\n");
    e.run(&["builder:set", "app", "selected", "herokuish"]).ok();
    assert_eq!(detect(&e).ok(), "herokuish\ndockerfile\n", "the app's wins");
    e.transcript(
        r#"
$ builder:set app selected
...
$ builder:set --global selected
...
"#,
    );
    fs::remove_file(src.path().join("Dockerfile")).expect("rm");
    assert_eq!(detect(&e).ok(), "");
}

#[test]
fn deploy_args_carry_log_rotation_and_restart_policy() {
    let e = Env::new();
    e.create_app("app");
    let args = |e: &Env, stdin: &[u8]| {
        e.run_stdin(
            &[
                "plugin:trigger",
                "docker-args-process-deploy",
                "app",
                "herokuish",
                "latest",
                "web",
                "1",
            ],
            stdin,
        )
    };
    // What was piped in comes back first.
    assert_eq!(
        args(&e, b"--from-caller").ok(),
        "--from-caller --log-opt max-size=10m --restart=on-failure:10"
    );
    e.transcript(
        r#"
$ docker-options:add app deploy '--ulimit nofile=12'
...
$ logs:set --global max-size 20m
...
$ ps:set --global restart-policy unless-stopped
...
"#,
    );
    assert_eq!(
        args(&e, b"").ok(),
        " --ulimit nofile=12 --log-opt max-size=20m --restart=unless-stopped"
    );
    e.transcript(
        r#"
$ logs:set app max-size unlimited
...
$ ps:set app restart-policy always
...
"#,
    );
    assert_eq!(args(&e, b"").ok(), " --ulimit nofile=12 --restart=always");
}

#[test]
fn procfile_commands_are_interpolated_from_the_app_env() {
    let e = Env::new();
    e.create_app("app");
    let procfile = e.lib().join("data/ps/app/Procfile");
    fs::create_dir_all(procfile.parent().expect("parent")).expect("mkdir");
    fs::write(
        &procfile,
        "web: serve --port $PORT --name ${NAME} --region $REGION --none $MISSING$\nworker: work $$ ${}\n",
    )
    .expect("Procfile");
    e.transcript(
        r#"
$ config:set --global --no-restart NAME=global REGION=eu
...
$ config:set --no-restart app NAME=app PORT=1234
...
"#,
    );
    let get = |args: &[&str]| {
        let mut v = vec!["plugin:trigger", "procfile-get-command", "app"];
        v.extend_from_slice(args);
        e.run(&v)
    };
    assert_eq!(
        get(&["web", "3000"]).ok(),
        "serve --port 3000 --name app --region eu --none $\n"
    );
    for port in [&["web"][..], &["web", ""], &["web", "http"]] {
        assert_eq!(
            get(port).ok(),
            "serve --port 5000 --name app --region eu --none $\n",
            "{port:?}"
        );
    }
    assert_eq!(get(&["worker", "80"]).ok(), "work  \n");
    assert_eq!(get(&["release", "80"]).ok(), "");
}

#[test]
fn certificates_add_and_remove_the_https_mapping() {
    let e = Env::new();
    e.create_app("app");
    e.create_app("tls");
    let work = tempfile::tempdir().expect("tempdir");
    let (crt, key) = crate::harness::self_signed(work.path(), "app.example.com", &[]);
    let map = |app: &str| {
        e.run(&["ports:report", app, "--ports-map"])
            .ok()
            .to_string()
    };

    e.run(&["ports:add", "app", "http:8080:3000"]).ok();
    e.run(&["plugin:trigger", "certs-set", "app", &crt, &key])
        .ok();
    assert_eq!(map("app"), "http:80:5000 http:8080:3000 https:443:5000\n");
    e.run(&["certs:add", "app", &crt, &key]).ok();
    assert_eq!(map("app"), "http:80:5000 http:8080:3000 https:443:5000\n");
    e.run(&["plugin:trigger", "post-certs-remove", "app"]).ok();
    assert_eq!(map("app"), "http:80:5000 http:8080:3000\n");
    e.run(&["plugin:trigger", "post-certs-update", "app"]).ok();
    assert_eq!(map("app"), "http:80:5000 http:8080:3000 https:443:5000\n");
    e.run(&["certs:remove", "app"]).ok();
    assert_eq!(map("app"), "http:80:5000 http:8080:3000\n");

    // An app terminating TLS itself keeps its own https:443 mapping.
    e.run(&["ports:set", "tls", "http:80:80", "https:443:443"])
        .ok();
    e.run(&["certs:add", "tls", &crt, &key]).ok();
    assert_eq!(map("tls"), "http:80:80 https:443:443\n");
}

#[test]
fn config_import_reads_a_file_or_stdin() {
    let e = Env::new();
    e.create_app("app");
    let work = tempfile::tempdir().expect("tempdir");
    let file = work.path().join("env");
    fs::write(&file, "A=from-file\nexport B='two words'\n").expect("env file");
    let path = file.display().to_string();
    let r = e.run_stdin(
        &["config:import", "--no-restart", "app", &path],
        b"C=stdin\n",
    );
    assert_eq!(
        r.ok(),
        "-----> Setting config vars\n       A:  from-file\n       B:  two words\n"
    );
    let r = e.run_stdin(&["config:import", "--no-restart", "app", "-"], b"C=stdin\n");
    assert_eq!(r.ok(), "-----> Setting config vars\n       C:  stdin\n");
    fs::write(&file, "{\"G\":\"g\"}").expect("json file");
    e.run(&["config:import", "--format", "json", "--global", &path])
        .ok();
    e.transcript(
        r#"
$ config:get --global G
g
$ config:keys app
A
B
C
"#,
    );

    let before = e.state();
    let missing = work.path().join("missing").display().to_string();
    let r = e.run(&["config:import", "app", &missing]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr),
        (
            1,
            "",
            format!(" !     open {missing}: no such file or directory\n")
        )
    );
    let r = e.run(&["config:import", "app", &path, "extra", "more"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, " !     Unexpected argument(s): [extra more]\n")
    );
    assert_eq!(before, e.state());

    // `dokku config --help` is the config help page.
    let help = e.run(&["config", "--help"]);
    assert_eq!(help.ok(), e.run(&["config:help"]).ok());
    assert!(help.stdout.starts_with(
        "Usage: dokku config[:COMMAND]\n\nManage global and app-specific config vars\n"
    ));
}

/// Two community plugins answering the storage triggers by logging
/// `NAME ARGS` and then what they read on stdin; `a-reader` answers
/// `storage-status` with the state in `state`.
fn stdin_readers(e: &Env) -> PathBuf {
    let log = e.lib().join("stdin.log");
    let state = e.dir.path().join("state");
    for plugin in ["a-reader", "b-reader"] {
        let dir = e.lib().join("plugins/enabled").join(plugin);
        fs::create_dir_all(&dir).expect("mkdir plugin");
        for t in ["storage-create", "storage-status", "storage-destroy"] {
            let answer = if plugin == "a-reader" && t == "storage-status" {
                format!("cat \"{}\"\n", state.display())
            } else {
                String::new()
            };
            let exe = dir.join(t);
            write_script(&exe, &format!(
                    "#!/usr/bin/env bash\nSTDIN=$(cat)\necho \"{plugin} {t} $* <$STDIN>\" >> \"{}\"\n{answer}",
                    log.display()
                ));
        }
    }
    log
}

/// The stdin log as `(who and what, the JSON read)` lines.
fn read_stdin_log(log: &Path) -> Vec<(String, serde_json::Value)> {
    take(log)
        .lines()
        .map(|l| {
            let (head, rest) = l.split_once(" <").expect("payload");
            let json = rest.strip_suffix('>').expect("payload end");
            (
                head.to_string(),
                serde_json::from_str(json).unwrap_or_else(|_| panic!("JSON on stdin: {l}")),
            )
        })
        .collect()
}

#[test]
fn storage_triggers_hand_every_plugin_the_entry_on_stdin() {
    let e = Env::new();
    let log = stdin_readers(&e);
    let entry_file = e.lib().join("data/storage-registry/entries/data.json");
    let entry = |scheduler: &str| {
        serde_json::json!({
            "name": "data",
            "scheduler": scheduler,
            "host_path": e.lib().join("data/storage/data").display().to_string(),
        })
    };
    let both = |t: &str, entry: &serde_json::Value| {
        vec![
            (format!("a-reader {t} data"), entry.clone()),
            (format!("b-reader {t} data"), entry.clone()),
        ]
    };
    // The entry as JSON, whole, to each plugin in turn.
    e.run(&["storage:create", "data"]).ok();
    let local = entry("docker-local");
    assert_eq!(read_stdin_log(&log), both("storage-create", &local));
    e.run(&["storage:set", "data", "reclaim-policy", "Delete"])
        .ok();
    let mut changed = local.clone();
    changed["reclaim_policy"] = "Delete".into();
    assert_eq!(read_stdin_log(&log), both("storage-create", &changed));
    // An entry of another scheduler: storage:wait asks its state, and the
    // second plugin still reads the whole entry after the first answered.
    let text = fs::read_to_string(&entry_file).expect("entry");
    fs::write(&entry_file, text.replace("\"docker-local\"", "\"k3s\"")).expect("entry");
    fs::write(e.dir.path().join("state"), "Bound\n").expect("state");
    e.expect(&["storage:wait", "data"], "");
    let mut k3s = changed.clone();
    k3s["scheduler"] = "k3s".into();
    assert_eq!(read_stdin_log(&log), both("storage-status", &k3s));
    fs::write(e.dir.path().join("state"), "Pending\n").expect("state");
    let r = e.run(&["storage:wait", "data"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, " !     storage entry \"data\" is Pending, not Bound\n")
    );
    assert_eq!(read_stdin_log(&log), both("storage-status", &k3s));
    fs::write(&entry_file, text).expect("entry");
    e.run(&["storage:destroy", "data", "--force"]).ok();
    assert_eq!(read_stdin_log(&log), both("storage-destroy", &changed));
}
