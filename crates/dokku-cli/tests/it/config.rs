//! Tests of the config plugin: every `config:*` command through the binary,
//! the on-disk file, the legacy drain, locking and crash safety.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Stdio;

use dokku_config::envfile;

use crate::harness::{Env, Run};

fn mkapp(e: &Env, app: &str) {
    e.create_app(app);
}

fn env_file(e: &Env, name: &str) -> PathBuf {
    e.lib().join("config").join(name).join("ENV")
}

fn read_env(e: &Env, name: &str) -> BTreeMap<String, String> {
    envfile::parse(&std::fs::read_to_string(env_file(e, name)).expect("read ENV"))
        .expect("parse ENV")
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[track_caller]
fn fails(r: &Run, stderr: &str) {
    assert_ne!(r.code, 0, "expected failure\nstdout:\n{}", r.stdout);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, stderr);
}

/// An enabled community plugin whose trigger scripts append their
/// arguments to `<dir>/calls`. The scripts are written by a child shell:
/// a write descriptor open in this multi-threaded test process could leak
/// into a concurrently forked child and make the script "text file busy".
fn hook_plugin(e: &Env, triggers: &[(&str, i32)]) -> PathBuf {
    let dir = e.lib().join("plugins/enabled/zz-hooks");
    std::fs::create_dir_all(&dir).expect("plugin dir");
    for (name, code) in triggers {
        let p = dir.join(name);
        let script = format!(
            "#!/bin/sh\necho \"{name} $*\" >> \"{}\"\nexit {code}\n",
            dir.join("calls").display()
        );
        let ok = std::process::Command::new("sh")
            .args([
                "-c",
                "printf '%s' \"$2\" > \"$1\" && chmod 755 \"$1\"",
                "sh",
            ])
            .arg(&p)
            .arg(&script)
            .status()
            .expect("sh");
        assert!(ok.success());
    }
    dir
}

fn calls(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join("calls")).unwrap_or_default()
}

#[test]
fn set_writes_the_dokku_file_and_prints_aligned_pairs() {
    let e = Env::new();
    mkapp(&e, "app");
    let r = e.run(&[
        "config:set",
        "app",
        "PORT=5000",
        "SPACES=hello big world",
        "QUOTES=it's \"quoted\"",
        "EQUALS=a=b=c",
        "SHELL=$HOME `id` !x \\",
        "MULTI=line1\nline2",
        "UNICODE=ünïcödé ✓ 日本",
        "EMPTY=",
    ]);
    insta::assert_snapshot!(r.ok(), @r#"
    -----> Setting config vars
           EMPTY:    
           EQUALS:   a=b=c
           MULTI:    line1
    line2
           PORT:     5000
           QUOTES:   it's "quoted"
           SHELL:    $HOME `id` !x \
           SPACES:   hello big world
           UNICODE:  ünïcödé ✓ 日本
    "#);
    assert_eq!(r.stderr, "");
    let path = env_file(&e, "app");
    insta::assert_snapshot!(std::fs::read_to_string(&path).expect("read"), @r#"
    EMPTY=""
    EQUALS="a=b=c"
    MULTI="line1\nline2"
    PORT=5000
    QUOTES="it's \"quoted\""
    SHELL="\$HOME \`id\` \!x \\"
    SPACES="hello big world"
    UNICODE="ünïcödé ✓ 日本"
    "#);
    assert_eq!(
        std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
        0o600
    );
    for (k, v) in [
        ("PORT", "5000"),
        ("SPACES", "hello big world"),
        ("QUOTES", "it's \"quoted\""),
        ("EQUALS", "a=b=c"),
        ("SHELL", "$HOME `id` !x \\"),
        ("MULTI", "line1\nline2"),
        ("UNICODE", "ünïcödé ✓ 日本"),
        ("EMPTY", ""),
    ] {
        e.expect(&["config:get", "app", k], format!("{v}\n"));
    }
}

#[test]
fn show_and_bare_config_print_header_and_columns() {
    let e = Env::new();
    mkapp(&e, "app");
    e.run(&[
        "config:set",
        "--no-restart",
        "app",
        "A=1",
        "LONGER_KEY=two words",
        "B=  padded  ",
    ])
    .ok();
    let show = e.run(&["config:show", "app"]);
    insta::assert_snapshot!(show.ok(), @r"
    =====> app env vars
    A:           1
    B:           padded
    LONGER_KEY:  two words
    ");
    e.expect(&["config", "app"], show.stdout);
    e.transcript(
        r#"
$ --quiet config:show app
A:           1
B:           padded
LONGER_KEY:  two words
$ config:get app B
  padded  
"#,
    );
    mkapp(&e, "empty");
    e.expect(&["config:show", "empty"], "=====> empty env vars\n\n");
}

#[test]
fn deprecated_show_flags_warn() {
    let e = Env::new();
    mkapp(&e, "app");
    e.run(&["config:set", "app", "A=it's"]).ok();
    let r = e.run(&["config", "--export", "app"]);
    assert_eq!(r.ok(), "export A='it'\\''s'\n");
    assert_eq!(
        r.stderr,
        " !     Deprecated: Use 'config:export --format exports' instead\n"
    );
    let r = e.run(&["config:show", "--shell", "app"]);
    assert_eq!(r.ok(), "A='it'\\''s' ");
    assert_eq!(
        r.stderr,
        " !     Deprecated: Use 'config:export --format shell' instead\n"
    );
    e.fails(
        &["config:show", "--shell", "--export", "app"],
        "Only one of --shell and --export can be given",
    );
}

#[test]
fn get_quoted_missing_and_argument_errors() {
    let e = Env::new();
    mkapp(&e, "app");
    e.run(&["config:set", "app", "Q=it's here"]).ok();
    e.expect(&["config:get", "--quoted", "app", "Q"], "'it'\\''s here'\n");
    let r = e.run(&["config:get", "app", "MISSING"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (1, "", ""));
    e.transcript(
        r#"
$ config:get app
 !     Expected: key
$ config:get app Q X Y
 !     Unexpected argument(s): [X Y]
"#,
    );
}

#[test]
fn global_environment() {
    let e = Env::new();
    mkapp(&e, "app");
    let r = e.run(&["config:set", "--global", "G=1", "SHARED=global"]);
    assert_eq!(
        r.ok(),
        "-----> Setting config vars\n       G:       1\n       SHARED:  global\n"
    );
    assert_eq!(
        read_env(&e, "--global"),
        map(&[("G", "1"), ("SHARED", "global")])
    );
    e.transcript(
        r#"
$ config:show --global
=====> global env vars
G:       1
SHARED:  global
$ config:get --global G
1
$ config:keys --global
G
SHARED
"#,
    );
    // --app is not put in front of a --global config command.
    e.transcript(
        r#"
$ --app app config:get --global SHARED
global
$ --app app config:keys
$ config:unset --global G
...
"#,
    );
    assert_eq!(read_env(&e, "--global"), map(&[("SHARED", "global")]));
    e.run(&["config:clear", "--global"]).ok();
    assert_eq!(
        std::fs::read_to_string(env_file(&e, "--global")).expect("read"),
        "\n"
    );
}

#[test]
fn merged_puts_app_values_over_global_ones() {
    let e = Env::new();
    mkapp(&e, "app");
    e.transcript(
        r#"
$ config:set --global G=g SHARED=global
...
$ config:set app A=a SHARED=app
...
$ config:keys app
A
SHARED
$ config:keys --merged app
A
G
SHARED
$ config:show app --merged
=====> app env vars
A:       a
G:       g
SHARED:  app
$ config:export --merged --format json app
{"A":"a","G":"g","SHARED":"app"}
$ config:export app
export A='a'
export SHARED='app'
"#,
    );
}

#[test]
fn export_formats() {
    let e = Env::new();
    mkapp(&e, "app");
    e.run(&[
        "config:set",
        "app",
        "APP_ENV=prod",
        "COMPILE_ASSETS=1",
        "Q=it's <x>",
        "M=a\nb",
    ])
    .ok();
    let mut all = String::new();
    let formats =
        "exports envfile docker-args docker-args-keys shell pretty json json-list pack-keys";
    for f in formats.split(' ') {
        all.push_str(&format!(
            "--- {f}\n{}|\n",
            e.run(&["config:export", "app", &format!("--format={f}")])
                .ok()
        ));
    }
    insta::assert_snapshot!(all, @r#"
    --- exports
    export APP_ENV='prod'
    export COMPILE_ASSETS='1'
    export M='a
    b'
    export Q='it'\''s <x>'
    |
    --- envfile
    APP_ENV="prod"
    COMPILE_ASSETS=1
    M="a\nb"
    Q="it's <x>"
    |
    --- docker-args
    --env=APP_ENV='prod' --env=COMPILE_ASSETS='1' --env=M='a
    b' --env=Q='it'\''s <x>'
    |
    --- docker-args-keys
    --env=APP_ENV --env=COMPILE_ASSETS --env=M --env=Q
    |
    --- shell
    APP_ENV='prod' COMPILE_ASSETS='1' M='a
    b' Q='it'\''s <x>' |
    --- pretty
    APP_ENV:         prod
    COMPILE_ASSETS:  1
    M:               a
    b
    Q:               it's <x>
    |
    --- json
    {"APP_ENV":"prod","COMPILE_ASSETS":"1","M":"a\nb","Q":"it's \u003cx\u003e"}
    |
    --- json-list
    [{"name":"APP_ENV","value":"prod"},{"name":"COMPILE_ASSETS","value":"1"},{"name":"M","value":"a\nb"},{"name":"Q","value":"it's \u003cx\u003e"}]
    |
    --- pack-keys
    --env APP_ENV --env COMPILE_ASSETS --env M --env Q
    |
    "#);
    // The exports form evaluates back to the same values in a real shell.
    let script = "eval \"$(cat)\"; printf '%s|%s|%s' \"$Q\" \"$M\" \"$COMPILE_ASSETS\"";
    let exports = e.run(&["config:export", "app"]).ok().to_string();
    let mut sh = std::process::Command::new("sh")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sh");
    std::io::Write::write_all(&mut sh.stdin.take().expect("stdin"), exports.as_bytes())
        .expect("write");
    let out = sh.wait_with_output().expect("wait");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "it's <x>|a\nb|1");
    e.fails(
        &["config:export", "--format", "yaml", "app"],
        "Unknown export format: yaml",
    );
}

#[test]
fn encoded_values_are_decoded_byte_for_byte() {
    let e = Env::new();
    mkapp(&e, "app");
    // "myvalue\n" and "line1\nline2 with spaces"
    let r = e.run(&[
        "config:set",
        "--encoded",
        "app",
        "NL=bXl2YWx1ZQo=",
        "KEY=bGluZTEKbGluZTIgd2l0aCBzcGFjZXM=",
    ]);
    r.ok();
    e.expect(&["config:get", "app", "NL"], "myvalue\n\n");
    assert_eq!(
        read_env(&e, "app"),
        map(&[("NL", "myvalue\n"), ("KEY", "line1\nline2 with spaces")])
    );
    let before = e.state();
    e.fails(
        &["config:set", "--encoded", "app", "OK=YQ==", "BAD=YWJ"],
        "illegal base64 data at input byte 0 for key 'BAD'",
    );
    assert_eq!(before, e.state());
}

#[test]
fn unset_and_clear() {
    let e = Env::new();
    mkapp(&e, "app");
    e.transcript(
        r#"
$ config:set app A=1 B=2 C=3
...
$ config:unset app A NOPE
-----> Unsetting A
-----> Unsetting NOPE
"#,
    );
    assert_eq!(read_env(&e, "app"), map(&[("B", "2"), ("C", "3")]));
    e.expect(
        &["config:clear", "--no-restart", "app"],
        "-----> Unsetting B\n-----> Unsetting C\n",
    );
    assert_eq!(
        std::fs::read_to_string(env_file(&e, "app")).expect("read"),
        "\n"
    );
    e.transcript(
        r#"
$ config:clear app
$ config:unset app
 !     At least one key must be given
"#,
    );
}

#[test]
fn bundle_is_a_tar_with_one_file_per_key() {
    let e = Env::new();
    mkapp(&e, "app");
    e.run(&["config:set", "--global", "G=global value"]).ok();
    e.run(&["config:set", "app", "A=1", "MULTI=x\ny"]).ok();
    let out = e
        .cmd(&["config:bundle", "app", "--merged"])
        .output()
        .expect("bundle");
    assert!(out.status.success());
    assert_eq!(out.stdout.len() % 512, 0);
    let dest = e.dir.path().join("bundle");
    std::fs::create_dir_all(&dest).expect("mkdir");
    let mut tar = std::process::Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&dest)
        .stdin(Stdio::piped())
        .spawn()
        .expect("tar");
    std::io::Write::write_all(&mut tar.stdin.take().expect("stdin"), &out.stdout).expect("write");
    assert!(tar.wait().expect("tar").success());
    let files: BTreeMap<String, String> = std::fs::read_dir(&dest)
        .expect("ls")
        .flatten()
        .map(|f| {
            (
                f.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(f.path()).expect("read"),
            )
        })
        .collect();
    assert_eq!(
        files,
        map(&[("A", "1"), ("G", "global value"), ("MULTI", "x\ny")])
    );
}

#[test]
fn import_reads_stdin() {
    let e = Env::new();
    mkapp(&e, "app");
    e.run(&["config:set", "app", "OLD=1"]).ok();
    let r = e.run_stdin(
        &["config:import", "app"],
        b"export A='it'\\''s'\nB=\"x\\ny\"\n",
    );
    assert_eq!(
        r.ok(),
        "-----> Setting config vars\n       A:  it's\n       B:  x\ny\n"
    );
    let r = e.run_stdin(
        &["config:import", "--format", "json", "--replace", "app"],
        br#"{"C":"c"}"#,
    );
    assert_eq!(r.ok(), "-----> Unsetting A\n-----> Unsetting B\n-----> Unsetting OLD\n-----> Setting config vars\n       C:  c\n");
    assert_eq!(read_env(&e, "app"), map(&[("C", "c")]));
    let before = e.state();
    fails(
        &e.run_stdin(&["config:import", "app"], b""),
        " !     No config vars to set\n",
    );
    // Refused before stdin is read, so nothing is piped in.
    e.fails(
        &["config:import", "--format", "xml", "app"],
        "Unknown format: xml",
    );
    assert_eq!(before, e.state());
}

#[test]
fn bad_input_changes_nothing() {
    let e = Env::new();
    mkapp(&e, "app");
    e.run(&["config:set", "app", "KEEP=1"]).ok();
    let before = e.state();
    let cases: &[(&[&str], &str)] = &[
        (&["config:set", "app", "A=1", "NOEQUALS"], "Invalid env pair: NOEQUALS"),
        (&["config:set", "app", "GOOD=1", "BAD-KEY=1"], "Invalid key name: 'BAD-KEY'"),
        (&["config:set", "app", "1ABC=1"], "Invalid key name: '1ABC'"),
        (&["config:set", "app"], "At least one env pair must be given"),
        (&["config:set", "--global"], "At least one env pair must be given"),
        (&["config:set", "missing", "A=1"], "App missing does not exist"),
        (
            &["config:set", "Bad_App", "A=1"],
            "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens",
        ),
        (&["config:set"], "Please specify an app to run the command on"),
        (&["config:unset", "missing", "A"], "App missing does not exist"),
        (&["config:clear", "missing"], "App missing does not exist"),
        (&["config:show", "missing"], "App missing does not exist"),
        (&["config:get", "missing", "A"], "App missing does not exist"),
        (&["config:keys", "missing"], "App missing does not exist"),
        (&["config:export", "missing"], "App missing does not exist"),
        (&["config:bundle", "missing"], "App missing does not exist"),
        (&["config:set", "app", "--bogus", "A=1"], "unknown flag: --bogus"),
    ];
    for (args, msg) in cases {
        let r = e.run(args);
        assert_eq!(r.code, 1, "{args:?}");
        assert_eq!(r.stderr, format!(" !     {msg}\n"), "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert_eq!(before, e.state(), "{args:?}");
    }
}

#[test]
fn help_lists_the_commands() {
    let e = Env::new();
    let help = e.run(&["config:help"]);
    insta::assert_snapshot!(help.ok(), @r"
    Usage: dokku config[:COMMAND]

    Manage global and app-specific config vars

    Additional commands:
        config (<app>|--global)                                                               Pretty-print an app or global environment
        config:bundle [--merged] (<app>|--global)                                             Bundle environment into tarfile
        config:clear [--no-restart] (<app>|--global)                                          Clears environment variables
        config:export [--format=FORMAT] [--merged] (<app>|--global)                           Export a global or app environment
        config:get [--quoted] (<app>|--global) KEY                                            Display a global or app-specific config value
        config:import [--no-restart] [--replace] (<app>|--global) [FILE|-]                    Import environment from file
        config:keys [--merged] (<app>|--global)                                               Show keys set in environment
        config:show [--merged] (<app>|--global)                                               Show keys set in environment
        config:set [--encoded] [--no-restart] (<app>|--global) KEY1=VALUE1 [KEY2=VALUE2 ...]  Set one or more config vars
        config:unset [--no-restart] (<app>|--global) KEY1 [KEY2 ...]                          Unset one or more config vars
    ");
    e.expect(&["config", "--help"], help.stdout);
    assert!(
        e.run(&["help"]).ok().contains("    config "),
        "dokku help lists the config plugin"
    );
}

#[test]
fn twenty_concurrent_sets_lose_no_key() {
    let e = Env::new();
    mkapp(&e, "app");
    let children: Vec<_> = (0..20)
        .map(|i| {
            e.cmd(&[
                "config:set",
                "--no-restart",
                "app",
                &format!("KEY_{i}=value {i}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let got = read_env(&e, "app");
    let want: BTreeMap<String, String> = (0..20)
        .map(|i| (format!("KEY_{i}"), format!("value {i}")))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn killed_writer_leaves_old_or_new_content() {
    let e = Env::new();
    mkapp(&e, "app");
    // Ten values of 100 KiB each: a write of about 1 MiB.
    let contents = |c: char| -> Vec<String> {
        (0..10)
            .map(|i| format!("BIG_{i}={}", c.to_string().repeat(100 * 1024)))
            .collect()
    };
    let expected = |c: char| -> BTreeMap<String, String> {
        (0..10)
            .map(|i| (format!("BIG_{i}"), c.to_string().repeat(100 * 1024)))
            .collect()
    };
    let a = contents('a');
    let mut args = vec!["config:set", "--no-restart", "app"];
    args.extend(a.iter().map(String::as_str));
    let started = std::time::Instant::now();
    assert!(e
        .cmd(&args)
        .stdout(Stdio::null())
        .status()
        .expect("initial")
        .success());
    // Kill points spread over the whole run time of one write.
    let full = started.elapsed();
    let rounds = 30u32;
    let (mut kept_old, mut got_new) = (0, 0);
    let mut current = 'a';
    for round in 0..rounds {
        let next = if current == 'a' { 'b' } else { 'a' };
        let vals = contents(next);
        let mut args = vec!["config:set", "--no-restart", "app"];
        args.extend(vals.iter().map(String::as_str));
        let mut child = e
            .cmd(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(full * round / rounds);
        let _ = child.kill();
        let _ = child.wait();
        let got = read_env(&e, "app");
        if got == expected(next) {
            current = next;
            got_new += 1;
        } else {
            assert_eq!(got, expected(current), "round {round}: torn file");
            kept_old += 1;
        }
    }
    assert!(
        kept_old > 0,
        "no write was interrupted ({got_new} completed)"
    );
}

#[test]
fn legacy_env_file_is_drained_on_first_use() {
    let e = Env::new();
    mkapp(&e, "app");
    let old = e.root().join("app/ENV");
    std::fs::write(
        &old,
        "export A='it'\\''s'\nexport MULTI='x\ny'\n# comment\nexport PORT='5000'\n",
    )
    .expect("write");
    std::fs::write(e.root().join("ENV"), "export G='global'\n").expect("write");
    e.expect(&["config:get", "app", "A"], "it's\n");
    assert!(!old.exists());
    assert_eq!(
        std::fs::read_to_string(env_file(&e, "app")).expect("read"),
        "A=\"it's\"\nMULTI=\"x\\ny\"\nPORT=5000\n"
    );
    assert_eq!(e.lib_file("config/config/app/env-migrated"), "true");
    e.expect(&["config:keys", "--global"], "G\n");
    assert!(!e.root().join("ENV").exists());
}

#[test]
fn leftover_file_after_migration_is_removed_or_preserved() {
    let e = Env::new();
    mkapp(&e, "app");
    e.run(&["config:set", "app", "A=current", "B=same"]).ok();
    std::fs::create_dir_all(e.lib().join("config/config/app")).expect("marker dir");
    std::fs::write(e.lib().join("config/config/app/env-migrated"), "true").expect("record");
    let old = e.root().join("app/ENV");
    std::fs::write(&old, "B=\"same\"\n").expect("write");
    let r = e.run(&["config:keys", "app"]);
    assert_eq!((r.ok(), r.stderr.as_str()), ("A\nB\n", ""));
    assert!(!old.exists() && !e.root().join("app/ENV.migrated").exists());

    std::fs::write(
        &old,
        "export A='stale'\nexport GONE='secret'\nexport B='same'\n",
    )
    .expect("write");
    let r = e.run(&["config:get", "app", "A"]);
    assert_eq!(r.ok(), "current\n");
    insta::assert_snapshot!(e.filter(&r.stderr), @r"
     !     Not importing already-migrated ENV file $DOKKU_ROOT/app/ENV: the current config takes precedence for A GONE
     !     Preserved at $DOKKU_ROOT/app/ENV.migrated: re-apply anything still needed with dokku config:set, then delete it - dokku does not read it and it may hold values that were unset on purpose
    ");
    assert!(!old.exists());
    assert_eq!(
        std::fs::read_to_string(e.root().join("app/ENV.migrated")).expect("read"),
        "export A='stale'\nexport GONE='secret'\nexport B='same'\n"
    );
    assert_eq!(read_env(&e, "app"), map(&[("A", "current"), ("B", "same")]));
}

#[test]
fn external_plugins_are_notified_and_deployed_apps_restarted() {
    let e = Env::new();
    mkapp(&e, "app");
    let hooks = hook_plugin(&e, &[("post-config-update", 0), ("app-restart", 0)]);
    e.transcript(
        r#"
$ config:set app B=2 'A=x y'
...
$ config:unset app A
...
$ config:set --global G=1
...
"#,
    );
    assert_eq!(
        calls(&hooks),
        "post-config-update app set A=x y B=2\npost-config-update app unset A\npost-config-update --global set G=1\n"
    );

    std::fs::write(e.root().join("app/CONTAINER.web.1"), "abc123").expect("deploy");
    std::fs::remove_file(hooks.join("calls")).expect("reset");
    let r = e.run(&["config:set", "app", "C=3"]);
    assert_eq!(
        r.ok(),
        "-----> Setting config vars\n       C:  3\n-----> Restarting app app\n"
    );
    e.transcript(
        r#"
$ config:set --no-restart app D=4
...
$ config:unset app D
...
"#,
    );
    assert_eq!(
        calls(&hooks),
        "post-config-update app set C=3\napp-restart app\npost-config-update app set D=4\npost-config-update app unset D\napp-restart app\n"
    );
}

#[test]
fn failing_hooks_are_warnings() {
    let e = Env::new();
    mkapp(&e, "app");
    hook_plugin(&e, &[("post-config-update", 2), ("app-restart", 3)]);
    std::fs::write(e.root().join("app/CONTAINER.web.1"), "abc123").expect("deploy");
    let r = e.run(&["config:set", "app", "A=1"]);
    assert_eq!(
        r.ok(),
        "-----> Setting config vars\n       A:  1\n-----> Restarting app app\n"
    );
    assert_eq!(
        r.stderr,
        " !     Failure while triggering post-config-update: exit status 2\n !     Failure while restarting app: exit status 3\n"
    );
    assert_eq!(read_env(&e, "app"), map(&[("A", "1")]));
}

#[test]
fn triggers_give_env_to_bash_plugins() {
    let e = Env::new();
    mkapp(&e, "app");
    e.transcript(
        r#"
$ config:set app A=it's B=2
...
$ config:set --global G=g
...
"#,
    );
    // `plugn` is this binary under another name.
    let plugn = e.dir.path().join("plugn");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dokku"), &plugn).expect("symlink");
    let template = e.cmd(&[]);
    let run = |args: &[&str]| -> String {
        let mut c = std::process::Command::new(&plugn);
        c.env_clear().args(args).stdin(Stdio::null());
        for (k, v) in template.get_envs() {
            if let Some(v) = v {
                c.env(k, v);
            }
        }
        let out = c.output().expect("plugn");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(run(&["trigger", "config-get", "app", "A"]), "it's\n");
    assert_eq!(run(&["trigger", "config-get", "app", "NOPE"]), "");
    assert_eq!(run(&["trigger", "config-get-global", "G"]), "g\n");
    assert_eq!(
        run(&[
            "trigger",
            "config-export",
            "app",
            "false",
            "true",
            "exports"
        ]),
        "export A='it'\\''s'\nexport B='2'\nexport G='g'\n"
    );
    assert_eq!(
        run(&["trigger", "config-export", "app", "true", "false", "json"]),
        "{\"G\":\"g\"}\n"
    );
}
