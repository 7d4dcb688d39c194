//! The on-disk layout after `plugin:install --core` (what `make install`
//! and the .deb's postinst run) over roots holding root-owned leftovers of
//! older versions: env files where earlier builds and pre-0.38 Dokku kept
//! them, a root-owned `config/--global`, a deploy lock in the app
//! directory, nginx properties under the plugin's name, deprecated config
//! variables. Afterwards every path, owner and mode is Dokku's (the global
//! `VHOST` taken from a host name DNS knows), and the
//! config commands, run as the system user, use the new files.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::harness::path_with;
use crate::harness::{sh, Account, Env, Run};
use std::ffi::OsStr;

/// A system user for one test, in the `docker` group. Its home is not
/// DOKKU_ROOT, so the install step treats the roots as a scratch
/// installation and leaves /etc alone.
pub(crate) fn account(tag: &str) -> Account {
    let options = [
        "--system",
        "--user-group",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/bin/bash",
        // As the package does: the system user may use the engine.
        "--groups",
        "docker",
    ];
    let options: Vec<&OsStr> = options.iter().map(OsStr::new).collect();
    Account::create(format!("dklay{}{tag}", std::process::id()), &options)
}

/// Owner uid and permission bits.
fn meta(path: &Path) -> (u32, u32) {
    let m = fs::metadata(path).unwrap_or_else(|e| panic!("stat {}: {e}", path.display()));
    (m.uid(), m.permissions().mode() & 0o7777)
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Write `body` as root with `mode`, creating parents (root-owned too).
fn leftover(path: &Path, body: &str, mode: u32) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, body).expect("write");
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

pub(crate) fn as_user(e: &Env, user: &Account, args: &[&str]) -> Run {
    e.cmd(args)
        .env("DOKKU_SYSTEM_USER", &user.name)
        .env("DOKKU_SYSTEM_GROUP", &user.name)
        .output()
        .expect("run")
        .into()
}

#[test]
fn install_moves_old_state_to_dokku_paths_owners_and_modes() {
    assert!(
        nix::unistd::Uid::effective().is_root(),
        "the layout test runs as root (it creates a system user)"
    );
    let user = account("a");
    let e = Env::new();
    let (home, lib) = (e.root(), e.lib());
    fs::set_permissions(e.dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    // DOKKU_ROOT belongs to the system user (the package creates it so);
    // everything below is what older versions and root shells left.
    fs::create_dir_all(home.join("web")).expect("app");
    fs::create_dir_all(home.join("other")).expect("app");
    sh(Command::new("chown")
        .arg(format!("{0}:{0}", user.name))
        .arg(&home)
        .arg(home.join("web"))
        .arg(home.join("other")))
    .ok();
    // Earlier builds: env in the config plugin's property tree.
    leftover(
        &lib.join("config/config/web/ENV"),
        "A=\"1\"\nDOKKU_CHECKS_SKIPPED=\"worker\"\nDOKKU_PROXY_PORT_MAP=\"http:80:5000 https:443:5000\"\nDOKKU_START_CMD=\"bin/run web\"\n",
        0o644,
    );
    leftover(
        &lib.join("config/config/--global/ENV"),
        "DOKKU_DEFAULT_CHECKS_WAIT=\"7\"\nG=\"g\"\n",
        0o644,
    );
    // A root-owned, private global config directory.
    fs::create_dir_all(lib.join("config/--global")).expect("mkdir");
    fs::set_permissions(
        lib.join("config/--global"),
        fs::Permissions::from_mode(0o700),
    )
    .expect("chmod");
    // Pre-0.38 Dokku: env in the app directory.
    leftover(
        &home.join("other/ENV"),
        "export B='2'\nexport DOKKU_SKIP_ALL_CHECKS='true'\n",
        0o600,
    );
    // The deploy lock in the app directory, nginx properties under the
    // plugin's name.
    leftover(&home.join("web/.deploy.lock"), "", 0o644);
    leftover(&lib.join("config/nginx-vhosts/web/hsts"), "false", 0o600);
    // The restart policy kept as a docker option by older versions.
    leftover(
        &lib.join("config/docker-options/web/_default_.deploy"),
        "--restart=always\n--ulimit nofile=12\n",
        0o644,
    );

    // The host's name as `hostname -f` gives it, and a DNS that knows it.
    let stubs = tempfile::tempdir().expect("tempdir");
    for (name, body) in [
        ("hostname", "#!/bin/sh\necho box.example.test\n"),
        (
            "dig",
            "#!/bin/sh\n[ \"$2\" = box.example.test ] && echo 192.0.2.7\nexit 0\n",
        ),
    ] {
        leftover(&stubs.path().join(name), body, 0o755);
    }
    let path = path_with(&[stubs.path()]);
    let r: Run = e
        .cmd(&["plugin:install", "--core"])
        .env("DOKKU_SYSTEM_USER", &user.name)
        .env("DOKKU_SYSTEM_GROUP", &user.name)
        .env("PATH", &path)
        .output()
        .expect("run")
        .into();
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    for line in [
        "-----> Migrating DOKKU_SKIP_ALL_CHECKS to checks disabled property for other. Use 'dokku checks:set other disabled _all_' to manage this going forward.",
        "-----> Migrating deprecated DOKKU_CHECKS_SKIPPED to checks skipped property for web. Use 'dokku checks:set web skipped worker' to manage this going forward.",
        "-----> Migrating deprecated global DOKKU_DEFAULT_CHECKS_WAIT to checks default-wait property. Use 'dokku checks:set --global default-wait 7' to manage this going forward.",
        "-----> Migrating deprecated DOKKU_START_CMD to ps start-cmd property for web. Use 'dokku ps:set web start-cmd bin/run web' to manage this going forward.",
        "-----> Migrating deprecated DOKKU_PROXY_PORT_MAP to ports map property for web. Use 'dokku ports:set web map http:80:5000 https:443:5000' to manage this going forward.",
    ] {
        assert!(
            r.stdout.lines().any(|l| l == line),
            "missing {line:?} in\n{}",
            r.stdout
        );
    }
    let uid = user.uid;

    // Env files: Dokku's paths, the system user's, 0600 in 0755 dirs.
    assert_eq!(meta(&lib.join("config")), (uid, 0o755));
    assert_eq!(meta(&lib.join("config/--global")), (uid, 0o755));
    assert_eq!(meta(&lib.join("config/--global/ENV")), (uid, 0o600));
    assert_eq!(read(&lib.join("config/--global/ENV")), "G=\"g\"\n");
    assert_eq!(meta(&lib.join("config/web")), (uid, 0o755));
    assert_eq!(meta(&lib.join("config/web/ENV")), (uid, 0o600));
    assert_eq!(read(&lib.join("config/web/ENV")), "A=1\n");
    assert_eq!(meta(&lib.join("config/other/ENV")), (uid, 0o600));
    assert_eq!(read(&lib.join("config/other/ENV")), "B=2\n");
    assert_eq!(read(&lib.join("config/config/other/env-migrated")), "true");
    assert_eq!(meta(&lib.join("config/config")), (uid, 0o755));
    for gone in [
        lib.join("config/config/web/ENV"),
        lib.join("config/config/--global/ENV"),
        home.join("other/ENV"),
        home.join("web/.deploy.lock"),
        lib.join("config/nginx-vhosts"),
    ] {
        assert!(!gone.exists(), "{} is still there", gone.display());
    }

    // Deprecated variables became properties.
    assert_eq!(read(&lib.join("config/checks/web/skipped")), "worker");
    assert_eq!(read(&lib.join("config/checks/other/disabled")), "_all_");
    assert_eq!(read(&lib.join("config/checks/--global/default-wait")), "7");
    assert_eq!(read(&lib.join("config/ps/web/start-cmd")), "bin/run web");
    assert_eq!(read(&lib.join("config/ps/web/restart-policy")), "always");
    assert_eq!(
        read(&lib.join("config/docker-options/web/_default_.deploy")).trim_end(),
        "--ulimit nofile=12"
    );
    assert_eq!(
        read(&lib.join("config/ports/web/map")),
        "http:80:5000\nhttps:443:5000\n"
    );
    assert_eq!(meta(&lib.join("config/checks")), (uid, 0o755));

    // Deploy lock, nginx properties, rc directory, data directories,
    // templates.
    assert!(lib.join("data/apps/web/.deploy.lock").is_file());
    assert_eq!(meta(&lib.join("data/apps/web")), (uid, 0o755));
    assert_eq!(meta(&lib.join("data/ps/other")), (uid, 0o755));
    assert_eq!(read(&lib.join("config/nginx/web/hsts")), "false");
    assert_eq!(meta(&home.join(".dokkurc")).0, uid);
    let templates = lib.join("core-plugins/available/nginx-vhosts/templates");
    for t in [
        "default-site.conf",
        "default-site-legacy.conf",
        "dokku.conf.sigil",
    ] {
        assert!(templates.join(t).is_file(), "{t} not installed");
    }
    assert!(read(&templates.join("default-site.conf")).contains("ssl_reject_handshake on;"));

    // The global domain from the resolving host name, the system user's.
    assert_eq!(read(&home.join("VHOST")), "box.example.test\n");
    assert_eq!(meta(&home.join("VHOST")), (uid, 0o644));

    // A second run changes nothing and reports nothing.
    let before = e.state();
    let r = as_user(&e, &user, &["plugin:install", "--core"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("Migrating"), "{}", r.stdout);
    assert_eq!(e.state(), before);

    // The commands, run as the system user, use the new files.
    as_user(&e, &user, &["apps:unlock", "web"]).ok();
    assert!(!lib.join("data/apps/web/.deploy.lock").exists());
    as_user(&e, &user, &["config:set", "--no-restart", "web", "X=1 2"]).ok();
    as_user(&e, &user, &["config:set", "--global", "GX=3"]).ok();
    assert_eq!(read(&lib.join("config/web/ENV")), "A=1\nX=\"1 2\"\n");
    assert_eq!(read(&lib.join("config/--global/ENV")), "G=\"g\"\nGX=3\n");
    assert_eq!(meta(&lib.join("config/web/ENV")), (uid, 0o600));
    assert_eq!(
        as_user(&e, &user, &["config:get", "web", "X"]).ok(),
        "1 2\n"
    );
    assert_eq!(
        as_user(&e, &user, &["config:get", "--global", "GX"]).ok(),
        "3\n"
    );
    assert_eq!(
        as_user(
            &e,
            &user,
            &["config:export", "--format", "envfile", "--merged", "web"]
        )
        .ok(),
        "A=1\nG=\"g\"\nGX=3\nX=\"1 2\"\n"
    );
    // The deploy reads the merged env through the config-export trigger.
    assert_eq!(
        as_user(
            &e,
            &user,
            &[
                "plugin:trigger",
                "config-export",
                "web",
                "false",
                "true",
                "envfile"
            ]
        )
        .ok(),
        "A=1\nG=\"g\"\nGX=3\nX=\"1 2\"\n"
    );

    // apps:clone and apps:rename carry the env, apps:destroy removes it.
    as_user(&e, &user, &["apps:clone", "--skip-deploy", "web", "copy"]).ok();
    assert_eq!(read(&lib.join("config/copy/ENV")), "A=1\nX=\"1 2\"\n");
    as_user(
        &e,
        &user,
        &["apps:rename", "--skip-deploy", "copy", "moved"],
    )
    .ok();
    assert!(!lib.join("config/copy").exists());
    assert_eq!(read(&lib.join("config/moved/ENV")), "A=1\nX=\"1 2\"\n");
    as_user(&e, &user, &["--force", "apps:destroy", "moved"]).ok();
    assert!(!lib.join("config/moved").exists());
    assert!(!lib.join("data/apps/moved").exists());
    assert!(lib.join("config/web/ENV").is_file());
}
