//! Help output, compared byte for byte with what Dokku 0.38 prints: every
//! shipped plugin's `<topic>:help`, `<topic> --help` and bare `<topic>`,
//! the topic aliases, and `dokku help [--all]`.
//!
//! The expected texts under `help/` are Dokku's help pages (its interface
//! text); `help-all.txt` was laid out with `LC_ALL=C sort` and util-linux
//! `column -t -s,` from those pages' lists.

use std::process::Command;

use crate::harness::write_plugin_toml;
use crate::harness::{Env, Run};

/// `(topic, page)` pairs, each page read from `help/<topic>.txt`.
macro_rules! pages {
    ($($topic:literal),* $(,)?) => {
        &[$(($topic, include_str!(concat!("help/", $topic, ".txt")))),*]
    };
}

/// Every shipped topic with Dokku's `<topic>:help` output.
const PAGES: &[(&str, &str)] = pages![
    "app-json",
    "apps",
    "builder",
    "builder-dockerfile",
    "builder-herokuish",
    "builder-null",
    "builder-pack",
    "buildpacks",
    "builds",
    "certs",
    "checks",
    "config",
    "cron",
    "docker-options",
    "domains",
    "enter",
    "events",
    "git",
    "logs",
    "network",
    "nginx",
    "plugin",
    "ports",
    "proxy",
    "ps",
    "registry",
    "repo",
    "resource",
    "run",
    "scheduler",
    "scheduler-docker-local",
    "scheduler-null",
    "scheduler-swarm",
    "shell",
    "ssh-keys",
    "storage",
    "trace",
];

/// Topics whose bare `dokku <topic>` runs a command instead of printing help.
const RUN_BARE: &[&str] = &["apps", "config", "logs", "enter", "run", "events", "shell"];

/// Topics where `--help` is handed to the command rather than shown as help.
const NO_HELP_FLAG: &[&str] = &["enter", "run", "builder-null", "scheduler-null"];

/// `dokku help` with no terminal: the list alone.
const LIST: &str = include_str!("help/help.txt");
const LIST_ALL: &str = include_str!("help/help-all.txt");
const HEADER: &str = "Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]\n\nPrimary help options, type \"dokku COMMAND:help\" for more details, or dokku help --all to see all commands.\n\nCommands:\n\n";

fn page(topic: &str) -> &'static str {
    PAGES
        .iter()
        .find(|(t, _)| *t == topic)
        .map(|(_, p)| *p)
        .unwrap_or_else(|| panic!("no page for {topic}"))
}

#[track_caller]
fn assert_help(r: &Run, expected: &str, what: &str) {
    assert_eq!(r.code, 0, "{what}: {}", r.stderr);
    assert_eq!(r.stderr, "", "{what}");
    assert_eq!(r.stdout, expected, "{what}");
}

#[track_caller]
fn assert_not_a_command(r: &Run, words: &str) {
    assert_eq!(r.code, 1, "{words}: {}", r.stdout);
    assert_eq!(r.stdout, "", "{words}");
    assert_eq!(
        r.stderr,
        format!(" !     `{words}` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n")
    );
}

#[test]
fn every_topic_help_matches_dokku() {
    let e = Env::new();
    for (topic, expected) in PAGES {
        assert_help(&e.run(&[&format!("{topic}:help")]), expected, topic);
    }
}

#[test]
fn quiet_does_not_hide_help() {
    let e = Env::new();
    for topic in ["apps", "ps", "git", "storage"] {
        assert_help(
            &e.run(&["--quiet", &format!("{topic}:help")]),
            page(topic),
            topic,
        );
    }
}

#[test]
fn help_flag_prints_the_page() {
    let e = Env::new();
    for (topic, expected) in PAGES {
        if NO_HELP_FLAG.contains(topic) {
            continue;
        }
        assert_help(&e.run(&[topic, "--help"]), expected, topic);
    }
    // Go flag parsing takes `-h` too, and only among the leading flags.
    assert_help(&e.run(&["apps", "-h"]), page("apps"), "apps -h");
    let r = e.run(&["config", "nosuchapp", "--help"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.stdout, "");
}

#[test]
fn bare_topic_prints_the_page() {
    let e = Env::new();
    for (topic, expected) in PAGES {
        if RUN_BARE.contains(topic) || ["builder-null", "scheduler-null"].contains(topic) {
            continue;
        }
        assert_help(&e.run(&[topic]), expected, topic);
        // Whatever follows, the page is printed.
        assert_help(&e.run(&[topic, "anything"]), expected, topic);
    }
}

#[test]
fn bare_topics_that_run_a_command() {
    let e = Env::new();
    e.create_app("web");
    e.expect(&["apps"], e.run(&["apps:list"]).ok());
    assert!(e.run(&["apps"]).ok().contains("web\n"));
    for topic in ["config", "logs", "enter", "run"] {
        let r = e.run(&[topic]);
        assert_ne!(r.code, 0, "{topic}: {}", r.stdout);
        assert!(!r.stdout.starts_with("Usage:"), "{topic}: {}", r.stdout);
    }
    let r = e.run(&["config", "web"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.starts_with("Usage:"), "{}", r.stdout);
}

#[test]
fn builder_null_has_a_page_but_no_command() {
    let e = Env::new();
    assert_help(
        &e.run(&["builder-null:help"]),
        "Usage: dokku builder-null[:COMMAND]\n\nNo-op builder plugin\n\n",
        "builder-null:help",
    );
    assert_not_a_command(&e.run(&["builder-null"]), "builder-null");
    assert_help(
        &e.run(&["scheduler-null:help"]),
        "Usage: dokku scheduler-null[:COMMAND]\n\nNo-op scheduler plugin\n\n",
        "scheduler-null:help",
    );
    assert_not_a_command(&e.run(&["scheduler-null"]), "scheduler-null");
}

#[test]
fn aliases_reach_their_plugin() {
    let e = Env::new();
    for (alias, topic) in [
        ("dockerfile", "builder-dockerfile"),
        ("herokuish", "builder-herokuish"),
        ("pack", "builder-pack"),
        ("docker-local", "scheduler-docker-local"),
    ] {
        assert_help(&e.run(&[&format!("{alias}:help")]), page(topic), alias);
        assert_help(&e.run(&[alias]), page(topic), alias);
    }
    e.create_app("web");
    e.run(&[
        "dockerfile:set",
        "web",
        "dockerfile-path",
        "Other.dockerfile",
    ])
    .ok();
    let r = e.run(&[
        "builder-dockerfile:report",
        "web",
        "--builder-dockerfile-dockerfile-path",
    ]);
    assert_eq!(r.ok(), "Other.dockerfile\n");
}

/// The aliases of plugins that are not core here (community builders and
/// schedulers) are rewritten too: an unknown command names the plugin.
#[test]
fn aliases_of_other_plugins_are_rewritten() {
    let e = Env::new();
    for (alias, topic) in [
        ("k3s", "scheduler-k3s"),
        ("lambda", "builder-lambda"),
        ("nixpacks", "builder-nixpacks"),
        ("rails", "builder-railpack"),
    ] {
        assert_not_a_command(
            &e.run(&[&format!("{alias}:report")]),
            &format!("{topic}:report"),
        );
    }
    // `railpack` itself is no alias.
    assert_not_a_command(&e.run(&["railpack:report"]), "railpack:report");
}

#[test]
fn plugin_directory_name_is_not_a_topic() {
    let e = Env::new();
    assert_not_a_command(&e.run(&["nginx-vhosts:help"]), "nginx-vhosts:help");
    assert_not_a_command(&e.run(&["report:help"]), "report:help");
}

#[test]
fn standard_commands_print_their_line() {
    let e = Env::new();
    assert_help(
        &e.run(&["version:help"]),
        "    version    Print dokku's version\n",
        "version:help",
    );
}

#[test]
fn help_without_a_terminal_is_the_list_alone() {
    let e = Env::new();
    assert_help(&e.run(&["help"]), LIST, "help");
    assert_help(&e.run(&[]), LIST, "no command");
    assert_help(&e.run(&["--help"]), LIST, "--help");
    assert_help(&e.run(&["help", "--all"]), LIST_ALL, "help --all");
}

/// Run the binary on a pseudo-terminal (util-linux `script`), which turns
/// the line ends into CRLF.
fn run_on_tty(e: &Env, args: &str) -> Run {
    let template = e.cmd(&[]);
    let mut c = Command::new("script");
    c.env_clear();
    for (k, v) in template.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    let line = format!("{} {args}", env!("CARGO_BIN_EXE_dokku"));
    let mut r: Run = c
        .args(["-qec", &line, "/dev/null"])
        .output()
        .expect("spawn script")
        .into();
    r.stdout = r.stdout.replace("\r\n", "\n");
    r
}

#[test]
fn help_on_a_terminal_has_the_header() {
    let e = Env::new();
    assert_help(&run_on_tty(&e, "help"), &format!("{HEADER}{LIST}"), "help");
    assert_help(
        &run_on_tty(&e, "help --all"),
        &format!("{HEADER}{LIST_ALL}"),
        "help --all",
    );
    assert_help(&run_on_tty(&e, "--quiet help"), LIST, "--quiet help");
}

#[test]
fn community_commands_follow_under_their_heading() {
    let e = Env::new();
    let dir = e.lib().join("plugins/available/hello");
    write_plugin_toml(&dir, "hello", "0.1.0");
    let script = "#!/usr/bin/env bash\ncase \"$1\" in\n  help)\n    echo \"    hello:world <app>, Say hello, loudly\"\n    echo \"    hello, Say hello\"\n    ;;\n  *) exit 10 ;;\nesac\n";
    std::fs::write(dir.join("commands"), script).expect("commands");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.join("commands"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    std::os::unix::fs::symlink(&dir, e.lib().join("plugins/enabled/hello")).expect("enable");
    let expected = format!(
        "{LIST}\nCommunity plugin commands:\n\n    hello               Say hello  \n    hello:world <app>   Say hello   loudly\n"
    );
    assert_help(&e.run(&["help"]), &expected, "help");
}
