//! The standard plugin's commands outside any namespace: `url`, `urls`,
//! `cleanup`, `deploy` and `report`, against the real engine where they
//! touch it.

use std::process::Command;

use dokku_docker::ContainerEngine;

use crate::harness::path_with;
use crate::harness::Holds;
use crate::harness::{EngineApp, Env};

/// Whether a container of that name exists.
fn container_exists(name: &str) -> bool {
    Command::new("docker")
        .args(["container", "inspect", name])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// A stopped container carrying Dokku's labels for `app`.
fn exited_container(base: &str, name: &str, app: &str) {
    let o = Command::new("docker")
        .args([
            "run",
            "--name",
            name,
            "--label",
            "dokku",
            "--label",
            &format!("com.dokku.app-name={app}"),
            base,
            "true",
        ])
        .output()
        .expect("docker run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn url_and_urls_print_the_app_urls() {
    let env = Env::new();
    env.create_app("web");
    env.transcript(
        r#"
$ domains:set web a.example.com b.example.com
...
$ urls web
http://a.example.com
http://b.example.com
$ url web
http://a.example.com
$ --app web url
http://a.example.com
"#,
    );

    let r = env.run(&["urls", "missing"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (20, " !     App missing does not exist\n")
    );
    env.run(&["url"])
        .fails_with("Please specify an app to run the command on");
    env.transcript(
        r#"
$ urls:help
    urls <app>   Show all URLs for an application
$ cleanup:help
    cleanup [<app>]   Cleans up exited/dead Docker containers and removes dangling images
"#,
    );
}

#[test]
fn cleanup_removes_the_apps_stopped_containers() {
    let fx = EngineApp::new("std-cleanup");
    let env = Env::new();
    env.create_app(&fx.name);
    let mine = format!("{}-stopped", fx.name);
    let other_app = format!("{}-other", fx.name);
    let other = format!("{}-kept", fx.name);
    exited_container(&fx.base, &mine, &fx.name);
    exited_container(&fx.base, &other, &other_app);

    // A skip setting does not stop an explicit cleanup.
    env.run(&["builder:set", &fx.name, "skip-cleanup", "true"])
        .ok();
    env.expect(&["cleanup", &fx.name], "-----> Cleaning up...\n");
    assert!(
        !container_exists(&mine),
        "the app's stopped container stays"
    );
    assert!(container_exists(&other), "another app's container went");

    let r = env.run(&["cleanup", "missing"]);
    assert_eq!(r.code, 20, "{}", r.stderr);
    let _ = fx.engine.remove_container(&other, true);
}

#[test]
fn deploy_releases_and_runs_the_image() {
    let fx = EngineApp::new("std-deploy");
    let env = Env::new();
    env.create_app(&fx.name);
    env.run(&["checks:disable", &fx.name]).ok();
    env.run(&["ps:set", &fx.name, "stop-timeout-seconds", "1"])
        .ok();

    // Nothing built yet: nothing to deploy, and no complaint.
    let r = env.run(&["deploy", &fx.name]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));

    fx.build_httpd("hello", "", "");
    let out = env.run(&["deploy", &fx.name]).ok().to_string();
    assert!(
        out.contains(&format!(
            "-----> Deploying {} via the docker-local scheduler...",
            fx.name
        )),
        "{out}"
    );
    let running = env.run(&["ps:report", &fx.name, "--running"]);
    assert_eq!(running.ok(), "true\n");

    let report = env.run(&["report", &fx.name]).ok().to_string();
    assert!(
        report.contains(&format!("=====> {} app information", fx.name)),
        "{report}"
    );
    let r = env.run(&["report", "missing"]);
    assert_eq!(r.code, 20, "{}", r.stderr);
    env.run(&["apps:destroy", &fx.name, "--force"]).ok();
}

#[test]
fn report_starts_with_the_host() {
    let env = Env::new();
    env.create_app("one");
    let r = env.run(&["report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let headings: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("-----> ") && !l.contains("app information"))
        .map(|l| l.split(':').next().unwrap_or(""))
        .take(9)
        .collect();
    assert_eq!(
        headings,
        [
            "-----> uname",
            "-----> memory",
            "-----> docker version",
            "-----> docker daemon info",
            "-----> git version",
            "-----> sigil version",
            "-----> herokuish version",
            "-----> dokku version",
            "-----> plugn version",
        ]
    );
    assert!(
        r.stdout.contains("=====> one app information"),
        "{}",
        r.stdout
    );
    let r = env.run(&["report", "--format", "json"]);
    r.fails_with("--format flag not supported on global report");
}

#[test]
fn events_on_logs_trigger_calls_and_off_stops() {
    let env = Env::new();
    env.run(&["plugin:install", "--core"]).ok();
    let log = env.dir.path().join("logs/events.log");
    assert_eq!(std::fs::read_to_string(&log).expect("events.log"), "");

    env.expect(&["events:on"], "-----> Enabling dokku events logger\n");
    assert_eq!(
        std::fs::read_to_string(env.root().join(".dokkurc/DOKKU_EVENTS")).expect("rc"),
        "export DOKKU_EVENTS=1\n"
    );
    env.create_app("ev");
    let text = std::fs::read_to_string(&log).expect("events.log");
    let line = text
        .lines()
        .find(|l| l.contains("INVOKED: post-create( ev )"))
        .unwrap_or_else(|| panic!("no post-create event in:\n{text}"));
    // `<stamp> <host> dokku-event[<pid>]: INVOKED: ...`, as rsyslog writes it.
    let (head, tail) = line.split_once(" dokku-event[").expect("syslog tag");
    assert_eq!(
        head.len(),
        "Dec  2 07:10:56".len() + 1 + head.split(' ').next_back().map_or(0, str::len),
        "{line}"
    );
    let (pid, rest) = tail.split_once("]: ").expect("pid");
    assert_eq!(
        rest,
        format!("INVOKED: post-create( ev ) NAME= FINGERPRINT= DOKKU_PID={pid}")
    );
    let shown = env.run(&["events"]).ok().to_string();
    assert!(shown.contains("INVOKED: post-create( ev )"), "{shown}");

    let list = env.run(&["events:list"]).ok().to_string();
    assert!(
        list.starts_with("=====> Events currently logged\n"),
        "{list}"
    );
    assert!(list.lines().any(|l| l == "post-deploy"), "{list}");

    env.expect(&["events:off"], "-----> Disabling dokku events logger\n");
    assert!(!env.root().join(".dokkurc/DOKKU_EVENTS").exists());
    let before = std::fs::read_to_string(&log).expect("events.log");
    env.create_app("quiet");
    assert_eq!(std::fs::read_to_string(&log).expect("events.log"), before);
}

#[test]
fn trace_on_traces_later_commands() {
    let env = Env::new();
    env.expect(&["trace:on"], "-----> Enabling trace mode\n");
    assert_eq!(
        std::fs::read_to_string(env.root().join(".dokkurc/DOKKU_TRACE")).expect("rc"),
        "export DOKKU_TRACE=1\n"
    );
    let r = env.run(&["apps:create", "traced"]);
    r.exits(0, Holds::Err("+ plugn trigger post-create traced"));
    env.expect(&["trace:off"], "-----> Disabling trace mode\n");
    let r = env.run(&["apps:create", "untraced"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    // `--trace` alone traces one command.
    let r = env.run(&["--trace", "apps:list"]);
    assert!(r.stderr.contains("+ dokku apps:list"), "{}", r.stderr);
}

#[test]
fn repo_gc_and_purge_cache_refusals() {
    let env = Env::new();
    env.create_app("rp");
    let r = env.run(&["repo:gc", "rp"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // No cache directory: nothing to do.
    env.expect(&["repo:purge-cache", "rp"], "");
    env.run(&["repo:gc", "missing"])
        .fails_with("App missing does not exist");
    env.run(&["repo:purge-cache"])
        .fails_with("Please specify an app to run the command on");
}

/// As the system user meets it: a cache a build container filled as root
/// (a root-owned directory holding files) is emptied by a one-off
/// container of the app's image; the directory stays. Without the image
/// the container cannot run: the engine's complaint is shown, the command
/// still succeeds and nothing is removed directly, as with Dokku.
#[test]
fn purge_cache_removes_root_owned_entries_through_a_container() {
    use std::os::unix::fs::PermissionsExt;
    assert!(
        nix::unistd::Uid::effective().is_root(),
        "this test runs as root (useradd, root-owned cache files)"
    );
    let user = crate::layout::account("purge");
    let fx = crate::harness::EngineApp::new("purge-cache");
    let env = Env::new();
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    for d in [env.root(), env.lib()] {
        crate::harness::sh(
            std::process::Command::new("chown")
                .arg("-R")
                .arg(format!("{0}:{0}", user.name))
                .arg(d),
        )
        .ok();
    }
    let app = fx.name.as_str();
    crate::layout::as_user(&env, &user, &["apps:create", app]).ok();
    let cache = env.root().join(app).join("cache");
    let fill = || {
        std::fs::create_dir_all(cache.join("vendor/bundle")).expect("mkdir");
        std::fs::write(cache.join("vendor/bundle/gem"), "x").expect("write");
        std::fs::write(cache.join("top"), "x").expect("write");
        std::fs::set_permissions(cache.join("vendor"), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    };
    crate::layout::as_user(&env, &user, &["repo:purge-cache", app]).ok();
    fill();
    // The system user could not remove these itself.
    let direct = crate::harness::sh(
        std::process::Command::new("setpriv")
            .args([
                "--reuid",
                &user.uid.to_string(),
                "--regid",
                &user.uid.to_string(),
            ])
            .args(["--clear-groups", "rm", "-rf"])
            .arg(cache.join("vendor")),
    );
    assert_ne!(direct.code, 0, "the system user removed a root-owned file");

    let r = crate::layout::as_user(&env, &user, &["repo:purge-cache", app]);
    r.exits(0, Holds::Err(&format!("dokku/{app}:latest")));
    assert!(cache.join("vendor/bundle/gem").is_file());

    fx.build_httpd("hello", "", "");
    let r = crate::layout::as_user(&env, &user, &["repo:purge-cache", app]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert!(cache.is_dir(), "the cache directory stays");
    assert_eq!(std::fs::read_dir(&cache).expect("cache").count(), 0);
}

#[test]
fn shell_runs_each_line_and_keeps_history() {
    let env = Env::new();
    let r = env.run_stdin(
        &["shell"],
        b"apps:create sh\ndokku apps:list\nnope\n\nhistory\nexit\napps:create never\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "dokku> Creating sh... done\ndokku> =====> My Apps\nsh\ndokku> dokku> dokku>     1  apps:create sh\n    2  dokku apps:list\n    3  nope\n    4  history\ndokku> "
    );
    assert_eq!(
        r.stderr,
        " !     `nope` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n"
    );
    assert_eq!(
        std::fs::read_to_string(env.root().join(".dokku_history")).expect("history"),
        "apps:create sh\ndokku apps:list\nnope\nhistory\nexit\n"
    );
    assert!(!env.root().join("never").exists());
    // End of input ends the prompt too.
    let r = env.run_stdin(&["shell"], b"apps:list\n");
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "dokku> =====> My Apps\nsh\ndokku> \n")
    );
}

/// Ask the bash completion what it offers for `line` (cursor at its end).
fn complete(env: &Env, line: &str) -> Vec<String> {
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let link = bin.join("dokku");
    if !link.exists() {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dokku"), &link).expect("link");
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../contrib/completion/dokku.bash"
    );
    let c = env.cmd(&[]);
    let path = path_with(&[&bin]);
    let o = Command::new("bash")
        .args([
            "-c",
            "source \"$1\"; COMP_LINE=$2; COMP_POINT=${#2}; _dokku; printf '%s\\n' \"${COMPREPLY[@]}\"",
            "complete",
            script,
            line,
        ])
        .envs(c.get_envs().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))))
        .env("PATH", path)
        .output()
        .expect("bash");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_offers_commands_flags_and_apps() {
    let env = Env::new();
    env.create_app("alpha");
    env.create_app("beta");
    assert_eq!(complete(&env, "dokku builds:l"), ["list"]);
    // Bash replaces what follows the colon: the offers drop `apps:`.
    let apps = complete(&env, "dokku apps:");
    assert!(apps.contains(&"report".to_string()), "{apps:?}");
    assert!(apps.iter().all(|c| !c.contains(':')), "{apps:?}");
    assert_eq!(complete(&env, "dokku url"), ["url", "urls"]);
    assert_eq!(complete(&env, "dokku config:show "), ["alpha", "beta"]);
    assert_eq!(complete(&env, "dokku config:show a"), ["alpha"]);
    assert_eq!(complete(&env, "dokku builds:list alpha --k"), ["--kind"]);
}

#[test]
fn parallel_restart_keeps_each_apps_lines_together() {
    let apps: Vec<EngineApp> = (0..3)
        .map(|i| EngineApp::new(&format!("std-par{i}")))
        .collect();
    let env = Env::new();
    env.quick_deploys(Some("0"), "1");
    for fx in &apps {
        env.create_app(&fx.name);
        env.run(&["checks:disable", &fx.name]).ok();
        fx.build_httpd(&fx.name, "", "");
        env.run(&["deploy", &fx.name]).ok();
    }
    let r = env.run(&["ps:restart", "--all", "--parallel", "3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Each app's block is contiguous: once an app's lines start, no other
    // app's name appears until they end.
    let mut seen: Vec<&str> = Vec::new();
    for line in r.stdout.lines() {
        if let Some(fx) = apps.iter().find(|fx| line.contains(fx.name.as_str())) {
            let name = fx.name.as_str();
            if seen.last() != Some(&name) {
                assert!(!seen.contains(&name), "{name} interleaved:\n{}", r.stdout);
                seen.push(name);
            }
        }
    }
    assert_eq!(seen.len(), 3, "{}", r.stdout);
    for fx in &apps {
        env.expect(&["ps:report", &fx.name, "--running"], "true\n");
    }
    // The boot-time restore of running apps: every app still runs.
    let r = env.run(&["ps:restore"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stderr.contains("detected as not running"),
        "running apps were redeployed:\n{}{}",
        r.stdout,
        r.stderr
    );
    for fx in &apps {
        env.expect(&["ps:report", &fx.name, "--running"], "true\n");
        env.run(&["apps:destroy", &fx.name, "--force"]).ok();
    }
}
