//! Dispatch, help, version and unknown commands.

use crate::harness::Env;

#[test]
fn version_forms() {
    let e = Env::new();
    for f in ["version", "-v", "--version"] {
        let r = e.run(&[f]);
        assert_eq!(r.ok(), format!("dokku version {}\n", env!("CARGO_PKG_VERSION")));
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
