//! `scheduler-storage-exec` for docker-local entries: a temporary
//! container of the image with the entry's host directory (or docker
//! volume) mounted at `/data`, labelled with the entry and removed when it
//! exits; standard input is handed over, and the command's exit status
//! becomes the caller's.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};

use dokku_core::{Error, Result};
use dokku_docker::{ContainerSpec, LogStream, Mount};
use dokku_trigger::deploy::first_answer;
use dokku_trigger::helpers::{SchedulerStorageExec, StorageEntryGet};
use dokku_trigger::Ctx;

/// Where the entry appears inside the container.
pub const MOUNT_POINT: &str = "/data";

/// Label carried by every `storage:exec` container, valued with the entry.
pub const LABEL: &str = "com.dokku.storage-entry";

/// The flags and command of the trigger's rest arguments.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ExecArgs {
    /// Standard input is open.
    pub interactive: bool,
    /// Standard input is a terminal.
    pub tty: bool,
    /// The uid to run as (`<uid>:<uid>`).
    pub as_user: Option<u32>,
    /// The command; a shell when empty.
    pub command: Vec<String>,
}

impl ExecArgs {
    /// Parse `[--interactive] [--tty] [--as-user <uid>] [-- <cmd>...]`.
    pub fn parse(rest: &[String]) -> Result<ExecArgs> {
        let mut a = ExecArgs::default();
        let mut i = 0;
        while i < rest.len() {
            match rest[i].as_str() {
                "--interactive" => a.interactive = true,
                "--tty" => a.tty = true,
                "--as-user" => {
                    let v = rest.get(i + 1).map(String::as_str).unwrap_or("");
                    a.as_user = Some(
                        v.parse::<u32>()
                            .map_err(|_| Error::fail(format!("invalid --as-user value {v:?}")))?,
                    );
                    i += 1;
                }
                "--" => {
                    a.command = rest[i + 1..].to_vec();
                    return Ok(a);
                }
                _ => {
                    a.command = rest[i..].to_vec();
                    return Ok(a);
                }
            }
            i += 1;
        }
        Ok(a)
    }
}

/// The mount of an entry's backing store: a host directory (which must
/// exist) or a docker volume token.
pub fn entry_mount(host_path: &str) -> Result<Mount> {
    if host_path.is_empty() {
        return Err(Error::fail("storage entry is missing a host path"));
    }
    if host_path.starts_with('/') {
        return match std::fs::metadata(host_path) {
            Ok(m) if m.is_dir() => Ok(Mount::bind(host_path, MOUNT_POINT)),
            Ok(_) => Err(Error::fail(format!(
                "host path {host_path} exists but is not a directory"
            ))),
            Err(_) => Err(Error::fail(format!("host path {host_path} does not exist"))),
        };
    }
    let valid = host_path
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && host_path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !valid {
        return Err(Error::fail(format!(
            "host path {host_path:?} is neither absolute nor a valid docker volume token"
        )));
    }
    Ok(Mount::volume(host_path, MOUNT_POINT))
}

/// The container for running `args` against the entry `name`.
pub fn container_spec(name: &str, image: &str, mount: Mount, args: &ExecArgs) -> ContainerSpec {
    let mut spec = ContainerSpec::new(image);
    spec.mounts = vec![mount];
    spec.working_dir = Some(MOUNT_POINT.to_string());
    spec.cmd = Some(if args.command.is_empty() {
        vec!["/bin/sh".to_string()]
    } else {
        args.command.clone()
    });
    spec.labels = BTreeMap::from([(LABEL.to_string(), name.to_string())]);
    spec.user = args.as_user.map(|u| format!("{u}:{u}"));
    spec
}

/// The handler.
pub fn run(ctx: &Ctx, t: &SchedulerStorageExec) -> Result<()> {
    if t.entry_name.is_empty() || t.image.is_empty() {
        return Err(Error::fail(
            "scheduler-storage-exec requires <scheduler> <entry-name> <image>",
        ));
    }
    let args = ExecArgs::parse(&t.command)?;
    let json = first_answer(ctx.bus.collect(
        ctx,
        &StorageEntryGet {
            entry_name: t.entry_name.clone(),
        },
    )?)
    .unwrap_or_default();
    if json.is_empty() {
        return Err(Error::fail(format!(
            "storage entry {:?} does not exist",
            t.entry_name
        )));
    }
    let entry: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| Error::other("read storage entry", e))?;
    let scheduler = entry["scheduler"].as_str().unwrap_or_default();
    if scheduler != "docker-local" {
        return Err(Error::fail(format!(
            "storage entry {:?} has scheduler {scheduler:?}, not docker-local",
            t.entry_name
        )));
    }
    let host_path = entry["host_path"].as_str().unwrap_or_default();
    let mount = entry_mount(host_path)?;
    let engine = ctx
        .try_engine()
        .map_err(|err| Error::other("storage:exec", err))?;
    if matches!(mount.source, dokku_docker::MountSource::Volume(_)) {
        let present = engine
            .volume_exists(host_path)
            .map_err(|err| Error::other("storage:exec", err))?;
        if !present {
            return Err(Error::fail(format!(
                "docker named volume {host_path:?} is not present: no such volume"
            )));
        }
    }
    if !engine
        .image_exists(&t.image)
        .map_err(|err| Error::other("storage:exec", err))?
    {
        return Err(Error::fail(format!(
            "Image {} not found locally; storage:exec does not pull images",
            t.image
        )));
    }
    let mut spec = container_spec(&t.entry_name, &t.image, mount, &args);
    spec.name = Some(format!(
        "{}.storage-exec.{}",
        t.entry_name,
        std::process::id()
    ));
    let stdin = if !args.interactive || std::io::stdin().is_terminal() {
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
    Error::from_status(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::args::owned as v;

    #[test]
    fn flags_then_command() {
        assert_eq!(
            ExecArgs::parse(&v(&[
                "--interactive",
                "--as-user",
                "1000",
                "--",
                "sh",
                "-c",
                "x"
            ]))
            .expect("parse"),
            ExecArgs {
                interactive: true,
                tty: false,
                as_user: Some(1000),
                command: v(&["sh", "-c", "x"]),
            }
        );
        assert_eq!(ExecArgs::parse(&[]).expect("parse"), ExecArgs::default());
        assert!(ExecArgs::parse(&v(&["--as-user", "x"])).is_err());
    }

    #[test]
    fn mounts_of_paths_and_volumes() {
        assert!(entry_mount("")
            .expect_err("empty")
            .to_string()
            .contains("missing a host path"));
        assert!(entry_mount("/nonexistent-dokku-path")
            .expect_err("missing")
            .to_string()
            .contains("does not exist"));
        assert!(entry_mount("../x")
            .expect_err("token")
            .to_string()
            .contains("neither absolute nor a valid docker volume token"));
        assert!(entry_mount("my-volume").is_ok());
        assert!(entry_mount("/tmp").is_ok());
    }
}
