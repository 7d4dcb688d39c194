//! `ssh-keys:*` against a temporary DOKKU_ROOT: the authorized_keys lines,
//! Dokku's list formats and its refusals.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::Env;
use crate::harness::Holds;

const OPTIONS: &str = "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding";

/// A new ed25519 key pair in the test directory; returns the public key
/// file and its text.
fn keypair(e: &Env, name: &str) -> (PathBuf, String) {
    let path = e.dir.path().join(format!("key-{name}"));
    let st = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            &format!("{name}@laptop"),
            "-f",
        ])
        .arg(&path)
        .status()
        .expect("ssh-keygen");
    assert!(st.success());
    let public = path.with_file_name(format!("key-{name}.pub"));
    let text = fs::read_to_string(&public).expect("pub").trim().to_string();
    (public, text)
}

fn keys_file(e: &Env) -> PathBuf {
    e.root().join(".ssh/authorized_keys")
}

fn line(e: &Env, fp: &str, name: &str, key: &str) -> String {
    format!(
        "command=\"FINGERPRINT={fp} NAME=\\\"{name}\\\" `cat {}/.sshcommand` $SSH_ORIGINAL_COMMAND\",{OPTIONS} {key}",
        e.root().display()
    )
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn add_from_file_and_stdin_then_list_and_remove() {
    let e = Env::new();
    let (file_a, key_a) = keypair(&e, "a");
    let (_, key_b) = keypair(&e, "b");

    let fp_a = e
        .run(&["ssh-keys:add", "admin", p(&file_a)])
        .ok()
        .trim()
        .to_string();
    assert!(fp_a.starts_with("SHA256:") && !fp_a.contains(' '), "{fp_a}");
    let fp_b = e
        .run_stdin(
            &["ssh-keys:add", "jane.doe@laptop"],
            format!("{key_b}\n").as_bytes(),
        )
        .ok()
        .trim()
        .to_string();

    assert_eq!(
        fs::read_to_string(keys_file(&e)).expect("file"),
        format!(
            "{}\n{}\n",
            line(&e, &fp_a, "admin", &key_a),
            line(&e, &fp_b, "jane.doe@laptop", &key_b)
        )
    );
    assert_eq!(
        fs::read_to_string(e.root().join(".sshcommand")).expect(".sshcommand"),
        format!("{}\n", env!("CARGO_BIN_EXE_dokku"))
    );

    let text = format!(
        "{fp_a} NAME=\"admin\" SSHCOMMAND_ALLOWED_KEYS=\"{OPTIONS}\"\n{fp_b} NAME=\"jane.doe@laptop\" SSHCOMMAND_ALLOWED_KEYS=\"{OPTIONS}\"\n"
    );
    e.expect(&["ssh-keys:list"], &text);
    e.expect(&["ssh-keys:list", "--format", "text"], text);
    e.expect(
        &["ssh-keys:list", "admin"],
        format!("{fp_a} NAME=\"admin\" SSHCOMMAND_ALLOWED_KEYS=\"{OPTIONS}\"\n"),
    );
    let json = e.json(&["ssh-keys:list", "--format", "json"]);
    assert_eq!(
        json,
        serde_json::json!([
            {"fingerprint": fp_a, "name": "admin", "SSHCOMMAND_ALLOWED_KEYS": OPTIONS},
            {"fingerprint": fp_b, "name": "jane.doe@laptop", "SSHCOMMAND_ALLOWED_KEYS": OPTIONS},
        ])
    );
    e.transcript(
        r#"
$ ssh-keys:list --format json nobody
[]
$ ssh-keys:remove admin
...
$ ssh-keys:remove admin
...
"#,
    );
    assert_eq!(
        fs::read_to_string(keys_file(&e)).expect("file"),
        format!("{}\n", line(&e, &fp_b, "jane.doe@laptop", &key_b))
    );
    e.run(&["ssh-keys:remove", "--fingerprint", &fp_b]).ok();
    assert_eq!(fs::read_to_string(keys_file(&e)).expect("file"), "");
    let r = e.run(&["ssh-keys:list"]);
    r.fails_with("No public keys found.");
}

#[test]
fn refusals_use_dokku_words_and_change_nothing() {
    let e = Env::new();
    let (file_a, key_a) = keypair(&e, "a");
    let (_, key_b) = keypair(&e, "b");
    e.run(&["ssh-keys:add", "admin", p(&file_a)]).ok();
    let before = e.state();

    let cases: Vec<(Vec<&str>, String, &str)> = vec![
        (vec!["ssh-keys:add", "x"], String::new(), " !     Empty key was specified\n"),
        (vec!["ssh-keys:add", "x"], " \n\n".into(), " !     Empty key was specified\n"),
        (
            vec!["ssh-keys:add", "x"],
            format!("{key_b}\n{key_a}\n"),
            " !     Too many keys provided, set one per invocation of dokku ssh-keys:add <NAME> <KEY_FILE>\n",
        ),
        (vec!["ssh-keys:add", "x"], "ssh-ed25519 AAAAnope x\n".into(), " !     Key specified in is not a valid ssh public key\n"),
        (vec!["ssh-keys:add", "x"], "hello\n".into(), " !     Key specified in is not a valid ssh public key\n"),
        (
            vec!["ssh-keys:add", "admin"],
            format!("{key_b}\n"),
            "Duplicate ssh key name\n !     sshcommand returned an error: 1\n",
        ),
        (
            vec!["ssh-keys:add", "other"],
            format!("{key_a}\n"),
            "Duplicate ssh public key specified\n !     sshcommand returned an error: 1\n",
        ),
        (
            vec!["ssh-keys:add", "x\" `id` \""],
            format!("{key_b}\n"),
            " !     Invalid key name \"x\\\" `id` \\\"\": use letters, digits and . _ - @ + : only\n",
        ),
        (vec!["ssh-keys:add"], format!("{key_b}\n"), " !     Please specify a name for the key\n"),
        (vec!["ssh-keys:remove"], String::new(), " !     Please specify a key name or --fingerprint <fingerprint>\n"),
        (
            vec!["ssh-keys:list", "--format", "yaml"],
            String::new(),
            " !     Invalid output format specified, supported formats: json, text\n",
        ),
    ];
    for (args, stdin, stderr) in cases {
        let r = e.run_stdin(&args, stdin.as_bytes());
        assert_eq!(
            (r.code, r.stderr.as_str(), r.stdout.as_str()),
            (1, stderr, ""),
            "{args:?}"
        );
    }
    assert_eq!(before, e.state());

    let r = e.run(&["ssh-keys:add", "y", "/nonexistent/key.pub"]);
    r.exits(
        1,
        Holds::ErrStart(" !     Unable to read /nonexistent/key.pub: "),
    );
}

#[test]
fn hand_added_lines_are_kept_and_bad_lines_reported() {
    let e = Env::new();
    let (_, key_a) = keypair(&e, "a");
    let (_, key_b) = keypair(&e, "b");
    fs::create_dir_all(e.root().join(".ssh")).expect("mkdir");
    fs::write(keys_file(&e), format!("# by hand\n{key_a}\n")).expect("write");
    let fp = e
        .run_stdin(&["ssh-keys:add", "b"], key_b.as_bytes())
        .ok()
        .trim()
        .to_string();
    e.run(&["ssh-keys:remove", "b"]).ok();
    assert_eq!(
        fs::read_to_string(keys_file(&e)).expect("file"),
        format!("# by hand\n{key_a}\n")
    );
    // A key already present by hand is a duplicate.
    let r = e.run_stdin(&["ssh-keys:add", "a"], key_a.as_bytes());
    assert_eq!(
        r.stderr,
        "Duplicate ssh public key specified\n !     sshcommand returned an error: 1\n"
    );

    let (_, key_c) = keypair(&e, "c");
    e.run_stdin(&["ssh-keys:add", "c"], key_c.as_bytes()).ok();
    let mut text = fs::read_to_string(keys_file(&e)).expect("file");
    text.push_str("not a key\n");
    fs::write(keys_file(&e), text).expect("write");
    let r = e.run(&["ssh-keys:list"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!(
            " !     {}/.ssh/authorized_keys line 4 failed ssh-keygen check.\n",
            e.root().display()
        )
    );
    assert_ne!(fp, "");
}

#[test]
fn help_and_no_keys() {
    let e = Env::new();
    let h = e.run(&["ssh-keys:help"]).ok().to_string();
    assert!(h.starts_with("Usage: dokku ssh-keys[:COMMAND]\n"), "{h}");
    for c in [
        "ssh-keys:add <name> [/path/to/key]",
        "ssh-keys:list [--format text|json] [<name>]",
        "ssh-keys:remove [--fingerprint fingerprint|<name>]",
    ] {
        assert!(h.contains(c), "{h}");
    }
    e.expect(&["ssh-keys"], h);
    let r = e.run(&["ssh-keys:list"]);
    r.fails_with("No public keys found.");
    let r = e.run(&["ssh-keys:list", "--format", "json"]);
    r.fails_with("No public keys found.");
}

#[test]
fn add_reverifies_the_whole_file() {
    let e = Env::new();
    let (_, key_a) = keypair(&e, "a");
    let (_, key_b) = keypair(&e, "b");
    fs::create_dir_all(e.root().join(".ssh")).expect("mkdir");
    fs::write(keys_file(&e), format!("{key_a}\nnot a key\n")).expect("write");
    let r = e.run_stdin(&["ssh-keys:add", "b"], key_b.as_bytes());
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.starts_with("SHA256:"), "{r:?}");
    assert_eq!(
        r.stderr,
        format!(
            " !     {}/.ssh/authorized_keys line 2 failed ssh-keygen check.\n",
            e.root().display()
        )
    );
}

#[test]
fn list_of_a_name_without_keys_prints_nothing() {
    let e = Env::new();
    let (_, key_a) = keypair(&e, "a");
    e.run_stdin(&["ssh-keys:add", "admin"], key_a.as_bytes())
        .ok();
    let r = e.run(&["ssh-keys:list", "nobody"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    assert!(e
        .run(&["ssh-keys:list", "admin"])
        .ok()
        .contains("NAME=\"admin\""));
}
