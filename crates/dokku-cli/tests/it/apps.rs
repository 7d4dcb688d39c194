//! Tests of the apps plugin through the binary.

use dokku_docker::ContainerEngine;

use crate::harness::write_plugin_toml;
use crate::harness::write_script;
use crate::harness::Env;
use crate::harness::Holds;

#[test]
fn create_list_exists_destroy() {
    let e = Env::new();
    e.warns_no_apps(&["apps:list"]);
    e.transcript(
        r#"
$ apps:list --format json
[]
$ apps:create node-js-app
Creating node-js-app... done
"#,
    );
    e.create_app("python-app");
    assert!(e.root().join("node-js-app").is_dir());
    let created = e.lib_file("config/apps/node-js-app/created-at");
    assert!(created.parse::<u64>().is_ok(), "{created}");

    insta::assert_snapshot!(e.run(&["apps:list"]).ok(), @r"
    =====> My Apps
    node-js-app
    python-app
    ");
    e.transcript(
        r#"
$ --quiet apps:list
node-js-app
python-app
$ apps:list --format json
["node-js-app","python-app"]
"#,
    );

    assert_eq!(e.run(&["apps:exists", "node-js-app"]).code, 0);
    let r = e.run(&["apps:exists", "nope"]);
    r.fails_with("App does not exist");

    let r = e.run(&["--force", "apps:destroy", "node-js-app"]);
    assert_eq!(r.ok(), "Destroying node-js-app (including all add-ons)\n");
    assert!(!e.root().join("node-js-app").exists());
    assert!(!e.lib().join("config/apps/node-js-app").exists());
    assert_eq!(e.run(&["apps:destroy", "--force", "python-app"]).code, 0);
    assert_eq!(e.run(&["--quiet", "apps:list"]).stdout, "");
}

#[test]
fn destroy_asks_for_the_name() {
    let e = Env::new();
    e.create_app("web");
    let before = e.state();
    let r = e.run_stdin(&["apps:destroy", "web"], b"wrong\n");
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        " !     WARNING: Potentially Destructive Action\n !     This command will destroy web (including all add-ons).\n !     To proceed, type \"web\"\n !     Confirmation did not match web. Aborted.\n"
    );
    assert_eq!(before, e.state());
    let r = e.run_stdin(&["apps:destroy", "web"], b"web\n");
    assert_eq!(r.ok(), "\nDestroying web (including all add-ons)\n");
    assert!(!e.root().join("web").exists());
}

#[test]
fn bad_names_and_duplicates_change_nothing() {
    let e = Env::new();
    e.create_app("web");
    let before = e.state();
    for bad in ["Web", "web_1", "wEb", ".web", "a/b", "../x", "a b"] {
        let r = e.run(&["apps:create", bad]);
        assert_eq!(r.code, 1, "{bad}");
        assert_eq!(
            r.stderr,
            " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n"
        );
    }
    let r = e.run(&["apps:create", "web"]);
    r.fails_with("Name is already taken");
    let r = e.run(&["apps:create"]);
    r.fails_with("Please specify an app to run the command on");
    let r = e.run(&["apps:report", "missing"]);
    r.fails_with("App missing does not exist");
    let r = e.run(&["apps:list", "--bogus"]);
    r.fails_with("unknown flag: --bogus");
    assert_eq!(before, e.state());
}

#[test]
fn locks() {
    let e = Env::new();
    e.create_app("web");
    let r = e.run(&["apps:locked", "web"]);
    r.fails_with("Deploy lock does not exist");
    e.expect(&["apps:lock", "web"], "-----> Deploy lock created\n");
    assert!(e.lib().join("data/apps/web/.deploy.lock").is_file());
    e.transcript(
        r#"
$ apps:locked web
Deploy lock exists
$ apps:report web --app-locked
true
"#,
    );

    let r = e.run(&["--force", "apps:destroy", "web"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        " !     web currently has a deploy lock in place. Exiting...\n !     Run 'apps:unlock' to release the existing deploy lock\n"
    );
    assert!(e.root().join("web").is_dir());

    let r = e.run(&["apps:unlock", "web"]);
    assert_eq!(r.ok(), "-----> Deploy lock removed.\n");
    assert_eq!(r.stderr, " !     A deploy may be in progress.\n !     Removing the app lock will not stop in progress deploys.\n");
    assert!(!e.lib().join("data/apps/web/.deploy.lock").exists());
}

#[test]
fn report_layouts() {
    let e = Env::new();
    e.create_app("web");
    let ts = e.lib_file("config/apps/web/created-at");
    let out = e
        .filter(e.run(&["apps:report", "web"]).ok())
        .replace(&ts, "<ts>");
    insta::assert_snapshot!(out, @"
    =====> web app information
           App created at:                  <ts>
           App deploy source:               
           App deploy source metadata:      
           App dir:                         $DOKKU_ROOT/web
           App global disable autocreation: 
           App locked:                      false
    ");
    assert_eq!(
        e.filter(e.run(&["apps:report", "web", "--app-dir"]).ok()),
        "$DOKKU_ROOT/web\n"
    );
    let json = e.json(&["apps:report", "web", "--format", "json"]);
    assert_eq!(json["locked"], "false");
    assert_eq!(json["app-locked"], "false");
    assert_eq!(json["global-disable-autocreation"], "");
    let r = e.run(&["apps:report", "web", "--nope"]);
    r.exits(
        1,
        Holds::ErrStart(
            " !     Invalid flag passed, valid flags: --app-created-at, --app-deploy-source",
        ),
    );
    let r = e.run(&["apps:report", "web", "--app-dir", "--format", "json"]);
    assert_eq!(
        r.stderr,
        " !     --format flag cannot be specified when specifying an info flag\n"
    );
    // every app when none is named
    e.create_app("api");
    let all = e.run(&["apps:report"]).ok().to_string();
    assert!(
        all.contains("=====> api app information") && all.contains("=====> web app information")
    );
}

#[test]
fn set_global_property() {
    let e = Env::new();
    e.create_app("web");
    let r = e.run(&["apps:set", "--global", "disable-autocreation", "true"]);
    assert_eq!(r.ok(), "=====> Setting disable-autocreation to true\n");
    assert_eq!(
        e.lib_file("config/apps/--global/disable-autocreation"),
        "true"
    );
    e.expect(
        &["apps:report", "web", "--app-global-disable-autocreation"],
        "true\n",
    );
    let r = e.run(&["apps:set", "web", "disable-autocreation", "true"]);
    r.fails_with("Property can only be specified globally");
    // Go plugins refuse a key that cannot be global before looking it up.
    let r = e.run(&["apps:set", "--global", "nope", "1"]);
    r.fails_with("Property cannot be specified globally");
    let r = e.run(&["apps:set", "web", "nope", "1"]);
    r.fails_with("Invalid property specified, valid properties include: disable-autocreation");
    let r = e.run(&["apps:set", "--global"]);
    r.fails_with("No property specified");
    e.expect(
        &["apps:set", "--global", "disable-autocreation"],
        "=====> Unsetting disable-autocreation\n",
    );
    assert!(!e
        .lib()
        .join("config/apps/--global/disable-autocreation")
        .exists());
}

#[test]
fn rename_and_clone_carry_state() {
    let e = Env::new();
    e.create_app("old");
    std::fs::create_dir_all(e.lib().join("config/someplugin/old")).expect("mkdir");
    std::fs::write(e.lib().join("config/someplugin/old/key"), "v").expect("write");
    std::fs::write(e.root().join("old/marker"), "x").expect("write");

    let r = e.run(&["apps:clone", "--skip-deploy", "old", "copy"]);
    assert_eq!(r.ok(), "Cloning old to copy... done\n");
    assert_eq!(e.lib_file("config/someplugin/copy/key"), "v");
    assert!(e.root().join("copy/marker").is_file());
    let r = e.run(&["apps:clone", "old", "copy"]);
    r.fails_with("Name is already taken");
    let r = e.run(&["apps:clone", "--ignore-existing", "old", "copy"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (0, " !     Name is already taken\n")
    );

    let r = e.run(&["apps:rename", "--skip-deploy", "old", "new"]);
    assert_eq!(
        r.ok(),
        "Destroying old (including all add-ons)\nRenaming old to new... done\n"
    );
    assert!(!e.root().join("old").exists());
    assert!(!e.lib().join("config/someplugin/old").exists());
    assert_eq!(e.lib_file("config/someplugin/new/key"), "v");
    let r = e.run(&["apps:rename", "new"]);
    r.fails_with("Please specify an new app name");
    let r = e.run(&["apps:rename", "new", "Bad"]);
    assert_eq!(r.code, 1);
}

#[test]
fn app_flag_and_env_supply_the_app() {
    let e = Env::new();
    e.run(&["--app", "web", "apps:create"]).ok();
    assert!(e.root().join("web").is_dir());
    let r = e
        .cmd(&["apps:exists"])
        .env("DOKKU_APP_NAME", "web")
        .output()
        .expect("run");
    assert!(r.status.success());
}

#[test]
fn help_text() {
    let e = Env::new();
    let help = e.run(&["apps:help"]).ok().to_string();
    assert_eq!(help, e.run(&["apps", "--help"]).ok());
    insta::assert_snapshot!(help, @r"
    Usage: dokku apps[:COMMAND]

    Manage apps

    Additional commands:
        apps:clone <old-app> <new-app>         Clones an app
        apps:create <app>                      Create a new app
        apps:destroy <app>                     Permanently destroy an app
        apps:exists <app>                      Checks if an app exists
        apps:list [--format stdout|json]       List your apps
        apps:lock <app>                        Locks an app for deployment
        apps:locked <app>                      Checks if an app is locked for deployment
        apps:rename <old-app> <new-app>        Rename an app
        apps:report [<app>] [<flag>]           Display report about an app
        apps:set <app>|--global <key> <value>  Set or clear an apps property
        apps:unlock <app>                      Unlocks an app for deployment
    ");
}

#[test]
fn deploy_source_is_recorded_through_the_trigger() {
    let e = Env::new();
    e.create_app("web");
    let r = e.run(&[
        "plugin:trigger",
        "deploy-source-set",
        "web",
        "git",
        "cd7b8afccb202f222e7dc7b427553e71ba5ddafd",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    e.transcript(
        r#"
$ apps:report web --app-deploy-source
git
$ apps:report web --app-deploy-source-metadata
cd7b8afccb202f222e7dc7b427553e71ba5ddafd
"#,
    );
}

#[test]
fn maybe_create_respects_disable_autocreation() {
    let e = Env::new();
    let r = e.run(&["plugin:trigger", "app-maybe-create", "pushed"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert!(e.root().join("pushed").is_dir());
    e.run(&["apps:set", "--global", "disable-autocreation", "true"])
        .ok();
    let r = e.run(&["plugin:trigger", "app-maybe-create", "other"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        " !     App auto-creation disabled.\n !     Re-enable app auto-creation or create an app with 'dokku apps:create other'\n"
    );
    assert!(!e.root().join("other").exists());
}

/// Removes a renamed app's containers and images when dropped.
struct Renamed<'a>(&'a crate::nginx::Site, String);

impl Drop for Renamed<'_> {
    fn drop(&mut self) {
        crate::harness::remove_app_resources(&self.0.fx.engine, &self.1);
    }
}

#[test]
fn rename_of_a_deployed_app_moves_it_whole() {
    let site = crate::nginx::Site::new("apps-rename");
    site.deploy("v1");
    let old_host = format!("{}.dokku.me", site.app);
    assert_eq!(site.body("http", &old_host), "v1");

    let new = format!("{}-new", site.app);
    let renamed = Renamed(&site, new.clone());
    let r = site.run(&["apps:rename", &site.app, &new]);
    assert_eq!(
        r.code,
        0,
        "stdout:\n{}\nstderr:\n{}\nnginx:\n{}",
        r.stdout,
        r.stderr,
        site.error_log()
    );
    assert!(
        r.stdout
            .ends_with(&format!("Renaming {} to {new}... done\n", site.app)),
        "{}",
        r.stdout
    );
    assert!(
        !site.env.root().join(&site.app).exists(),
        "the old app directory is gone"
    );
    assert!(!site.env.lib().join("config/apps").join(&site.app).exists());
    let new_host = format!("{new}.dokku.me");
    assert_eq!(site.body("http", &new_host), "v1");
    assert!(
        !matches!(site.curl("http", &old_host, "/"), Ok((200, _, _))),
        "the old name no longer serves the app"
    );
    assert_eq!(site.run(&["--quiet", "apps:list"]).ok(), format!("{new}\n"));
    // The old app's containers are gone; only the new app's run.
    let old_label = format!("com.dokku.app-name={}", site.app);
    let old = site
        .fx
        .engine
        .list_containers(&dokku_docker::ContainerFilter::label(old_label))
        .expect("list");
    assert!(old.is_empty(), "{old:?}");
    drop(renamed);
}

#[test]
fn failed_create_leaves_no_app_behind() {
    let src = tempfile::tempdir().expect("tempdir");
    let plugin = src.path().join("zfail");
    write_plugin_toml(&plugin, "failing post-create", "1.0.0");
    let trigger = plugin.join("post-create");
    write_script(&trigger, "#!/usr/bin/env bash\nmkdir -p \"$DOKKU_ROOT/$1/from-plugin\"\necho \"cannot set up $1\" >&2\nexit 1\n");

    let e = Env::new();
    e.run(&["plugin:install", "--core"]).ok();
    e.run(&["plugin:install", plugin.to_str().expect("utf-8")])
        .ok();
    e.run(&["domains:set-global", "dokku.me"]).ok();
    let before = e.state();
    let r = e.run(&["apps:create", "node-js-app"]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("cannot set up node-js-app"), "{r:?}");
    assert!(!e.root().join("node-js-app").exists());
    let paths = |st: Vec<(String, Vec<u8>)>| st.into_iter().map(|(p, _)| p).collect::<Vec<_>>();
    let (before, after) = (paths(before), paths(e.state()));
    // A plugin's (empty) property directory may stay, as after apps:destroy.
    let added: Vec<_> = after
        .iter()
        .filter(|p| !before.contains(p))
        .filter(|p| {
            !(p.starts_with("lib/config/") && p.ends_with('/') && p.matches('/').count() == 3)
        })
        .collect();
    assert!(added.is_empty(), "nothing of the app is left: {added:?}");
    assert_eq!(e.run(&["apps:exists", "node-js-app"]).code, 1);

    // Once the plugin is gone the name can be used.
    e.transcript(
        r#"
$ plugin:disable zfail
...
$ apps:create node-js-app
Creating node-js-app... done
"#,
    );
}

#[test]
fn create_sets_up_the_repository_and_the_scale() {
    use std::os::unix::fs::PermissionsExt;
    let e = Env::new();
    e.create_app("web");
    let dir = e.root().join("web");
    assert!(dir.join("HEAD").is_file(), "a bare git repository");
    let hook = dir.join("hooks/pre-receive");
    let mode = std::fs::metadata(&hook).expect("hook").permissions().mode();
    assert_eq!(mode & 0o111, 0o111, "the hook is executable");
    assert_eq!(e.lib_file("config/ps/web/scale"), "web=1\n");
    e.expect(&["ps:report", "web", "--processes"], "0\n");
}
