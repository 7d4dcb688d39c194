//! `storage:exec`: a temporary container with the entry mounted at
//! `/data`, removed when it exits; its exit code becomes ours. The entry's
//! scheduler runs it (`scheduler-storage-exec`; the container for
//! docker-local is built by that plugin). The image is never pulled: it must
//! exist locally (`DOKKU_STORAGE_EXEC_IMAGE`, default `alpine:latest`).

use std::io::IsTerminal;

use dokku_core::{Error, Result};
use dokku_trigger::helpers::SchedulerStorageExec;
use dokku_trigger::Ctx;

use crate::chown::chown_id;
use crate::entry::{self, DOCKER_LOCAL};

/// The image used when `DOKKU_STORAGE_EXEC_IMAGE` is not set.
pub const DEFAULT_IMAGE: &str = "alpine:latest";

/// A typed mount as the engine takes it. As in the `-v` flag docker-local
/// renders, the subpath is not applied: it is for schedulers with native
/// sub-path mounts.
pub fn engine_mount(m: &dokku_trigger::triggers::VolumeMount) -> dokku_docker::Mount {
    let mut mount = if m.is_bind() {
        dokku_docker::Mount::bind(m.source.clone(), m.target.clone())
    } else {
        dokku_docker::Mount::volume(m.source.clone(), m.target.clone())
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

/// Run the command through the entry's scheduler
/// (`scheduler-storage-exec`); its exit status becomes ours.
pub fn run(ctx: &Ctx, name: &str, cmd: &[String], as_user: Option<&str>) -> Result<()> {
    crate::name::check_entry_name(name)?;
    let e = entry::require(&ctx.paths, name)?;
    let image = std::env::var("DOKKU_STORAGE_EXEC_IMAGE")
        .ok()
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.into());
    let user = match as_user {
        Some(u) => chown_id(u)?,
        None if !e.chown.is_empty() => chown_id(&e.chown)?,
        None => None,
    };
    // Standard input is always handed over (a piped script, or the
    // terminal, with a TTY when both ends are one).
    let mut command = vec!["--interactive".to_string()];
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        command.push("--tty".to_string());
    }
    if let Some(u) = user {
        command.push("--as-user".to_string());
        command.push(u.to_string());
    }
    command.push("--".to_string());
    command.extend(cmd.iter().cloned());
    let handled = ctx.bus.select(
        ctx,
        &SchedulerStorageExec {
            scheduler: e.scheduler.clone(),
            entry_name: name.to_string(),
            image,
            command,
        },
    )?;
    if handled.is_none() && e.scheduler != DOCKER_LOCAL {
        return Err(Error::fail(format!(
            "storage:exec supports docker-local entries only; {name:?} is scheduler {:?}",
            e.scheduler
        )));
    }
    Ok(())
}

/// The `storage-entry-get` answer: the entry's JSON, empty when missing.
pub fn entry_json(ctx: &Ctx, name: &str) -> Result<String> {
    if crate::name::check_entry_name(name).is_err() {
        return Ok(String::new());
    }
    match entry::load(&ctx.paths, name)? {
        Some(e) => e.to_json(),
        None => Ok(String::new()),
    }
}
