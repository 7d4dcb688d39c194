//! Integration tests of `DockerEngine` against the real docker engine of this machine.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use dokku_docker::testing::{
    busybox_context, busybox_image, docker_cli, unique_name, Cleanup, TEST_LABEL,
};
use dokku_docker::{
    AttachIo, BuildContext, BuildSpec, CommitSpec, ContainerEngine, ContainerFilter, ContainerSpec,
    DockerEngine, EngineError, ExecSpec, ImageFilter, LogOptions, LogStream, Mount, NetworkSpec,
    PortBinding, Protocol, VolumeSpec,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A connection to this machine's engine, kept for the rest of the test
/// process so that cleanup guards can borrow it.
fn engine() -> &'static DockerEngine {
    Box::leak(Box::new(
        DockerEngine::connect().expect("the docker engine of this machine answers"),
    ))
}

/// What [`busybox_fixture`] gives a test.
type Fixture = (&'static DockerEngine, String, Cleanup<'static>, String);

/// The engine, a test's unique name, a cleanup guard, and a busybox image
/// named after the test (its name, then `suffix`) which the guard removes.
fn busybox_fixture(test: &str, suffix: &str) -> Result<Fixture, Box<dyn std::error::Error>> {
    let engine = engine();
    let name = unique_name(test);
    let mut cleanup = Cleanup::new(engine);
    let image = cleanup.image(format!("{name}{suffix}"));
    busybox_image(engine, &image)?;
    Ok((engine, name, cleanup, image))
}

fn test_labels(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(TEST_LABEL.to_string(), name.to_string())])
}

/// A container spec running `script` with busybox's `sh`, labelled for the test.
fn sh(image: &str, name: &str, script: &str) -> ContainerSpec {
    let mut spec = ContainerSpec::new(image);
    spec.name = Some(name.to_string());
    spec.cmd = Some(vec!["sh".into(), "-c".into(), script.into()]);
    spec.labels = test_labels(name);
    spec
}

/// Create and start the container `name` (which `cleanup` removes)
/// running `script` with busybox's `sh`; its name.
fn start_sh(
    engine: &DockerEngine,
    cleanup: &mut Cleanup,
    image: &str,
    name: String,
    script: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let container = cleanup.container(name);
    engine.create_container(&sh(image, &container, script))?;
    engine.start_container(&container)?;
    Ok(container)
}

/// A build context holding only `dockerfile`.
fn dockerfile_context(dockerfile: &str) -> Result<BuildContext, Box<dyn std::error::Error>> {
    let mut archive = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(dockerfile.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    archive.append_data(&mut header, "Dockerfile", dockerfile.as_bytes())?;
    Ok(BuildContext::Tar(archive.into_inner()?))
}

/// Polls `check` until it is true or `timeout` has passed.
fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    check()
}

#[test]
fn version_is_negotiated_with_the_engine() -> TestResult {
    let engine = engine();
    engine.ping()?;
    let version = engine.version()?;
    assert!(!version.server_version.is_empty());
    assert!(version.api_version.starts_with("1."), "{version:?}");
    // The client speaks the older of the engine's API and its own (1.45).
    let server: Vec<u32> = version
        .api_version
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let expected = if server < vec![1, 45] {
        version.api_version.clone()
    } else {
        "1.45".to_string()
    };
    assert_eq!(version.client_api_version, expected);
    assert_eq!(engine.api_version(), expected);
    Ok(())
}

#[test]
fn default_log_driver_is_the_daemons() -> TestResult {
    let out = Command::new("docker")
        .args(["info", "--format", "{{.LoggingDriver}}"])
        .output()?;
    assert!(out.status.success());
    let expected = String::from_utf8(out.stdout)?.trim().to_string();
    assert_eq!(engine().default_log_driver()?, expected);
    Ok(())
}

#[test]
fn build_memory_limits_reach_run_steps() -> TestResult {
    let (engine, name, mut cleanup, base) = busybox_fixture("build-memory", "-base:latest")?;
    let tag = cleanup.image(format!("{name}:latest"));
    let dockerfile = format!(
        "FROM {base}\nRUN echo \"limit $(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)\"\n"
    );
    let mut spec = BuildSpec::new(dockerfile_context(&dockerfile)?);
    spec.tags = vec![tag];
    spec.labels = test_labels(&name);
    spec.memory = Some(72 << 20);
    spec.memory_swap = Some(144 << 20);
    let mut lines = Vec::new();
    engine.build_image(&spec, &mut |l| lines.push(l.to_string()))?;
    let want = format!("limit {}", 72u64 << 20);
    assert!(lines.contains(&want), "{lines:?}");
    Ok(())
}

#[test]
fn build_streams_output_and_applies_labels_and_tags() -> TestResult {
    let (engine, name, mut cleanup, base) = busybox_fixture("build", "-base")?;

    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("Dockerfile.dokku"),
        format!(
            "FROM {base}\n\
             ARG GREETING\n\
             ENV APP_GREETING=$GREETING\n\
             LABEL from.dockerfile=yes\n\
             EXPOSE 5000 53/udp\n\
             WORKDIR /app\n\
             COPY hello.txt /app/\n\
             RUN echo built with $GREETING\n\
             CMD [\"cat\", \"/app/hello.txt\"]\n"
        ),
    )?;
    std::fs::write(dir.path().join("hello.txt"), "hello from the context\n")?;

    let first = cleanup.image(format!("{name}:v1"));
    let second = cleanup.image(format!("{name}:latest"));
    let mut spec = BuildSpec::new(BuildContext::Directory(dir.path().to_path_buf()));
    spec.dockerfile = Some("Dockerfile.dokku".into());
    spec.tags = vec![first.clone(), second.clone()];
    spec.build_args.insert("GREETING".into(), "howdy".into());
    spec.labels = test_labels(&name);
    spec.labels
        .insert("com.dokku.app-name".into(), "app".into());
    let mut lines = Vec::new();
    let built = engine.build_image(&spec, &mut |line| lines.push(line.to_string()))?;

    assert!(built.id.starts_with("sha256:"), "{built:?}");
    assert!(lines.iter().any(|l| l.starts_with("Step 1/")), "{lines:#?}");
    assert!(lines.iter().any(|l| l == "built with howdy"), "{lines:#?}");
    assert!(lines.iter().all(|l| !l.contains('\n')), "{lines:#?}");

    let info = engine.image_inspect(&first)?;
    assert_eq!(info.id, built.id);
    assert_eq!(info.labels.get(TEST_LABEL), Some(&name));
    assert_eq!(
        info.labels.get("com.dokku.app-name").map(String::as_str),
        Some("app")
    );
    assert_eq!(
        info.labels.get("from.dockerfile").map(String::as_str),
        Some("yes")
    );
    assert_eq!(info.exposed_ports, ["5000/tcp", "53/udp"]);
    assert!(
        info.env.iter().any(|e| e == "APP_GREETING=howdy"),
        "{:?}",
        info.env
    );
    assert_eq!(info.working_dir.as_deref(), Some("/app"));
    assert_eq!(
        info.cmd,
        Some(vec!["cat".to_string(), "/app/hello.txt".to_string()])
    );
    assert_eq!(engine.image_inspect(&second)?.id, built.id);
    assert!(engine.image_exists(&second)?);

    let listed = engine.list_images(&ImageFilter::label(format!("{TEST_LABEL}={name}")))?;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].id, built.id);
    let mut tags = listed[0].repo_tags.clone();
    tags.sort();
    assert_eq!(tags, [second.clone(), first.clone()]);

    let output =
        engine.run_to_completion(&sh(&first, &format!("{name}-run"), "cat hello.txt"), None)?;
    assert_eq!(output.stdout_lossy(), "hello from the context\n");

    // A retag, then removing one tag keeps the image under the other.
    let third = cleanup.image(format!("{name}:v3"));
    engine.tag_image(&first, &third)?;
    engine.remove_image(&first, false)?;
    assert!(!engine.image_exists(&first)?);
    assert!(engine.image_exists(&third)?);
    Ok(())
}

#[test]
fn a_failing_build_step_is_a_build_failure() -> TestResult {
    let (engine, name, mut cleanup, base) = busybox_fixture("build-fail", "-base")?;

    let dockerfile = format!("FROM {base}\nRUN echo before failing && exit 3\n");
    let mut spec = BuildSpec::new(dockerfile_context(&dockerfile)?);
    spec.tags = vec![cleanup.image(name.clone())];
    spec.labels = test_labels(&name);

    let mut lines = Vec::new();
    let err = engine
        .build_image(&spec, &mut |line| lines.push(line.to_string()))
        .expect_err("the RUN step fails");
    match &err {
        EngineError::BuildFailed { tag, message } => {
            assert_eq!(tag, &name);
            assert!(message.contains("returned a non-zero code: 3"), "{message}");
        }
        other => panic!("expected BuildFailed, got {other:?}"),
    }
    assert!(lines.iter().any(|l| l == "before failing"), "{lines:#?}");
    assert!(!engine.image_exists(&name)?);
    Ok(())
}

#[test]
fn missing_objects_are_not_found() -> TestResult {
    let engine = engine();
    let name = unique_name("missing");
    let mut cleanup = Cleanup::new(engine);

    assert!(!engine.image_exists(&name)?);
    assert!(engine.image_inspect(&name).is_err_and(|e| e.is_not_found()));
    assert!(engine
        .inspect_container(&name)
        .is_err_and(|e| e.is_not_found()));
    assert!(engine
        .remove_container(&name, true)
        .is_err_and(|e| e.is_not_found()));
    assert!(engine
        .start_container(&name)
        .is_err_and(|e| e.is_not_found()));
    assert!(!engine.volume_exists(&name)?);

    cleanup.container(name.clone());
    let err = engine
        .create_container(&sh(&format!("{name}-no-such-image"), &name, "true"))
        .expect_err("the image does not exist");
    assert!(err.is_not_found(), "{err:?}");
    Ok(())
}

#[test]
fn container_lifecycle_with_env_labels_mounts_logs_exec_and_rename() -> TestResult {
    let host_dir = tempfile::tempdir()?;
    let (engine, name, mut cleanup, image) = busybox_fixture("lifecycle", "")?;

    let container = cleanup.container(name.clone());
    let renamed = cleanup.container(format!("{name}-renamed"));
    let mut spec = sh(
        &image,
        &container,
        "echo hello stdout; echo hello stderr >&2; echo \"$GREETING\" > /data/out.txt; exec sleep 300",
    );
    spec.env = vec!["GREETING=hi there".into()];
    spec.labels
        .insert("com.dokku.app-name".into(), "lifecycle".into());
    spec.mounts = vec![Mount::bind(host_dir.path(), "/data")];
    spec.restart_policy = Some("on-failure:10".parse()?);
    spec.ports = vec![PortBinding {
        container_port: 5000,
        protocol: Protocol::Tcp,
        host_ip: Some("127.0.0.1".into()),
        host_port: None,
    }];
    let id = engine.create_container(&spec)?;

    let created = engine.inspect_container(&container)?;
    assert_eq!(created.id, id);
    assert_eq!(created.name, container);
    assert_eq!(created.status, "created");
    assert!(!created.running);

    engine.start_container(&id)?;
    let info = engine.inspect_container(&container)?;
    assert!(info.running, "{info:?}");
    assert_eq!(info.status, "running");
    assert_eq!(info.image_id, engine.image_inspect(&image)?.id);
    assert_eq!(
        info.labels.get("com.dokku.app-name").map(String::as_str),
        Some("lifecycle")
    );
    assert!(
        info.env.iter().any(|e| e == "GREETING=hi there"),
        "{:?}",
        info.env
    );
    let ip = info
        .ip_address("bridge")
        .expect("an address on the bridge network");
    assert!(ip.parse::<std::net::Ipv4Addr>().is_ok(), "{ip}");
    assert_eq!(info.first_ip_address(), Some(ip));
    assert_eq!(info.ports.len(), 1, "{:?}", info.ports);
    assert_eq!(info.ports[0].container_port, 5000);
    assert_eq!(info.ports[0].host_ip.as_deref(), Some("127.0.0.1"));
    assert!(
        info.ports[0].host_port.is_some_and(|p| p > 0),
        "{:?}",
        info.ports
    );

    // Logs arrive line by line, on the right stream.
    let mut lines = Vec::new();
    assert!(eventually(Duration::from_secs(10), || {
        lines.clear();
        engine
            .container_logs(&container, &LogOptions::default(), &mut |stream, line| {
                lines.push((stream, line.to_string()))
            })
            .is_ok()
            && lines.len() == 2
    }));
    lines.sort_by_key(|(stream, _)| *stream == LogStream::Stderr);
    assert_eq!(
        lines,
        [
            (LogStream::Stdout, "hello stdout".to_string()),
            (LogStream::Stderr, "hello stderr".to_string()),
        ]
    );
    let mut stamped = Vec::new();
    let options = LogOptions {
        timestamps: true,
        stderr: false,
        // The engine counts the tail over both streams, then filters.
        tail: Some(2),
        ..LogOptions::default()
    };
    engine.container_logs(&container, &options, &mut |_, line| {
        stamped.push(line.to_string())
    })?;
    assert_eq!(stamped.len(), 1, "{stamped:?}");
    assert!(stamped[0].ends_with(" hello stdout"), "{stamped:?}");
    assert!(stamped[0].starts_with("20"), "{stamped:?}");

    // Exec: output, exit codes, stdin, env, user and working directory.
    let out = engine.exec(&container, &ExecSpec::new(["cat", "/data/out.txt"]))?;
    assert_eq!(
        (out.exit_code, out.stdout_lossy().as_str()),
        (0, "hi there\n")
    );
    let failed = engine.exec(
        &container,
        &ExecSpec::new(["sh", "-c", "echo nope >&2; exit 3"]),
    )?;
    assert_eq!(
        (failed.exit_code, failed.stderr_lossy().as_str()),
        (3, "nope\n")
    );
    let mut with_stdin = ExecSpec::new(["sh", "-c", "tr a-z A-Z; echo \"$EXTRA $(pwd) $(id -u)\""]);
    with_stdin.stdin = Some(b"piped in\n".to_vec());
    with_stdin.env = vec!["EXTRA=extra".into()];
    with_stdin.working_dir = Some("/data".into());
    with_stdin.user = Some("1000".into());
    let piped = engine.exec(&container, &with_stdin)?;
    assert_eq!(piped.stdout_lossy(), "PIPED IN\nextra /data 1000\n");
    assert!(engine
        .exec(&format!("{name}-absent"), &ExecSpec::new(["true"]))
        .is_err_and(|e| e.is_not_found()));

    // Listing by label, renaming.
    let listed = engine.list_containers(&ContainerFilter::label(format!("{TEST_LABEL}={name}")))?;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].name(), Some(container.as_str()));
    assert_eq!(listed[0].state, "running");
    engine.rename_container(&container, &renamed)?;
    assert_eq!(engine.inspect_container(&id)?.name, renamed);
    assert!(engine
        .inspect_container(&container)
        .is_err_and(|e| e.is_not_found()));

    // Stop (sleep as PID 1 ignores SIGTERM: killed after the timeout).
    engine.stop_container(&renamed, Some(Duration::from_secs(1)))?;
    assert_eq!(engine.wait_container(&renamed)?, 137);
    let stopped = engine.inspect_container(&renamed)?;
    assert!(!stopped.running);
    assert_eq!(
        (stopped.status.as_str(), stopped.exit_code),
        ("exited", 137)
    );
    assert!(engine
        .list_containers(&ContainerFilter {
            labels: vec![format!("{TEST_LABEL}={name}")],
            ..ContainerFilter::default()
        })?
        .is_empty());

    engine.remove_container(&renamed, false)?;
    assert!(engine
        .inspect_container(&id)
        .is_err_and(|e| e.is_not_found()));
    // What the container wrote through the bind mount outlives it.
    assert_eq!(
        std::fs::read_to_string(host_dir.path().join("out.txt"))?,
        "hi there\n"
    );
    Ok(())
}

#[test]
fn wait_returns_the_exit_code_and_follow_streams_until_exit() -> TestResult {
    let (engine, name, mut cleanup, image) = busybox_fixture("wait", "")?;

    let container = start_sh(
        engine,
        &mut cleanup,
        &image,
        name.clone(),
        "for i in 1 2 3; do echo line $i; sleep 0.2; done; printf partial; exit 4",
    )?;
    let mut lines = Vec::new();
    let follow = LogOptions {
        follow: true,
        ..LogOptions::default()
    };
    engine.container_logs(&container, &follow, &mut |_, line| {
        lines.push(line.to_string())
    })?;
    // The engine itself may drop a last partial line when following.
    assert_eq!(lines[..3], ["line 1", "line 2", "line 3"]);
    assert_eq!(engine.wait_container(&container)?, 4);
    lines.clear();
    engine.container_logs(&container, &LogOptions::default(), &mut |_, line| {
        lines.push(line.to_string())
    })?;
    assert_eq!(lines, ["line 1", "line 2", "line 3", "partial"]);

    // A TTY container's logs are a raw stream, not multiplexed frames.
    let tty = cleanup.container(format!("{name}-tty"));
    let mut spec = sh(&image, &tty, "echo first; printf 'second\\nlast'");
    spec.tty = true;
    engine.create_container(&spec)?;
    engine.start_container(&tty)?;
    assert_eq!(engine.wait_container(&tty)?, 0);
    let mut tty_lines = Vec::new();
    engine.container_logs(&tty, &LogOptions::default(), &mut |stream, line| {
        tty_lines.push((stream, line.to_string()))
    })?;
    assert_eq!(
        tty_lines,
        [
            (LogStream::Stdout, "first".to_string()),
            (LogStream::Stdout, "second".to_string()),
        ]
    );
    // A known loss: the unterminated last line of a TTY log ("last").

    // Exec with a TTY: everything arrives as stdout.
    let running = start_sh(
        engine,
        &mut cleanup,
        &image,
        format!("{name}-running"),
        "exec sleep 300",
    )?;
    let mut tty_exec = ExecSpec::new(["sh", "-c", "echo out; echo err >&2; printf tail"]);
    tty_exec.tty = true;
    let output = engine.exec(&running, &tty_exec)?;
    assert_eq!(output.stdout_lossy(), "out\r\nerr\r\ntail");
    assert!(output.stderr.is_empty());
    // Waiting again on an exited container answers at once.
    assert_eq!(engine.wait_container(&container)?, 4);

    let killed = start_sh(
        engine,
        &mut cleanup,
        &image,
        format!("{name}-killed"),
        "exec sleep 300",
    )?;
    engine.kill_container(&killed, None)?;
    assert_eq!(engine.wait_container(&killed)?, 137);
    Ok(())
}

#[test]
fn run_to_completion_feeds_stdin_collects_output_and_removes_the_container() -> TestResult {
    let (engine, name, mut cleanup, image) = busybox_fixture("run", "")?;

    let container = cleanup.container(name.clone());
    let spec = sh(&image, &container, "cat; echo to stderr >&2; exit 7");
    let output = engine.run_to_completion(&spec, Some(b"from stdin\nsecond line"))?;
    assert_eq!(output.exit_code, 7);
    assert_eq!(output.stdout_lossy(), "from stdin\nsecond line");
    assert_eq!(output.stderr_lossy(), "to stderr\n");
    assert!(engine
        .inspect_container(&container)
        .is_err_and(|e| e.is_not_found()));

    // A large input, bigger than any pipe buffer, echoed back.
    let big: Vec<u8> = (0..2_000_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let echoed = engine.run_to_completion(&sh(&image, &container, "cat"), Some(&big))?;
    assert_eq!(echoed.exit_code, 0);
    assert!(echoed.stdout == big, "{} bytes back", echoed.stdout.len());

    // Without stdin, streaming lines; a TTY merges everything into stdout.
    let mut lines = Vec::new();
    let mut tty = sh(&image, &container, "echo out; echo err >&2");
    tty.tty = true;
    let code = engine.run_streaming(&tty, None, &mut |stream, line| {
        lines.push((stream, line.to_string()))
    })?;
    assert_eq!(code, 0);
    assert_eq!(
        lines,
        [
            (LogStream::Stdout, "out".to_string()),
            (LogStream::Stdout, "err".to_string()),
        ]
    );

    // A command that cannot start is an error, and the container is gone.
    let mut broken = ContainerSpec::new(image.clone());
    broken.name = Some(container.clone());
    broken.cmd = Some(vec!["/no/such/binary".into()]);
    let err = engine
        .run_to_completion(&broken, None)
        .expect_err("the command does not exist");
    assert!(matches!(err, EngineError::StartContainer { .. }), "{err:?}");
    assert!(engine
        .inspect_container(&container)
        .is_err_and(|e| e.is_not_found()));
    Ok(())
}

#[test]
fn create_container_refuses_a_name_in_use() -> TestResult {
    let (engine, name, mut cleanup, image) = busybox_fixture("conflict", "")?;

    let container = cleanup.container(name.clone());
    engine.create_container(&sh(&image, &container, "true"))?;
    let err = engine
        .create_container(&sh(&image, &container, "true"))
        .expect_err("the name is taken");
    assert!(err.is_conflict(), "{err:?}");
    assert!(
        matches!(err, EngineError::CreateContainer { .. }),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn named_volumes_persist_between_containers() -> TestResult {
    let (engine, name, mut cleanup, image) = busybox_fixture("volume", "")?;
    let volume = cleanup.volume(name.clone());
    let container = cleanup.container(name.clone());

    engine.create_volume(&VolumeSpec {
        name: volume.clone(),
        labels: test_labels(&name),
        ..VolumeSpec::default()
    })?;
    assert!(engine.volume_exists(&volume)?);

    let mut write = sh(&image, &container, "echo kept > /cache/file");
    write.mounts = vec![Mount::volume(&volume, "/cache")];
    assert_eq!(engine.run_to_completion(&write, None)?.exit_code, 0);

    let mut read = sh(&image, &container, "cat /cache/file; echo x > /cache/other");
    read.mounts = vec![Mount::volume(&volume, "/cache").read_only()];
    let output = engine.run_to_completion(&read, None)?;
    assert_eq!(output.stdout_lossy(), "kept\n");
    assert_ne!(output.exit_code, 0, "the read-only mount refused the write");
    assert!(
        output.stderr_lossy().contains("Read-only file system"),
        "{output:?}"
    );

    engine.remove_volume(&volume, false)?;
    assert!(!engine.volume_exists(&volume)?);
    Ok(())
}

#[test]
fn commit_makes_an_image_of_a_container() -> TestResult {
    let (engine, name, mut cleanup, image) = busybox_fixture("commit", "")?;
    let committed = cleanup.image(format!("{name}-committed:v1"));
    let container = start_sh(
        engine,
        &mut cleanup,
        &image,
        name.clone(),
        "echo committed content > /hello",
    )?;
    assert_eq!(engine.wait_container(&container)?, 0);
    let id = engine.commit_container(
        &container,
        &CommitSpec {
            reference: committed.clone(),
            changes: vec![
                "CMD [\"cat\", \"/hello\"]".into(),
                format!("LABEL {TEST_LABEL}={name}"),
            ],
            ..CommitSpec::default()
        },
    )?;
    assert_eq!(engine.image_inspect(&committed)?.id, id);
    assert_eq!(
        engine.image_inspect(&committed)?.labels.get(TEST_LABEL),
        Some(&name)
    );
    engine.remove_container(&container, false)?;

    let mut run = ContainerSpec::new(committed.clone());
    run.name = Some(container.clone());
    run.labels = test_labels(&name);
    let output = engine.run_to_completion(&run, None)?;
    assert_eq!(output.stdout_lossy(), "committed content\n");
    Ok(())
}

#[test]
fn load_image_reads_a_docker_save_archive() -> TestResult {
    let (engine, _, _cleanup, image) = busybox_fixture("load", ":saved")?;
    let id = engine.image_inspect(&image)?.id;

    let dir = tempfile::tempdir()?;
    let archive = dir.path().join("image.tar");
    let status = Command::new("docker")
        .args(["image", "save", "--output"])
        .arg(&archive)
        .arg(&image)
        .status()?;
    assert!(status.success(), "docker image save: {status}");
    engine.remove_image(&image, false)?;
    assert!(!engine.image_exists(&image)?);

    let reports = engine.load_image(&mut std::fs::File::open(&archive)?)?;
    assert_eq!(reports, [format!("Loaded image: {image}")]);
    assert_eq!(engine.image_inspect(&image)?.id, id);

    // Garbage is refused by the engine, as an error of the load.
    let err = engine
        .load_image(&mut &b"this is not a tar archive"[..])
        .expect_err("not an image archive");
    assert!(matches!(err, EngineError::LoadImage { .. }), "{err:?}");
    Ok(())
}

#[test]
fn the_busybox_test_context_is_self_contained() -> TestResult {
    let context = busybox_context()?;
    let mut archive = tar::Archive::new(context.as_slice());
    let mut names = Vec::new();
    for entry in archive.entries()? {
        names.push(entry?.path()?.display().to_string());
    }
    assert_eq!(names, ["Dockerfile", "busybox"]);
    Ok(())
}

#[test]
fn networks_are_created_inspected_listed_joined_with_aliases_and_removed() -> TestResult {
    let (engine, _, mut cleanup, image) = busybox_fixture("net-image", "")?;
    let net = cleanup.network(unique_name("net"));
    let other = cleanup.network(unique_name("net-other"));
    let mut spec = NetworkSpec {
        name: net.clone(),
        attachable: true,
        labels: test_labels(&net),
        ..NetworkSpec::default()
    };
    let id = engine.create_network(&spec)?;
    assert_eq!(id.len(), 64, "{id}");
    let again = engine.create_network(&spec).expect_err("the name is taken");
    assert!(again.is_conflict(), "{again:?}");
    spec.name = other.clone();
    engine.create_network(&spec)?;

    let info = engine.inspect_network(&net)?;
    assert_eq!(
        (info.id.as_str(), info.name.as_str(), info.driver.as_str()),
        (id.as_str(), net.as_str(), "bridge")
    );
    assert!(info.attachable && !info.internal && info.containers.is_empty());
    assert_eq!(info.labels.get(TEST_LABEL), Some(&net));
    assert!(!info.created.is_empty());
    let listed = engine.list_networks()?;
    let names: Vec<&str> = listed.iter().map(|n| n.name.as_str()).collect();
    assert!(
        names.contains(&"bridge") && names.contains(&net.as_str()),
        "{names:?}"
    );
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    let missing = engine
        .inspect_network(&unique_name("absent"))
        .expect_err("absent");
    assert!(missing.is_not_found(), "{missing:?}");

    // Created on one network with an alias, joined to another with two.
    let name = cleanup.container(unique_name("net-box"));
    let mut c = sh(&image, &name, "sleep 30");
    c.network = Some(net.clone());
    c.network_aliases = vec!["app.web".into()];
    let cid = engine.create_container(&c)?;
    engine.connect_network(&other, &cid, &["app.web".into(), "app.web.svc".into()])?;
    engine.start_container(&cid)?;
    let inspected = engine.inspect_container(&cid)?;
    let on_net = inspected.networks.get(&net).expect("on the first network");
    assert!(
        on_net.aliases.contains(&"app.web".to_string()),
        "{on_net:?}"
    );
    let on_other = inspected.networks.get(&other).expect("joined");
    assert!(
        on_other.aliases.contains(&"app.web".to_string())
            && on_other.aliases.contains(&"app.web.svc".to_string()),
        "{on_other:?}"
    );
    assert_eq!(
        engine.inspect_network(&other)?.containers,
        vec![cid.clone()]
    );

    // In use: the engine refuses, and the network stays.
    let busy = engine.remove_network(&net).expect_err("in use");
    assert_eq!(busy.status_code(), Some(403), "{busy:?}");
    engine.remove_container(&cid, true)?;
    engine.remove_network(&net)?;
    engine.remove_network(&other)?;
    let gone = engine.remove_network(&net).expect_err("gone");
    assert!(gone.is_not_found(), "{gone:?}");
    Ok(())
}

#[test]
fn run_attached_shows_the_created_container_to_its_hook_before_start() -> TestResult {
    let (engine, name, mut cleanup, image) = busybox_fixture("on-created", ":latest")?;
    let net = cleanup.network(format!("{name}-net"));
    engine.create_network(&NetworkSpec {
        name: net.clone(),
        driver: Some("bridge".into()),
        attachable: true,
        labels: test_labels(&name),
    })?;

    // The hook joins a network before the command runs: the command sees
    // two interfaces besides lo.
    let ok_name = cleanup.container(format!("{name}-ok"));
    let hook_engine = DockerEngine::connect()?;
    let hook_net = net.clone();
    let mut out = Vec::new();
    let mut collect = |_: LogStream, bytes: &[u8]| out.extend_from_slice(bytes);
    let io = AttachIo {
        on_created: Some(Box::new(move |id: &str| {
            let state = hook_engine
                .inspect_container(id)
                .map_err(|e| e.to_string())?
                .status;
            if state != "created" {
                return Err(format!("container is {state}"));
            }
            hook_engine
                .connect_network(&hook_net, id, &[])
                .map_err(|e| e.to_string())
        })),
        ..AttachIo::new(&mut collect)
    };
    let code = engine.run_attached(
        &sh(&image, &ok_name, "ls /sys/class/net | grep -vc '^lo$'"),
        io,
    )?;
    assert_eq!(code, 0);
    assert_eq!(String::from_utf8_lossy(&out).trim(), "2");
    assert!(
        engine.inspect_container(&ok_name).is_err(),
        "removed after the run"
    );

    // A refusing hook stops the run before it starts and removes the container.
    let refused_name = cleanup.container(format!("{name}-refused"));
    let mut out = Vec::new();
    let mut collect = |_: LogStream, bytes: &[u8]| out.extend_from_slice(bytes);
    let io = AttachIo {
        on_created: Some(Box::new(|_: &str| Err("no".to_string()))),
        ..AttachIo::new(&mut collect)
    };
    let err = engine
        .run_attached(&sh(&image, &refused_name, "echo ran"), io)
        .expect_err("refused");
    assert!(
        matches!(err, EngineError::Refused { ref message, .. } if message == "no"),
        "{err:?}"
    );
    assert!(out.is_empty());
    assert!(engine.inspect_container(&refused_name).is_err(), "removed");
    Ok(())
}

/// The image config as the docker CLI shows it, without the `Image` field
/// (a build records its parent there; a relabelled image keeps the one of
/// the image it was made from).
fn config_json(image: &str) -> serde_json::Value {
    let out = docker_cli(&["image", "inspect", "--format", "{{json .Config}}", image]);
    let mut v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    if let Some(m) = v.as_object_mut() {
        m.remove("Image");
    }
    v
}

#[test]
fn relabelling_without_a_build_gives_the_image_a_build_would() -> TestResult {
    let (engine, name, mut cleanup, base) = busybox_fixture("relabel", "-base")?;
    // A base with every kind of setting a relabel must keep.
    let app = cleanup.image(format!("{name}-app:latest"));
    let mut spec = BuildSpec::new(dockerfile_context(&format!(
        "FROM {base}\nENV GREETING=howdy\nEXPOSE 5000\nWORKDIR /app\nRUN echo hi > /app/hi\nRUN true\nUSER 1000\nENTRYPOINT [\"sh\", \"-c\"]\nCMD [\"cat /app/hi; echo $GREETING\"]\nLABEL keep=me stage=build\n"
    ))?);
    spec.tags = vec![app.clone()];
    spec.labels = test_labels(&name);
    engine.build_image(&spec, &mut |_| {})?;

    let labels = BTreeMap::from([
        ("stage".to_string(), "release".to_string()),
        (
            "com.dokku.app-name".to_string(),
            "say \"hi\" \\ bye".to_string(),
        ),
    ]);
    // The old way: one LABEL build step.
    let built = cleanup.image(format!("{name}-built:latest"));
    let old_way = tempfile::tempdir()?;
    std::fs::write(
        old_way.path().join("Dockerfile"),
        format!("FROM {app}\n{}\n", dokku_docker::label_instruction(&labels)),
    )?;
    let mut spec = BuildSpec::new(BuildContext::Directory(old_way.path().to_path_buf()));
    spec.tags = vec![built.clone()];
    engine.build_image(&spec, &mut |_| {})?;
    // The new way, to another name, then onto the image's own name.
    let copy = cleanup.image(format!("{name}-copy:v1"));
    let id = engine
        .relabel_image(&app, &labels, &copy)?
        .expect("a classic build's history adds up");
    let relabelled = engine.image_inspect(&copy)?;
    assert_eq!(relabelled.id, id);
    assert_eq!(relabelled.repo_tags, vec![copy.clone()]);
    let old = engine.image_inspect(&built)?;
    assert_eq!(relabelled.labels, old.labels);
    assert_eq!(
        relabelled.labels.get("keep").map(String::as_str),
        Some("me")
    );
    assert_eq!(config_json(&copy), config_json(&built));
    let rootfs = |image: &str| {
        Command::new("docker")
            .args(["image", "inspect", "--format", "{{json .RootFS}}", image])
            .output()
            .expect("inspect")
            .stdout
    };
    assert_eq!(rootfs(&copy), rootfs(&built));
    // The history still reads, with the relabel as its last step.
    let history = Command::new("docker")
        .args(["history", "--no-trunc", "--format", "{{.CreatedBy}}", &copy])
        .output()?;
    assert!(history.status.success(), "{history:?}");
    let history = String::from_utf8_lossy(&history.stdout).into_owned();
    assert!(
        history
            .lines()
            .next()
            .unwrap_or("")
            .contains("#(nop)  LABEL "),
        "{history}"
    );

    // It runs as the original does.
    let container = cleanup.container(format!("{name}-run"));
    let mut run = ContainerSpec::new(&copy);
    run.name = Some(container.clone());
    run.labels = test_labels(&name);
    let cid = engine.create_container(&run)?;
    engine.start_container(&cid)?;
    assert_eq!(engine.wait_container(&cid)?, 0);
    let mut logs = Vec::new();
    engine.container_logs(&cid, &LogOptions::default(), &mut |_, l| {
        logs.push(l.trim_end().to_string())
    })?;
    assert_eq!(logs, ["hi", "howdy"]);

    // In place: the name moves to the relabelled image, twice over.
    let again = engine
        .relabel_image(&app, &labels, &app)?
        .expect("relabel in place");
    assert_eq!(engine.image_inspect(&app)?.id, again);
    let third = BTreeMap::from([("stage".to_string(), "third".to_string())]);
    engine
        .relabel_image(&app, &third, &app)?
        .expect("relabel a relabelled image");
    let info = engine.image_inspect(&app)?;
    assert_eq!(info.labels.get("stage").map(String::as_str), Some("third"));
    assert_eq!(info.labels.get("keep").map(String::as_str), Some("me"));
    Ok(())
}

#[test]
fn relabelling_in_steps_makes_each_step_in_one_load() -> TestResult {
    let (engine, name, mut cleanup, base) = busybox_fixture("relabel-steps", "-base")?;
    let built = cleanup.image(format!("{name}-built:latest"));
    let build = BTreeMap::from([
        ("stage".to_string(), "build".to_string()),
        (TEST_LABEL.to_string(), name.clone()),
    ]);
    let release = BTreeMap::from([("stage".to_string(), "release".to_string())]);
    let steps = [
        dokku_docker::RelabelStep {
            labels: build.clone(),
            tag: Some(built.clone()),
        },
        dokku_docker::RelabelStep {
            labels: release.clone(),
            tag: None,
        },
    ];
    let ids = engine
        .relabel_image_steps(&base, &steps)?
        .expect("a busybox image relabels");
    assert_eq!(ids.len(), 2);
    // Known by id too: the tag moves off the first below.
    for id in &ids {
        cleanup.image(id.clone());
    }
    // The second step is untagged, known by its id.
    let second = engine.image_inspect(&ids[1])?;
    assert!(second.repo_tags.is_empty(), "{:?}", second.repo_tags);
    assert_eq!(engine.image_inspect(&built)?.id, ids[0]);
    // It is what relabelling the first step's image again gives.
    let again = cleanup.image(format!("{name}-again:latest"));
    engine
        .relabel_image(&built, &release, &again)?
        .expect("relabel");
    let by_two = engine.image_inspect(&again)?;
    assert_eq!(second.labels, by_two.labels);
    assert_eq!(
        second.labels.get("stage").map(String::as_str),
        Some("release")
    );
    assert_eq!(second.labels.get(TEST_LABEL), Some(&name));
    assert_eq!(config_json(&ids[1]), config_json(&again));
    // Moving the tag onto it is the release.
    engine.tag_image(&ids[1], &built)?;
    assert_eq!(engine.image_inspect(&built)?.id, ids[1]);
    Ok(())
}
