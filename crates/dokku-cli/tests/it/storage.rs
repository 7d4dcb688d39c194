//! Tests of the storage plugin through the binary: the examples of the
//! persistent storage documentation, every documented error, the files
//! left on disk, and `storage:exec` against the real Docker engine.

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use crate::harness::Env;

fn owner(p: &std::path::Path) -> (u32, u32) {
    let m = std::fs::metadata(p).expect("metadata");
    (m.uid(), m.gid())
}

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o7777
}

fn entry_json(e: &Env, name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(
        e.lib()
            .join(format!("data/storage-registry/entries/{name}.json")),
    )
    .expect("entry file");
    serde_json::from_str(&text).expect("entry json")
}

fn attachments(e: &Env, app: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(e.lib().join(format!("config/storage/{app}/mounts")))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("attachment json"))
        .collect()
}

#[test]
fn ensure_directory_mount_list_as_documented() {
    let e = Env::new();
    e.create_app("node-js-app");
    let r = e.run(&["storage:ensure-directory", "node-js-app"]);
    insta::assert_snapshot!(e.filter(r.ok()), @r"
    -----> Ensuring $DOKKU_LIB_ROOT/data/storage/node-js-app exists
           Setting directory ownership to 32767:32767
           Directory ready for mounting
    ");
    assert_eq!(
        r.stderr,
        " !     Deprecated: please use 'storage:create' instead of 'storage:ensure-directory'\n"
    );
    let dir = e.lib().join("data/storage/node-js-app");
    assert_eq!(owner(&dir), (32767, 32767));
    assert_eq!(mode(&dir), 0o755);
    let entry = entry_json(&e, "node-js-app");
    assert_eq!(entry["scheduler"], "docker-local");
    assert_eq!(entry["host_path"], dir.display().to_string());
    assert_eq!(entry["chown"], "herokuish");

    let spec = format!("{}:/app/storage", dir.display());
    e.expect(&["storage:mount", "node-js-app", &spec], "");
    insta::assert_snapshot!(e.filter(e.run(&["storage:list", "node-js-app"]).ok()), @r"
    -----> node-js-app volume bind-mounts:
           $DOKKU_LIB_ROOT/data/storage/node-js-app:/app/storage
    ");
    assert_eq!(
        e.filter(e.run(&["--quiet", "storage:list", "node-js-app"]).ok()),
        "$DOKKU_LIB_ROOT/data/storage/node-js-app:/app/storage\n"
    );
    insta::assert_snapshot!(e.filter(e.run(&["storage:list", "node-js-app", "--format", "json"]).ok()), @r#"
    [
      {
        "entry_name": "node-js-app",
        "host_path": "$DOKKU_LIB_ROOT/data/storage/node-js-app",
        "container_path": "/app/storage"
      }
    ]
    "#);
    insta::assert_snapshot!(e.filter(e.run(&["storage:report", "node-js-app"]).ok()), @r"
    =====> node-js-app storage information
           Storage attachment 1 container path: /app/storage
           Storage attachment 1 entry name:     node-js-app
           Storage attachment 1 host path:      $DOKKU_LIB_ROOT/data/storage/node-js-app
           Storage attachment 1 phases:         deploy,run
           Storage attachment 1 process type:   _default_
           Storage attachment 1 readonly:       false
           Storage attachment 1 subpath:        
           Storage attachment 1 volume chown:   
           Storage attachment 1 volume options: 
           Storage build mounts:                
           Storage deploy mounts:               -v $DOKKU_LIB_ROOT/data/storage/node-js-app:/app/storage
           Storage run mounts:                  -v $DOKKU_LIB_ROOT/data/storage/node-js-app:/app/storage
    ");
    assert_eq!(
        e.filter(
            e.run(&["storage:report", "node-js-app", "--storage-deploy-mounts"])
                .ok()
        ),
        "-v $DOKKU_LIB_ROOT/data/storage/node-js-app:/app/storage\n"
    );

    let before = e.state();
    e.fails(
        &["storage:mount", "node-js-app", &spec],
        "Mount path already exists.",
    );
    e.transcript(
        r#"
$ storage:mount node-js-app relative/dir:/app/storage
 !     Storage path must be two valid paths divided by colon.
$ storage:mount node-js-app /tmp/../etc:/app/storage
 !     Storage path must be two valid paths divided by colon.
$ storage:mount node-js-app /tmp:app/storage
 !     Storage path must be two valid paths divided by colon.
$ storage:unmount node-js-app /nope:/app/storage
 !     Mount path does not exist.
$ storage:list nope
 !     App nope does not exist
$ storage:list node-js-app --format yaml
 !     Invalid --format value specified
"#,
    );
    e.fails(&["storage:mount", "nope", &spec], "App nope does not exist");
    assert_eq!(before, e.state());

    // A docker volume becomes a legacy entry.
    e.run(&[
        "storage:mount",
        "node-js-app",
        "some-docker-volume:/app/data",
    ])
    .ok();
    let legacy = attachments(&e, "node-js-app")[1]["entry_name"]
        .as_str()
        .expect("name")
        .to_string();
    assert!(
        legacy.starts_with("legacy-") && legacy.len() == 23,
        "{legacy}"
    );
    assert_eq!(entry_json(&e, &legacy)["host_path"], "some-docker-volume");
    let entries = e.run(&["storage:list-entries"]).ok().to_string();
    assert!(
        entries.contains(&legacy) && entries.starts_with("=====> Storage entries\n"),
        "{entries}"
    );
    e.run(&[
        "storage:unmount",
        "node-js-app",
        "some-docker-volume:/app/data",
    ])
    .ok();

    e.expect(&["storage:unmount", "node-js-app", &spec], "");
    assert!(!e.lib().join("config/storage/node-js-app/mounts").exists());
    e.fails(
        &["storage:unmount", "node-js-app", &spec],
        "Mount path does not exist.",
    );
    e.transcript(
        r#"
$ storage:list node-js-app
-----> node-js-app volume bind-mounts:
$ storage:list node-js-app --format json
[]
"#,
    );
}

#[test]
fn ensure_directory_ownership_presets() {
    let e = Env::new();
    for (chown, ids) in [
        ("heroku", 1000),
        ("paketo", 2000),
        ("packeto", 2000),
        ("root", 0),
        ("4242", 4242),
        ("65535", 65535),
    ] {
        let name = format!("dir-{chown}");
        let r = e.run(&["storage:ensure-directory", "--chown", chown, &name]);
        assert!(r
            .ok()
            .contains(&format!("Setting directory ownership to {ids}:{ids}")));
        assert_eq!(
            owner(&e.lib().join("data/storage").join(&name)),
            (ids, ids),
            "{chown}"
        );
    }
    let r = e.run(&["storage:ensure-directory", "Old_Style", "--chown", "false"]);
    assert_eq!(
        e.filter(r.ok()),
        "-----> Ensuring $DOKKU_LIB_ROOT/data/storage/Old_Style exists\n       Directory ready for mounting\n"
    );
    assert_eq!(owner(&e.lib().join("data/storage/Old_Style")), (0, 0));
    // An old-style name gets a directory but no entry.
    assert!(!e
        .lib()
        .join("data/storage-registry/entries/Old_Style.json")
        .exists());

    let before = e.state();
    for bad in ["@", "a/", "a/b", "..", "a b"] {
        let r = e.run(&["storage:ensure-directory", bad]);
        assert_eq!(r.code, 1, "{bad}");
        assert!(r.stderr.ends_with(" !     Directory can only contain the following set of characters: [A-Za-z0-9_-]\n"), "{bad}: {}", r.stderr);
    }
    for bad in ["65536", "bogus", "-1", ""] {
        let r = e.run(&["storage:ensure-directory", "--chown", bad, "x"]);
        assert!(
            r.stderr.ends_with(" !     Unsupported chown permissions\n"),
            "{bad}: {}",
            r.stderr
        );
    }
    let r = e.run(&["storage:ensure-directory"]);
    assert!(r
        .stderr
        .ends_with(" !     Please specify a directory to create\n"));
    assert_eq!(before, e.state());
}

#[test]
fn named_entry_mount_report_as_documented() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.expect(
        &["storage:create", "node-js-data"],
        "-----> Storage entry node-js-data created\n",
    );
    let dir = e.lib().join("data/storage/node-js-data");
    assert_eq!(mode(&dir), 0o755);
    e.run(&[
        "storage:mount",
        "node-js-app",
        "node-js-data",
        "--container-dir",
        "/app/storage",
        "--volume-options",
        "Z",
        "--volume-chown",
        "herokuish",
        "--volume-subpath",
        "uploads",
    ])
    .ok();
    insta::assert_snapshot!(e.filter(e.run(&["storage:report", "node-js-app"]).ok()), @r"
    =====> node-js-app storage information
           Storage attachment 1 container path: /app/storage
           Storage attachment 1 entry name:     node-js-data
           Storage attachment 1 host path:      $DOKKU_LIB_ROOT/data/storage/node-js-data
           Storage attachment 1 phases:         deploy,run
           Storage attachment 1 process type:   _default_
           Storage attachment 1 readonly:       false
           Storage attachment 1 subpath:        uploads
           Storage attachment 1 volume chown:   herokuish
           Storage attachment 1 volume options: Z
           Storage build mounts:                
           Storage deploy mounts:               -v $DOKKU_LIB_ROOT/data/storage/node-js-data:/app/storage:Z
           Storage run mounts:                  -v $DOKKU_LIB_ROOT/data/storage/node-js-data:/app/storage:Z
    ");
    let json: serde_json::Value = serde_json::from_str(
        &e.filter(
            e.run(&["storage:report", "node-js-app", "--format", "json"])
                .ok(),
        ),
    )
    .expect("json");
    let attachment_keys: serde_json::Map<String, serde_json::Value> = json
        .as_object()
        .expect("object")
        .iter()
        .filter(|(k, _)| k.starts_with("attachment."))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    insta::assert_snapshot!(serde_json::to_string_pretty(&attachment_keys).expect("json"), @r#"
    {
      "attachment.1.container-path": "/app/storage",
      "attachment.1.entry-name": "node-js-data",
      "attachment.1.host-path": "$DOKKU_LIB_ROOT/data/storage/node-js-data",
      "attachment.1.phases": "deploy,run",
      "attachment.1.process-type": "_default_",
      "attachment.1.readonly": "false",
      "attachment.1.subpath": "uploads",
      "attachment.1.volume-chown": "herokuish",
      "attachment.1.volume-options": "Z"
    }
    "#);
    assert_eq!(json["storage-attachment.1.volume-options"], "Z");
    assert_eq!(json["storage-deploy-mounts"], json["deploy-mounts"]);
    e.expect(
        &[
            "storage:report",
            "node-js-app",
            "--storage-attachment.1.volume-options",
        ],
        "Z\n",
    );

    // Re-mounting rewrites the attachment in place; omitted flags clear.
    e.run(&[
        "storage:mount",
        "node-js-app",
        "node-js-data",
        "--container-dir",
        "/app/storage",
        "--volume-options",
        "noexec,nosuid",
        "--volume-readonly",
    ])
    .ok();
    let a = attachments(&e, "node-js-app");
    assert_eq!(a.len(), 1);
    assert_eq!(
        a[0],
        serde_json::json!({"entry_name":"node-js-data","container_path":"/app/storage","phases":["deploy","run"],
            "process_type":"_default_","readonly":true,"volume_options":"noexec,nosuid"})
    );
    insta::assert_snapshot!(e.filter(e.run(&["storage:list", "node-js-app", "--format", "json"]).ok()), @r#"
    [
      {
        "entry_name": "node-js-data",
        "host_path": "$DOKKU_LIB_ROOT/data/storage/node-js-data",
        "container_path": "/app/storage",
        "readonly": true,
        "volume_options": "noexec,nosuid"
      }
    ]
    "#);
    assert_eq!(
        e.filter(
            e.run(&["storage:report", "node-js-app", "--storage-run-mounts"])
                .ok()
        ),
        "-v $DOKKU_LIB_ROOT/data/storage/node-js-data:/app/storage:ro,noexec,nosuid\n"
    );

    // Second mount point, a process-specific one, then unmounting.
    e.transcript(
        r#"
$ storage:mount node-js-app node-js-data --container-dir /backup --phase run
...
$ storage:mount node-js-app node-js-data --container-dir /web --process-type web --phase deploy
...
"#,
    );
    assert_eq!(attachments(&e, "node-js-app").len(), 3);
    e.expect(
        &[
            "storage:report",
            "node-js-app",
            "--storage-attachment.3.process-type",
        ],
        "web\n",
    );
    let before = e.state();
    e.transcript(
        r#"
$ storage:unmount node-js-app node-js-data
 !     storage entry "node-js-data" is mounted at multiple paths on app "node-js-app" (/app/storage, /backup, /web); pass --container-dir to disambiguate
$ storage:unmount node-js-app node-js-data --container-dir /nope
 !     storage entry "node-js-data" is not mounted at "/nope" on app "node-js-app"
$ storage:unmount node-js-app other
 !     storage entry "other" is not mounted on app "node-js-app"
"#,
    );
    assert_eq!(before, e.state());
    e.transcript(
        r#"
$ storage:unmount node-js-app node-js-data --container-dir /backup
...
$ storage:unmount node-js-app node-js-data --container-dir /web
...
$ storage:unmount node-js-app node-js-data
...
"#,
    );
    assert!(attachments(&e, "node-js-app").is_empty());
}

#[test]
fn mount_errors_change_nothing() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ storage:create node-js-data
...
$ storage:create other-data
...
$ storage:mount node-js-app node-js-data --container-dir /app/storage
...
"#,
    );
    let before = e.state();
    e.transcript(
        r#"
$ storage:mount node-js-app missing --container-dir /x
 !     storage entry "missing" does not exist; create it first with `dokku storage:create`
$ storage:mount node-js-app node-js-data
 !     attachment is missing container path
$ storage:mount node-js-app node-js-data --container-dir app/x
 !     attachment container path "app/x" must be absolute
$ storage:mount node-js-app node-js-data --container-dir /app/../etc
 !     attachment container path "/app/../etc" must be absolute
$ storage:mount node-js-app node-js-data --container-dir /x --phase build
 !     attachment phase "build" is not supported (must be "deploy" or "run")
$ storage:mount node-js-app node-js-data --container-dir /x --volume-subpath ../up
 !     Invalid --volume-subpath "../up": it must be a relative path inside the storage entry
$ storage:mount node-js-app node-js-data --container-dir /x --volume-chown nobody
 !     Unsupported chown permissions
$ storage:mount node-js-app node-js-data --container-dir /x --volume-options a:b
 !     Invalid --volume-options "a:b"
$ storage:mount node-js-app node-js-data --container-dir /x --process-type ../web
 !     Invalid process type "../web"
$ storage:mount node-js-app Bad_Name --container-dir /x
 !     storage entry name "Bad_Name" must be a DNS-1123 label (lowercase letters, digits, and dashes; cannot start or end with a dash)
$ storage:mount node-js-app other-data --container-dir /app/storage
 !     storage entry "node-js-data" is already mounted at "/app/storage" for process type "_default_" on app "node-js-app"
$ storage:mount node-js-app node-js-data --container-dir /x --bogus
 !     unknown flag: --bogus
"#,
    );
    assert_eq!(before, e.state());
}

#[test]
fn create_set_info_as_documented() {
    let e = Env::new();
    e.run(&["storage:create", "node-js-data", "--mode", "0777"])
        .ok();
    let dir = e.lib().join("data/storage/node-js-data");
    assert_eq!(mode(&dir), 0o777);
    insta::assert_snapshot!(e.filter(e.run(&["storage:info", "node-js-data"]).ok()), @r"
    -----> Storage entry node-js-data
           Scheduler:        docker-local
           Host path:        $DOKKU_LIB_ROOT/data/storage/node-js-data
           Mode:             0777
    ");
    insta::assert_snapshot!(e.filter(e.run(&["storage:info", "node-js-data", "--format", "json"]).ok()), @r#"
    {
      "name": "node-js-data",
      "scheduler": "docker-local",
      "host_path": "$DOKKU_LIB_ROOT/data/storage/node-js-data",
      "mode": "0777"
    }
    "#);
    e.expect(
        &["storage:set", "node-js-data", "mode", "0770"],
        "=====> Setting mode to 0770\n",
    );
    assert_eq!(mode(&dir), 0o770);
    e.expect(
        &["storage:set", "node-js-data", "mode"],
        "=====> Unsetting mode\n",
    );
    assert!(entry_json(&e, "node-js-data").get("mode").is_none());
    assert_eq!(
        mode(&dir),
        0o770,
        "an unset mode leaves the directory alone"
    );
    e.run(&["storage:set", "node-js-data", "chown", "herokuish"])
        .ok();
    assert_eq!(owner(&dir), (32767, 32767));
    assert_eq!(entry_json(&e, "node-js-data")["chown"], "herokuish");
    e.run(&["storage:set", "node-js-data", "chown"]).ok();
    assert!(entry_json(&e, "node-js-data").get("chown").is_none());
    e.transcript(
        r#"
$ storage:set node-js-data reclaim-policy Delete
...
$ storage:set node-js-data namespace apps
...
"#,
    );
    assert_eq!(entry_json(&e, "node-js-data")["reclaim_policy"], "Delete");

    // The deprecated flag form warns and can unset.
    let r = e.run(&["storage:set", "node-js-data", "--mode", "0700"]);
    assert_eq!((r.ok(), r.stderr.as_str()), ("=====> Setting mode to 0700\n", " !     Deprecated: please use 'storage:set <name> <property> [<value>]' instead of flags\n"));
    assert_eq!(mode(&dir), 0o700);
    e.run(&["storage:set", "node-js-data", "--mode", ""]).ok();
    assert!(entry_json(&e, "node-js-data").get("mode").is_none());

    // Re-running create converges the directory.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    e.expect(
        &["storage:create", "node-js-data", "--mode", "0750"],
        "-----> Storage entry node-js-data updated\n",
    );
    assert_eq!(mode(&dir), 0o750);

    let before = e.state();
    e.transcript(
        r#"
$ storage:set node-js-data access-mode ReadWriteMany
 !     storage:set cannot change access-mode in place; recreate the entry
$ storage:set node-js-data access-mode
 !     storage:set cannot change access-mode in place; recreate the entry
$ storage:set node-js-data storage-class-name x
 !     storage:set cannot change storage-class-name in place; recreate the entry
$ storage:set node-js-data size 1Gi
 !     storage entry "node-js-data" (docker-local) does not accept --size
$ storage:set node-js-data bogus 1
 !     Invalid property specified, valid properties include: access-mode, chown, mode, namespace, reclaim-policy, size, storage-class-name
$ storage:set node-js-data
 !     No property specified
$ storage:set node-js-data mode 999
 !     Unsupported directory mode "999". Value must be a 3 or 4 digit octal mode, such as 0755
$ storage:set node-js-data chown nobody
 !     Unsupported chown permissions
$ storage:set node-js-data reclaim-policy Recycle
 !     storage entry "node-js-data" has unsupported reclaim policy "Recycle"
$ storage:set node-js-data mode 0700 --chown root
 !     storage:set accepts either a property and a value or flags, not both
$ storage:set missing mode 0700
 !     storage entry "missing" does not exist
$ storage:info missing
 !     storage entry "missing" does not exist
$ storage:info node-js-data --format yaml
 !     Invalid format: yaml
$ storage:list-entries --format yaml
 !     Invalid format: yaml
"#,
    );
    assert_eq!(before, e.state());
}

#[test]
fn create_refusals_change_nothing() {
    let e = Env::new();
    let custom = e.dir.path().join("custom");
    std::fs::create_dir_all(&custom).expect("mkdir");
    std::fs::write(e.dir.path().join("file"), "x").expect("write");
    let custom_s = custom.display().to_string();
    let default = format!("{}/data/storage/node-js-data", e.lib().display());
    let before = e.state();
    let dns = |n: &str| {
        format!("storage entry name {n:?} must be a DNS-1123 label (lowercase letters, digits, and dashes; cannot start or end with a dash)")
    };
    for bad in ["Bad", "a_b", "a-", "..", "a/b", "@", &"a".repeat(46)] {
        e.fails(&["storage:create", bad], &dns(bad));
    }
    e.fails(&["storage:create", "--", "-a"], &dns("-a"));
    e.fails(&["storage:create", "-a"], "unknown flag: -a");
    e.fails(&["storage:create", "node-js-data", &custom_s, "--chown", "herokuish"], &format!("--chown is only supported when the storage entry uses the default host path ({default}); omit --chown and manage ownership manually"));
    e.fails(&["storage:create", "node-js-data", &custom_s, "--mode", "0777"], &format!("--mode is only supported when the storage entry uses the default host path ({default}); omit --mode and manage permissions manually"));
    e.fails(&["storage:create", "node-js-data", &custom_s, "--reclaim-policy", "Delete"], &format!("storage entry \"node-js-data\" (docker-local) only accepts --reclaim-policy Delete on the default host path ({default})"));
    e.transcript(
        r#"
$ storage:create node-js-data relative
 !     storage entry "node-js-data" host_path must be absolute, got "relative"
$ storage:create node-js-data /tmp/../etc
 !     storage entry "node-js-data" host_path must be absolute, got "/tmp/../etc"
$ storage:create node-js-data /nonexistent-dokku-dir
 !     storage entry "node-js-data" host path /nonexistent-dokku-dir is not present
"#,
    );
    let file = e.dir.path().join("file").display().to_string();
    e.fails(
        &["storage:create", "node-js-data", &file],
        &format!("storage entry path {file} exists but is not a directory"),
    );
    e.transcript(
        r#"
$ storage:create node-js-data --size 1Gi
 !     storage entry "node-js-data" (docker-local) does not accept --size
$ storage:create node-js-data --access-mode ReadWriteOnce
 !     storage entry "node-js-data" (docker-local) does not accept --access-mode
$ storage:create node-js-data --storage-class-name longhorn
 !     storage entry "node-js-data" (docker-local) does not accept --storage-class-name
$ storage:create node-js-data --mode 77
 !     Unsupported directory mode "77". Value must be a 3 or 4 digit octal mode, such as 0755
$ storage:create node-js-data --chown x
 !     Unsupported chown permissions
$ storage:create node-js-data --reclaim-policy Recycle
 !     storage entry "node-js-data" has unsupported reclaim policy "Recycle"
$ storage:create node-js-data --annotation novalue
 !     expected key=value, got "novalue"
"#,
    );
    assert_eq!(before, e.state());

    // A custom path is registered as is, and left alone.
    e.run(&["storage:create", "custom-data", &custom_s]).ok();
    assert_eq!(entry_json(&e, "custom-data")["host_path"], custom_s);
    e.fails(&["storage:create", "custom-data", "--scheduler", "k3s"], "storage entry \"custom-data\" already exists with scheduler \"docker-local\"; refusing to redefine");
}

#[test]
fn annotations_and_labels() {
    let e = Env::new();
    e.transcript(
        r#"
$ storage:create node-js-data --annotation a=1 --label tier=db
...
$ storage:create other-data
...
$ storage:annotations:set node-js-data backup.velero.io/backup-volumes node-js-data
=====> Setting annotation backup.velero.io/backup-volumes to node-js-data
$ storage:labels:set node-js-data app.kubernetes.io/part-of billing
...
$ storage:annotations:set node-js-data a
...
"#,
    );
    let j = entry_json(&e, "node-js-data");
    assert_eq!(
        j["annotations"],
        serde_json::json!({"backup.velero.io/backup-volumes": "node-js-data"})
    );
    assert_eq!(
        j["labels"],
        serde_json::json!({"app.kubernetes.io/part-of": "billing", "tier": "db"})
    );
    insta::assert_snapshot!(e.run(&["storage:annotations:report", "node-js-data"]).ok(), @r"
    =====> node-js-data annotations information
           Annotation backup.velero.io/backup-volumes: node-js-data
    ");
    insta::assert_snapshot!(e.run(&["storage:labels:report"]).ok(), @r"
    =====> node-js-data labels information
           Label app.kubernetes.io/part-of: billing
           Label tier:                      db
    =====> other-data labels information
    ");
    e.transcript(
        r#"
$ storage:annotations:report node-js-data --format json
{"backup.velero.io/backup-volumes":"node-js-data"}
$ storage:annotations:report node-js-data --storage-annotations.backup.velero.io/backup-volumes
node-js-data
$ storage:labels:report node-js-data --storage-labels.tier
db
"#,
    );
    let before = e.state();
    e.transcript(
        r#"
$ storage:annotations:report --storage-annotations.x
 !     storage:annotations:report requires a storage entry name when an info flag is specified
$ storage:labels:report --storage-labels.x
 !     storage:labels:report requires a storage entry name when an info flag is specified
$ storage:annotations:set node-js-data
 !     No annotation key specified
$ storage:labels:set node-js-data
 !     No label key specified
$ storage:labels:set missing k v
 !     storage entry "missing" does not exist
"#,
    );
    let r = e.run(&["storage:set", "node-js-data", "--label", "x=y"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, " !     Deprecated: please use 'storage:annotations:set' and 'storage:labels:set' instead of --annotation and --label\n");
    assert_ne!(before, e.state());
    assert_eq!(
        entry_json(&e, "node-js-data")["labels"],
        serde_json::json!({"x": "y"})
    );
}

#[test]
fn destroy_as_documented() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ storage:create rdmtest-entry
...
$ storage:mount node-js-app rdmtest-entry --container-dir /data
...
"#,
    );
    let before = e.state();
    e.transcript(
        r#"
$ --force storage:destroy rdmtest-entry
 !     storage entry "rdmtest-entry" is still mounted by app(s): node-js-app
$ storage:destroy missing --force
 !     storage entry "missing" does not exist
"#,
    );
    assert_eq!(before, e.state());
    e.run(&["storage:unmount", "node-js-app", "rdmtest-entry"])
        .ok();

    let r = e.destroy_confirmed(
        &["storage:destroy", "rdmtest-entry"],
        "rdmtest-entry",
        "storage entry rdmtest-entry",
    );
    // The doc shows no blank line between the prompt and the result.
    assert_eq!(r.ok(), "-----> Storage entry rdmtest-entry destroyed\n");
    assert!(!e
        .lib()
        .join("data/storage-registry/entries/rdmtest-entry.json")
        .exists());
    assert!(
        e.lib().join("data/storage/rdmtest-entry").is_dir(),
        "the host directory survives by default"
    );

    e.run(&["storage:create", "node-js-data"]).ok();
    std::fs::write(e.lib().join("data/storage/node-js-data/file"), "x").expect("write");
    let r = e.run(&[
        "storage:destroy",
        "node-js-data",
        "--destroy-host-dir",
        "--force",
    ]);
    assert_eq!(r.ok(), "-----> Storage entry node-js-data destroyed\n");
    assert_eq!(
        e.filter(&r.stderr),
        " !     Storage entry node-js-data is backed by $DOKKU_LIB_ROOT/data/storage/node-js-data, which will be removed along with its contents.\n"
    );
    assert!(!e.lib().join("data/storage/node-js-data").exists());

    e.transcript(
        r#"
$ storage:create node-js-data --reclaim-policy Delete
...
$ storage:destroy node-js-data --force
...
"#,
    );
    assert!(!e.lib().join("data/storage/node-js-data").exists());

    let custom = e.dir.path().join("custom");
    std::fs::create_dir_all(&custom).expect("mkdir");
    e.run(&[
        "storage:create",
        "custom-data",
        &custom.display().to_string(),
    ])
    .ok();
    let default = format!("{}/data/storage/custom-data", e.lib().display());
    e.fails(&["storage:destroy", "custom-data", "--destroy-host-dir", "--force"],
        &format!("--destroy-host-dir is only supported when the storage entry uses the default host path ({default}); omit --destroy-host-dir and manage {} manually", custom.display()),
    );
    e.run(&["storage:destroy", "custom-data", "--force"]).ok();
    assert!(custom.is_dir());
}

#[test]
fn list_entries_and_global_report() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ storage:create b-data
...
$ storage:create a-data
...
$ storage:mount node-js-app a-data --container-dir /a
...
"#,
    );
    insta::assert_snapshot!(e.filter(e.run(&["storage:list-entries"]).ok()), @r"
    =====> Storage entries
           a-data  docker-local  $DOKKU_LIB_ROOT/data/storage/a-data
           b-data  docker-local  $DOKKU_LIB_ROOT/data/storage/b-data
    ");
    e.transcript(
        r#"
$ --quiet storage:list-entries
a-data
b-data
$ storage:list-entries --scheduler k3s --format json
[]
"#,
    );
    let json = e.json(&["storage:list-entries", "--format", "json"]);
    assert_eq!(json[1]["name"], "b-data");
    insta::assert_snapshot!(e.filter(e.run(&["storage:report", "--global"]).ok()), @"
    =====> --global storage information
           Storage entries:                 a-data,b-data
           Storage entry a data host path:  $DOKKU_LIB_ROOT/data/storage/a-data
           Storage entry a data mounted by: node-js-app
           Storage entry a data scheduler:  docker-local
           Storage entry b data host path:  $DOKKU_LIB_ROOT/data/storage/b-data
           Storage entry b data mounted by: 
           Storage entry b data scheduler:  docker-local
    ");
    e.transcript(
        r#"
$ storage:report --global --storage-entry.a-data.mounted-by
node-js-app
$ storage:wait a-data
"#,
    );
}

#[test]
fn migrate_drains_legacy_volume_options() {
    let e = Env::new();
    e.create_app("node-js-app");
    let host = e.dir.path().join("logs");
    std::fs::create_dir_all(&host).expect("mkdir");
    let v = format!("-v {}:/app/logs", host.display());
    e.run(&["docker-options:add", "node-js-app", "deploy,run", &v])
        .ok();
    e.run(&[
        "docker-options:add",
        "node-js-app",
        "build",
        &v,
        "--ulimit nofile=12",
    ])
    .ok();
    e.transcript(
        r#"
$ docker-options:add node-js-app deploy '--ulimit nofile=12'
...
$ docker-options:add --process web node-js-app deploy '-v cache:/cache:ro'
...
"#,
    );

    let before = e.state();
    e.transcript(
        r#"
$ storage:migrate
 !     storage:migrate requires an app name (or --all)
$ storage:migrate node-js-app --all
 !     storage:migrate accepts either an app name or --all, not both
$ storage:migrate missing
 !     App missing does not exist
"#,
    );
    assert_eq!(before, e.state());

    let r = e.run(&["storage:migrate", "node-js-app"]);
    let legacy_logs = format!(
        "legacy-{}",
        &entry_name_suffix(&e, &host.display().to_string())
    );
    let out = r.ok().to_string();
    assert!(
        out.starts_with("-----> Migrated legacy mounts for node-js-app\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{}:/app/logs -> storage entry {legacy_logs}",
            host.display()
        )),
        "{out}"
    );
    let a = attachments(&e, "node-js-app");
    assert_eq!(a.len(), 2, "{a:?}");
    assert_eq!(a[0]["phases"], serde_json::json!(["deploy", "run"]));
    assert_eq!(a[1]["process_type"], "web");
    assert_eq!(a[1]["readonly"], true);
    let opts = |k: &str| {
        std::fs::read_to_string(e.lib().join("config/docker-options/node-js-app").join(k))
            .unwrap_or_default()
    };
    assert_eq!(opts("_default_.deploy"), "--ulimit nofile=12\n");
    assert_eq!(opts("_default_.run"), "");
    assert_eq!(opts("web.deploy"), "");
    assert_eq!(
        opts("_default_.build"),
        format!("{v}\n--ulimit nofile=12\n"),
        "build mounts stay in docker-options"
    );
    assert_eq!(
        e.lib_file("config/storage/node-js-app/legacy-mounts-migrated"),
        "true"
    );
    assert!(!e.lib().join("config/storage/.migrated").exists());
    e.expect(
        &["storage:report", "node-js-app", "--storage-build-mounts"],
        format!("-v {}:/app/logs\n", host.display()),
    );
    e.expect(
        &["storage:report", "node-js-app", "--storage-deploy-mounts"],
        format!("-v {}:/app/logs\n", host.display()),
    );
    // Idempotent.
    let state = e.state();
    e.expect(
        &["storage:migrate", "--all"],
        "-----> No legacy mounts to migrate for node-js-app\n",
    );
    assert_eq!(state, e.state());
}

/// The hash part of the legacy entry made for a host path.
fn entry_name_suffix(e: &Env, host: &str) -> String {
    let dir = e.lib().join("data/storage-registry/entries");
    for f in std::fs::read_dir(dir).expect("entries").flatten() {
        let j: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f.path()).expect("read")).expect("json");
        if j["host_path"] == host {
            return j["name"]
                .as_str()
                .expect("name")
                .trim_start_matches("legacy-")
                .to_string();
        }
    }
    panic!("no entry for {host}");
}

#[test]
fn report_covers_every_app() {
    let e = Env::new();
    // With no apps Dokku's reports warn and succeed.
    e.warns_no_apps(&["storage:report"]);
    e.create_app("node-js-app");
    e.create_app("python-sample");
    e.run(&["storage:ensure-directory", "node-js-app"]).ok();
    let spec = format!(
        "{}/data/storage/node-js-app:/app/storage",
        e.lib().display()
    );
    e.run(&["storage:mount", "node-js-app", &spec]).ok();
    let r = e.run(&["storage:report", "--storage-run-mounts"]);
    assert_eq!(
        e.filter(r.ok()),
        "-v $DOKKU_LIB_ROOT/data/storage/node-js-app:/app/storage\n\n"
    );
    let text = e.run(&["storage:report"]).ok().to_string();
    assert!(
        text.contains("=====> node-js-app storage information\n"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "=====> python-sample storage information\n       Storage build mounts:          \n       Storage deploy mounts:         \n       Storage run mounts:            \n"
        ),
        "{text:?}"
    );
    e.transcript(
        r#"
$ storage:report missing
 !     App missing does not exist
$ storage:report node-js-app --storage-bogus
 !     Invalid flag passed, valid flags: --storage-attachment.1.container-path, --storage-attachment.1.entry-name, --storage-attachment.1.host-path, --storage-attachment.1.phases, --storage-attachment.1.process-type, --storage-attachment.1.readonly, --storage-attachment.1.subpath, --storage-attachment.1.volume-chown, --storage-attachment.1.volume-options, --storage-build-mounts, --storage-deploy-mounts, --storage-run-mounts
"#,
    );
    // Two info flags: Dokku's storage report silently does nothing.
    let r = e.run(&[
        "storage:report",
        "node-js-app",
        "--storage-run-mounts",
        "--storage-build-mounts",
    ]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    // `dokku report` includes both plugins' sections.
    let all = e.run(&["report", "node-js-app"]).ok().to_string();
    assert!(
        all.contains("=====> node-js-app storage information")
            && all.contains("=====> node-js-app docker options information"),
        "{all}"
    );
}

#[test]
fn help_lists_storage_commands() {
    let e = Env::new();
    let help = e.run(&["storage:help"]).ok().to_string();
    assert!(
        help.starts_with("Usage: dokku storage[:COMMAND]\n\nManage mounted volumes\n"),
        "{help}"
    );
    assert!(
        help.contains("storage:mount <app> <host-dir:container-dir>"),
        "{help}"
    );
    assert!(help.contains("storage:migrate [<app>|--all]"), "{help}");
}

mod real_docker {
    //! `storage:exec` against this machine's Docker engine, with a busybox
    //! image built locally.

    use dokku_docker::testing::{busybox_image, unique_name, Cleanup};
    use dokku_docker::{ContainerEngine, ContainerFilter, DockerEngine};

    use crate::harness::{Env, Run};

    #[test]
    fn exec_runs_a_temporary_container_with_the_entry_mounted() {
        let engine = DockerEngine::connect().expect("the docker engine of this machine answers");
        let mut cleanup = Cleanup::new(&engine);
        let tag = cleanup.image(format!("{}:latest", unique_name("storage-exec")));
        busybox_image(&engine, &tag).expect("build busybox image");
        let e = Env::new();
        // A per-test entry name, so the label filter below sees only ours.
        let name = format!("exec-{}", std::process::id());
        e.run(&["storage:create", &name, "--chown", "heroku"]).ok();
        // Another plugin sees the scheduler-storage-exec call docker-local
        // answers.
        let calls = e.call_log_hook("exec-spy", "scheduler-storage-exec");
        let run = |args: &[&str], input: &[u8]| {
            let mut c = e.cmd(args);
            c.env("DOKKU_STORAGE_EXEC_IMAGE", &tag);
            if let Ok(h) = std::env::var("DOCKER_HOST") {
                c.env("DOCKER_HOST", h);
            }
            c.stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            let mut child = c.spawn().expect("spawn");
            {
                use std::io::Write;
                let mut stdin = child.stdin.take().expect("stdin");
                stdin.write_all(input).expect("stdin");
            }
            Run::from(child.wait_with_output().expect("wait"))
        };
        let r = run(
            &[
                "storage:exec",
                &name,
                "--",
                "sh",
                "-c",
                "pwd; id -u; echo kept > /data/out.txt; echo oops >&2; exit 3",
            ],
            b"",
        );
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (3, "/data\n1000\n", "oops\n")
        );
        assert_eq!(
            std::fs::read_to_string(&calls).expect("calls"),
            format!("docker-local {name} {tag} --interactive --as-user 1000 -- sh -c pwd; id -u; echo kept > /data/out.txt; echo oops >&2; exit 3\n")
        );
        let file = e.lib().join(format!("data/storage/{name}/out.txt"));
        assert_eq!(
            std::fs::read_to_string(&file).expect("written on the host"),
            "kept\n"
        );
        // The shell reads its commands from stdin when none is given.
        let r = run(
            &["storage:exec", &name, "--as-user", "root"],
            b"id -u; cat out.txt\n",
        );
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (0, "0\nkept\n"),
            "{}",
            r.stderr
        );
        let left = engine
            .list_containers(&ContainerFilter::label(format!(
                "{}={name}",
                dokku_storage_label()
            )))
            .expect("list");
        assert!(
            left.is_empty(),
            "temporary containers are removed: {left:?}"
        );

        let mut c = e.cmd(&["storage:exec", &name, "--", "true"]);
        c.env("DOKKU_STORAGE_EXEC_IMAGE", "dokku-test-missing-image:none");
        let r = Run::from(c.output().expect("run"));
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (1, "", " !     Image dokku-test-missing-image:none not found locally; storage:exec does not pull images\n")
        );
        e.transcript(
            r#"
$ storage:exec
 !     storage:exec requires a storage entry name
$ storage:exec missing
 !     storage entry "missing" does not exist
"#,
        );
    }

    fn dokku_storage_label() -> &'static str {
        "com.dokku.storage-entry"
    }
}

#[test]
fn legacy_mount_of_missing_host_dir_is_accepted_and_wait_checks_it() {
    let e = Env::new();
    e.create_app("node-js-app");
    let host = e.dir.path().join("not-yet");
    let spec = format!("{}:/app/storage", host.display());
    let r = e.run(&["storage:mount", "node-js-app", &spec]);
    assert_eq!((r.ok(), r.stderr.as_str()), ("", ""));
    assert!(!host.exists(), "the mount does not make the directory");
    let a = attachments(&e, "node-js-app");
    assert_eq!(a.len(), 1, "{a:?}");
    let name = a[0]["entry_name"].as_str().expect("name").to_string();
    assert_eq!(a[0]["container_path"], "/app/storage");
    assert_eq!(
        entry_json(&e, &name)["host_path"],
        host.display().to_string()
    );
    e.expect(
        &["--quiet", "storage:list", "node-js-app"],
        format!("{spec}\n"),
    );
    e.fails(
        &["storage:mount", "node-js-app", &spec],
        "Mount path already exists.",
    );

    e.fails(
        &["storage:wait", &name],
        &format!(
            "storage entry {name:?} host path {} is not present",
            host.display()
        ),
    );
    std::fs::create_dir_all(&host).expect("mkdir");
    e.expect(&["storage:wait", &name], "");
}

#[test]
fn legacy_prefix_is_reserved_for_user_entries() {
    let e = Env::new();
    let before = e.state();
    e.fails(
        &["storage:create", "legacy-mine"],
        "storage entry name \"legacy-mine\" uses the reserved \"legacy-\" prefix",
    );
    assert_eq!(before, e.state());
    // ensure-directory still makes the directory but registers no entry.
    e.run(&["storage:ensure-directory", "legacy-dir"]).ok();
    assert!(e.lib().join("data/storage/legacy-dir").is_dir());
    assert!(!e
        .lib()
        .join("data/storage-registry/entries/legacy-dir.json")
        .exists());
    // Names merely starting with "legacy" are fine.
    e.run(&["storage:create", "legacyish"]).ok();
}

#[test]
fn mode_is_shown_with_four_octal_digits() {
    let e = Env::new();
    e.run(&["storage:create", "node-js-data", "--mode", "755"])
        .ok();
    assert_eq!(entry_json(&e, "node-js-data")["mode"], "0755");
    let info = e.run(&["storage:info", "node-js-data"]).ok().to_string();
    assert!(info.contains("       Mode:             0755\n"), "{info}");
    e.run(&["storage:set", "node-js-data", "mode", "700"]).ok();
    assert_eq!(mode(&e.lib().join("data/storage/node-js-data")), 0o700);
    let info = e.run(&["storage:info", "node-js-data"]).ok().to_string();
    assert!(info.contains("       Mode:             0700\n"), "{info}");
    assert_eq!(entry_json(&e, "node-js-data")["mode"], "0700");
}

#[test]
fn report_skips_attachments_whose_entry_is_gone() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ storage:create gone-data
...
$ storage:create kept-data
...
"#,
    );
    for (n, dir) in [("gone-data", "/gone"), ("kept-data", "/kept")] {
        e.run(&["storage:mount", "node-js-app", n, "--container-dir", dir])
            .ok();
    }
    std::fs::remove_file(e.lib().join("data/storage-registry/entries/gone-data.json"))
        .expect("rm entry");
    let r = e.run(&["storage:report", "node-js-app"]);
    let out = e.filter(r.ok());
    assert!(
        !out.contains("gone-data") && !out.contains("attachment 2"),
        "{out}"
    );
    assert!(
        out.contains("Storage attachment 1 entry name:     kept-data\n"),
        "{out}"
    );
    assert!(
        r.stderr
            .contains("Skipping attachment on \"node-js-app\": missing entry \"gone-data\""),
        "{}",
        r.stderr
    );
    let json = e
        .run(&["storage:report", "node-js-app", "--format", "json"])
        .ok()
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["attachment.1.entry-name"], "kept-data");
    assert!(v.get("attachment.2.entry-name").is_none(), "{json}");
}

#[test]
fn migrate_turns_the_old_flag_file_into_the_property() {
    let e = Env::new();
    e.create_app("node-js-app");
    let flag = e.lib().join("data/storage-registry/migrations/node-js-app");
    std::fs::create_dir_all(flag.parent().expect("parent")).expect("mkdir");
    std::fs::write(&flag, "").expect("flag");
    let marker = e
        .lib()
        .join("config/storage/node-js-app/legacy-mounts-migrated");
    e.expect(
        &["storage:migrate", "node-js-app"],
        "-----> No legacy mounts to migrate for node-js-app\n",
    );
    assert!(!flag.exists(), "the flag file is gone");
    assert_eq!(std::fs::read_to_string(&marker).expect("marker"), "true");
    assert_eq!(
        e.run(&["storage:report", "node-js-app", "--format", "json"])
            .code,
        0
    );
    // An app without a flag and without -v options gets no marker.
    e.create_app("other-app");
    e.run(&["storage:migrate", "other-app"]).ok();
    assert!(!e
        .lib()
        .join("config/storage/other-app/legacy-mounts-migrated")
        .exists());
}

#[test]
fn wait_asks_storage_status_for_entries_of_other_schedulers() {
    let e = Env::new();
    e.run(&["storage:create", "cluster-data"]).ok();
    // An entry another scheduler made (this host creates docker-local ones
    // only): its state comes from the storage-status answer.
    let entries = e.lib().join("data/storage-registry/entries");
    let text = std::fs::read_to_string(entries.join("cluster-data.json")).expect("entry");
    std::fs::write(
        entries.join("cluster-data.json"),
        text.replace("\"docker-local\"", "\"k3s\""),
    )
    .expect("write entry");
    e.fails(
        &["storage:wait", "cluster-data"],
        "storage entry \"cluster-data\" is Pending, not Bound",
    );
    let log = e.dir.path().join("status.log");
    e.enabled_hook(
        "status-answer",
        "storage-status",
        &format!(
            "echo \"$*\" >> \"{}\"\ncat \"{}\"\n",
            log.display(),
            e.dir.path().join("state").display()
        ),
    );
    std::fs::write(e.dir.path().join("state"), "Lost\n").expect("state");
    e.fails(
        &["storage:wait", "cluster-data"],
        "storage entry \"cluster-data\" is Lost, not Bound",
    );
    std::fs::write(e.dir.path().join("state"), "Bound\n").expect("state");
    e.expect(&["storage:wait", "cluster-data"], "");
    assert_eq!(
        std::fs::read_to_string(&log).expect("log"),
        "cluster-data\ncluster-data\n"
    );
    // docker-local entries need no answer.
    e.transcript(
        r#"
$ storage:create local-data
...
$ storage:wait local-data
"#,
    );
    assert_eq!(
        std::fs::read_to_string(&log).expect("log").lines().count(),
        2
    );
}

#[test]
fn mounts_live_in_the_mounts_property_and_old_attachments_are_renamed() {
    let e = Env::new();
    e.create_app("node-js-app");
    e.transcript(
        r#"
$ storage:create app-data
...
$ storage:mount node-js-app app-data --container-dir /data
...
"#,
    );
    let dir = e.lib().join("config/storage/node-js-app");
    assert_eq!(attachments(&e, "node-js-app").len(), 1);
    let listed = e
        .run(&["--quiet", "storage:list", "node-js-app"])
        .ok()
        .to_string();
    // An earlier build's property name: still read, renamed at install.
    std::fs::rename(dir.join("mounts"), dir.join("attachments")).expect("rename");
    e.expect(&["--quiet", "storage:list", "node-js-app"], listed.clone());
    e.run(&["plugin:install", "--core"]).ok();
    assert!(!dir.join("attachments").exists());
    assert_eq!(attachments(&e, "node-js-app").len(), 1);
    e.expect(&["--quiet", "storage:list", "node-js-app"], listed);
    assert!(e.lib().join("data/storage-registry/migrations").is_dir());
}
