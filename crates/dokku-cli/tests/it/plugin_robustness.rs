//! A broken community plugin harms as little as possible: another plugin's
//! failing `install` trigger is reported but does not fail `plugin:install`;
//! a plugin whose `uninstall` or `user-auth` trigger fails can still be
//! disabled and uninstalled.

use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::write_script;
use crate::harness::Env;
use crate::harness::Holds;

/// An executable bash script.
fn script(path: &Path, body: &str) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    write_script(path, &format!("#!/usr/bin/env bash\n{body}\n"));
}

/// A plugin source directory `name` under `dir` with a `plugin.toml` and
/// the given trigger scripts.
fn plugin_source(dir: &Path, name: &str, triggers: &[(&str, &str)]) -> PathBuf {
    let src = dir.join(name);
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(
        src.join("plugin.toml"),
        format!(
            "[plugin]\ndescription = \"{name} plugin\"\nversion = \"0.1.0\"\n[plugin.config]\n"
        ),
    )
    .expect("plugin.toml");
    for (t, body) in triggers {
        script(&src.join(t), body);
    }
    src
}

/// An installed and enabled plugin, put in place by hand (its own install
/// trigger never ran).
fn installed(e: &Env, name: &str, triggers: &[(&str, &str)]) -> PathBuf {
    let available = e.lib().join("plugins/available");
    let dir = plugin_source(&available, name, triggers);
    std::os::unix::fs::symlink(&dir, e.lib().join("plugins/enabled").join(name)).expect("enable");
    dir
}

fn core(e: &Env) {
    e.expect(&["plugin:install", "--core"], "");
}

#[test]
fn another_plugins_failing_install_trigger_is_reported_not_fatal() {
    let e = Env::new();
    core(&e);
    installed(
        &e,
        "broken",
        &[("install", "echo broken install >&2; exit 3")],
    );
    let work = tempfile::tempdir().expect("tempdir");
    let marker = work.path().join("good-installed");
    let src = plugin_source(
        work.path(),
        "good",
        &[("install", &format!("touch '{}'", marker.display()))],
    );

    let r = e.run(&["plugin:install", src.to_str().expect("utf8")]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "-----> Plugin good enabled\n");
    assert!(
        r.stderr.contains("broken install\n")
            && r.stderr
                .contains(" !     The install trigger of plugin broken failed (exit code 3)\n"),
        "{}",
        r.stderr
    );
    assert!(marker.exists(), "the new plugin's install trigger ran");
    assert!(e.lib().join("plugins/enabled/good").exists());

    // Its own failing install trigger fails the command, with its code.
    let bad = plugin_source(work.path(), "bad", &[("install", "exit 4")]);
    let r = e.run(&["plugin:install", bad.to_str().expect("utf8")]);
    r.exits(
        4,
        Holds::Err(" !     The install trigger of plugin bad failed (exit code 4)\n"),
    );

    // Running the trigger for every plugin reports each failure, in plugin
    // order, and fails with the first one's code.
    let r = e.run(&["plugin:install"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            4,
            "broken install\n !     The install trigger of plugin bad failed (exit code 4)\n !     The install trigger of plugin broken failed (exit code 3)\n"
        )
    );
}

#[test]
fn a_misbehaving_plugin_can_always_be_disabled_and_uninstalled() {
    let e = Env::new();
    core(&e);
    let dir = installed(
        &e,
        "rogue",
        &[("uninstall", "exit 5"), ("user-auth", "exit 1")],
    );
    // It denies every ordinary command...
    let r = e.run(&["apps:list"]);
    assert_eq!((r.code, r.stderr.as_str()), (1, " !     Access denied\n"));

    // ...but root still takes it away.
    let r = e.run(&["plugin:disable", "rogue"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "-----> Plugin rogue disabled\n");
    assert!(fs::symlink_metadata(e.lib().join("plugins/enabled/rogue")).is_err());
    e.run(&["apps:list"]).ok();

    // Disabled, its own failing uninstall script is reported and the
    // plugin removed all the same.
    let r = e.run(&["plugin:uninstall", "rogue"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "-----> Plugin rogue uninstalled\n");
    assert_eq!(
        r.stderr,
        " !     The uninstall trigger of plugin rogue failed (exit code 5)\n"
    );
    assert!(!dir.exists());

    // Enabled, the same: the trigger fails, the uninstall goes on.
    let dir = installed(
        &e,
        "rogue2",
        &[("uninstall", "exit 6"), ("user-auth", "exit 1")],
    );
    let r = e.run(&["plugin:uninstall", "rogue2"]);
    r.exits(
        0,
        Holds::Err(" !     The uninstall trigger of plugin rogue2 failed (exit code 6)\n"),
    );
    assert!(!dir.exists());
    assert!(fs::symlink_metadata(e.lib().join("plugins/enabled/rogue2")).is_err());
    e.run(&["apps:list"]).ok();
}
