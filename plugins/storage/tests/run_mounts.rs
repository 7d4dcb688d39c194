//! The run-phase mounts of an app, collected through the typed trigger,
//! given to a real container through the Docker crate: what the container
//! writes lands on the host and outlives the container.

use std::collections::BTreeMap;
use std::sync::Arc;

use dokku_core::Paths;
use dokku_docker::testing::{busybox_image, unique_name, Cleanup, TEST_LABEL};
use dokku_docker::{ContainerEngine, ContainerFilter, ContainerSpec, DockerEngine};
use dokku_output::Output;
use dokku_storage::attach::{self, MountRequest};
use dokku_storage::entries::{self, CreateRequest};
use dokku_trigger::triggers::{ContainerArgs, DockerArgsProcessDeploy, DockerArgsProcessRun};
use dokku_trigger::{Bus, Ctx, Flags};

fn ctx(dir: &std::path::Path) -> (Ctx, dokku_output::Captured) {
    let paths = Paths::for_roots(&dir.join("home"), &dir.join("lib"));
    std::fs::create_dir_all(paths.app_dir("node-js-app")).expect("app dir");
    let mut bus = Bus::new();
    (dokku_storage::PLUGIN.register)(&mut bus);
    let (out, cap) = Output::captured(false);
    (Ctx::new(paths, out, Flags::default(), Arc::new(bus)), cap)
}

/// Create the storage entry `name` with the default settings.
fn create_entry(ctx: &Ctx, name: &str) {
    entries::create(
        ctx,
        &CreateRequest {
            name: name.into(),
            ..Default::default()
        },
    )
    .expect("create");
}

fn run_mounts(ctx: &Ctx) -> ContainerArgs {
    let t = DockerArgsProcessRun {
        app: "node-js-app".into(),
        image_source_type: "dockerfile".into(),
        image_tag: "latest".into(),
    };
    ContainerArgs::merge(ctx.bus.collect(ctx, &t).expect("collect"))
}

#[test]
fn typed_mounts_follow_phases_and_process_types() {
    let d = tempfile::tempdir().expect("tempdir");
    let (ctx, cap) = ctx(d.path());
    create_entry(&ctx, "node-js-data");
    create_entry(&ctx, "web-cache");
    let mount = |name: &str, dir: &str, phases: &[&str], proc_: Option<&str>| {
        attach::mount_named(
            &ctx,
            &MountRequest {
                app: "node-js-app".into(),
                name: name.into(),
                container_dir: Some(dir.into()),
                phases: phases.iter().map(|p| p.to_string()).collect(),
                process_type: proc_.map(str::to_string),
                volume_options: Some("Z".into()),
                ..Default::default()
            },
        )
        .expect("mount")
    };
    mount("node-js-data", "/app/storage", &[], None);
    mount("web-cache", "/cache", &["deploy"], Some("web"));
    let run = run_mounts(&ctx);
    assert_eq!(run.mounts.len(), 1);
    assert_eq!(run.mounts[0].entry_name, "node-js-data");
    assert_eq!(run.mounts[0].target, "/app/storage");
    assert!(run.options.is_empty());
    let deploy = |proc_: &str| {
        let t = DockerArgsProcessDeploy {
            app: "node-js-app".into(),
            proc_type: proc_.into(),
            ..Default::default()
        };
        ContainerArgs::merge(ctx.bus.collect(&ctx, &t).expect("collect"))
    };
    assert_eq!(deploy("worker").mounts.len(), 1);
    let web = deploy("web");
    let host = ctx.paths.lib_root.join("data/storage");
    assert_eq!(
        web.to_docker_args(),
        format!(
            "-v {}/node-js-data:/app/storage:Z -v {}/web-cache:/cache:Z",
            host.display(),
            host.display()
        )
    );
    // A missing entry file degrades to a warning.
    std::fs::remove_file(
        ctx.paths
            .lib_root
            .join("data/storage-registry/entries/web-cache.json"),
    )
    .expect("rm");
    assert_eq!(deploy("web").mounts.len(), 1);
    assert!(
        cap.stderr()
            .contains("Skipping attachment on \"node-js-app\": missing entry \"web-cache\""),
        "{}",
        cap.stderr()
    );
}

#[test]
fn a_file_written_in_a_mounted_dir_outlives_the_container() {
    let d = tempfile::tempdir().expect("tempdir");
    let (ctx, _cap) = ctx(d.path());
    create_entry(&ctx, "node-js-data");
    attach::mount_named(
        &ctx,
        &MountRequest {
            app: "node-js-app".into(),
            name: "node-js-data".into(),
            container_dir: Some("/app/storage".into()),
            phases: vec!["run".into()],
            ..Default::default()
        },
    )
    .expect("mount");
    let args = run_mounts(&ctx);
    assert_eq!(args.mounts.len(), 1);

    let engine = DockerEngine::connect().expect("the docker engine of this machine answers");
    let mut cleanup = Cleanup::new(&engine);
    let tag = cleanup.image(format!("{}:latest", unique_name("storage-run-mounts")));
    busybox_image(&engine, &tag).expect("build busybox image");
    let name = cleanup.container(unique_name("storage-run-mounts"));
    let mut spec = ContainerSpec::new(tag.clone());
    spec.name = Some(name.clone());
    spec.labels = BTreeMap::from([(TEST_LABEL.to_string(), name.clone())]);
    spec.mounts = args
        .mounts
        .iter()
        .map(dokku_storage::exec::engine_mount)
        .collect();
    spec.cmd = Some(vec![
        "sh".into(),
        "-c".into(),
        "echo persisted > /app/storage/upload.txt".into(),
    ]);
    let id = engine.create_container(&spec).expect("create container");
    engine.start_container(&id).expect("start");
    assert_eq!(engine.wait_container(&id).expect("wait"), 0);
    engine.remove_container(&id, true).expect("remove");
    let left = engine
        .list_containers(&ContainerFilter::label(format!("{TEST_LABEL}={name}")))
        .expect("list");
    assert!(left.is_empty(), "container removed: {left:?}");

    let file = ctx
        .paths
        .lib_root
        .join("data/storage/node-js-data/upload.txt");
    assert_eq!(
        std::fs::read_to_string(&file).expect("file on the host"),
        "persisted\n"
    );

    // A second container sees what the first one left.
    let mut spec2 = spec.clone();
    let name2 = cleanup.container(unique_name("storage-run-mounts"));
    spec2.name = Some(name2);
    spec2.cmd = Some(vec!["cat".into(), "/app/storage/upload.txt".into()]);
    let out = engine.run_to_completion(&spec2, None).expect("run");
    assert_eq!(out.stdout_lossy(), "persisted\n");
}
