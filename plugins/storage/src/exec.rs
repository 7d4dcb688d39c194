//! `storage:exec`: a temporary container with the entry mounted at
//! `/data`, removed when it exits; its exit code becomes ours. The image
//! is never pulled: it must exist locally (`DOKKU_STORAGE_EXEC_IMAGE`,
//! default `alpine:latest`).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};

use dokku_core::{Error, Result};
use dokku_docker::{ContainerSpec, LogStream, Mount};
use dokku_trigger::triggers::VolumeMount;
use dokku_trigger::Ctx;

use crate::chown::chown_id;
use crate::entry::{self, Entry, DOCKER_LOCAL};

/// The image used when `DOKKU_STORAGE_EXEC_IMAGE` is not set.
pub const DEFAULT_IMAGE: &str = "alpine:latest";

/// Where the entry appears inside the container.
pub const MOUNT_POINT: &str = "/data";

/// Label carried by every `storage:exec` container, valued with the entry.
pub const LABEL: &str = "com.dokku.storage-entry";

/// A typed mount as the engine takes it. As in the `-v` flag docker-local
/// renders, the subpath is not applied: it is for schedulers with native
/// sub-path mounts.
pub fn engine_mount(m: &VolumeMount) -> Mount {
    let mut mount = if m.is_bind() {
        Mount::bind(m.source.clone(), m.target.clone())
    } else {
        Mount::volume(m.source.clone(), m.target.clone())
    };
    mount.read_only = m.readonly;
    mount.options = m
        .options
        .split(',')
        .filter(|o| !o.is_empty())
        .map(str::to_string)
        .collect();
    mount
}

/// The container for running `cmd` against `e`.
pub fn container_spec(
    e: &Entry,
    image: &str,
    cmd: &[String],
    as_user: Option<&str>,
) -> Result<ContainerSpec> {
    let mut spec = ContainerSpec::new(image);
    let m = VolumeMount {
        entry_name: e.name.clone(),
        source: e.host_path.clone(),
        target: MOUNT_POINT.into(),
        ..Default::default()
    };
    spec.mounts = vec![engine_mount(&m)];
    spec.working_dir = Some(MOUNT_POINT.to_string());
    spec.cmd = Some(if cmd.is_empty() {
        vec!["/bin/sh".to_string()]
    } else {
        cmd.to_vec()
    });
    spec.labels = BTreeMap::from([(LABEL.to_string(), e.name.clone())]);
    let user = match as_user {
        Some(u) => chown_id(u)?,
        None if !e.chown.is_empty() => chown_id(&e.chown)?,
        None => None,
    };
    spec.user = user.map(|u| format!("{u}:{u}"));
    Ok(spec)
}

/// Run the command; a non-zero exit of the container is returned as ours.
pub fn run(ctx: &Ctx, name: &str, cmd: &[String], as_user: Option<&str>) -> Result<()> {
    crate::name::check_entry_name(name)?;
    let e = entry::require(&ctx.paths, name)?;
    if e.scheduler != DOCKER_LOCAL {
        return Err(Error::fail(format!(
            "storage:exec supports docker-local entries only; {name:?} is scheduler {:?}",
            e.scheduler
        )));
    }
    let image = std::env::var("DOKKU_STORAGE_EXEC_IMAGE")
        .ok()
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.into());
    let mut spec = container_spec(&e, &image, cmd, as_user)?;
    spec.name = Some(format!("{name}.storage-exec.{}", std::process::id()));
    let engine = ctx
        .try_engine()
        .map_err(|err| Error::other("storage:exec", err))?;
    if !engine
        .image_exists(&image)
        .map_err(|err| Error::other("storage:exec", err))?
    {
        return Err(Error::fail(format!(
            "Image {image} not found locally; storage:exec does not pull images"
        )));
    }
    let stdin = if std::io::stdin().is_terminal() {
        None
    } else {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|err| Error::other("read stdin", err))?;
        Some(buf)
    };
    let out = ctx.out.clone();
    let code = engine
        .run_streaming(&spec, stdin.as_deref(), &mut |stream, line| match stream {
            LogStream::Stdout => out.line(line),
            LogStream::Stderr => out.write_err(&format!("{line}\n")),
        })
        .map_err(|err| Error::other("storage:exec", err))?;
    if code == 0 {
        Ok(())
    } else {
        Err(Error::exit(i32::try_from(code).unwrap_or(1)))
    }
}
