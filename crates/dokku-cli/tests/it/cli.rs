//! Dispatch, help, version and unknown commands.

use crate::harness::Holds;
use crate::harness::{output_of, Env};

#[test]
fn version_forms() {
    let e = Env::new();
    for f in ["version", "-v", "--version"] {
        let r = e.run(&[f]);
        assert_eq!(
            r.ok(),
            format!("dokku version {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn unknown_command_is_refused_with_dokku_lines() {
    let e = Env::new();
    let before = e.state();
    let r = e.run(&["foo"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, " !     `foo` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n");
    assert_eq!(before, e.state());
}

#[test]
fn help_lists_core_plugins_and_all_commands() {
    let e = Env::new();
    // No terminal on stdin: Dokku leaves the header out.
    let help = e.run(&["help"]).ok().to_string();
    assert!(help.starts_with("    app-json "), "{help}");
    assert!(
        help.contains("\n    apps                     Manage apps\n"),
        "{help}"
    );
    e.expect(&[], &help);
    e.expect(&["--help"], help);
    let all = e.run(&["help", "--all"]).ok().to_string();
    assert!(all.contains("    apps:create <app>"), "{all}");
    assert!(all.contains("   Create a new app\n"), "{all}");
}

#[test]
fn plugin_help_equals_help_flag() {
    let e = Env::new();
    for ns in ["apps", "config", "plugin"] {
        let a = e.run(&[ns, "--help"]);
        let b = e.run(&[&format!("{ns}:help")]);
        a.exits(
            0,
            Holds::OutStart(&format!("Usage: dokku {ns}[:COMMAND]\n\n")),
        );
        assert_eq!(a.stdout, b.stdout);
    }
    e.expect(&["plugin"], e.run(&["plugin:help"]).ok());
}

#[test]
fn unknown_subcommand_of_core_plugin() {
    let e = Env::new();
    let r = e.run(&["apps:nope", "x"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, " !     `apps:nope x` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n");
}

#[test]
fn report_of_one_app_and_host() {
    let e = Env::new();
    e.create_app("web");
    let r = e.run(&["report", "web"]);
    assert!(
        r.ok().contains("=====> web app information\n"),
        "{}",
        r.stdout
    );
    let host = e.run(&["report"]).ok().to_string();
    assert!(host.starts_with("-----> uname: "), "{host}");
    assert!(host.contains(&format!(
        "-----> dokku version: dokku version {}\n",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(host.contains("=====> web app information"));
    let r = e.run(&["report", "--format", "json"]);
    r.fails_with("--format flag not supported on global report");
}

/// Started by root, commands run as the system user, so what they write
/// belongs to it.
#[test]
fn root_drops_to_the_system_user() {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::fs::PermissionsExt;
    assert!(
        nix::unistd::Uid::effective().is_root(),
        "this test runs as root (useradd, chown, dropping to the system user)"
    );
    let e = Env::new();
    let user = format!("dkt{}", std::process::id());
    let made = std::process::Command::new("useradd")
        .args(["--system", "--no-create-home", "--user-group", &user])
        .status()
        .expect("useradd");
    assert!(made.success());
    struct Cleanup(String);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = std::process::Command::new("userdel").arg(&self.0).status();
        }
    }
    let _cleanup = Cleanup(user.clone());
    std::fs::set_permissions(e.dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    for d in ["home", "lib"] {
        std::process::Command::new("chown")
            .args([
                "-R",
                &format!("{user}:{user}"),
                &e.dir.path().join(d).display().to_string(),
            ])
            .status()
            .expect("chown");
    }
    output_of(
        e.cmd(&["apps:create", "web"])
            .env("DOKKU_SYSTEM_USER", &user)
            .env("DOKKU_SYSTEM_GROUP", &user),
    );
    let uid = std::fs::metadata(e.root().join("web"))
        .expect("app dir")
        .uid();
    let expected = output_of(std::process::Command::new("id").args(["-u", &user]));
    assert_eq!(uid.to_string(), expected);
    // plugin commands other than list/help stay root
    output_of(e.cmd(&["plugin:list"]).env("DOKKU_SYSTEM_USER", &user));
}
