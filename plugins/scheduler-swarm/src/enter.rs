//! `scheduler-enter` for swarm apps: run a command (a shell by default) in
//! the container of one of the app's running tasks, chosen as docker-local
//! chooses (process type, dyno `web.2`, or `--container-id <prefix>`).
//! A task on this host's node is entered through the engine; a task on
//! another node through that node's engine over ssh (`docker exec`, with
//! `-t` when our stdin is a terminal), reached with the ssh address the
//! node was added with. The command's exit code becomes ours.

use std::io::IsTerminal;

use dokku_core::{Error, Result};
use dokku_docker::{AttachIo, ExecSpec, LogStream};
use dokku_trigger::Ctx;

use crate::cluster::SSH_URL_LABEL;
use crate::ssh::{self, SshUrl};

/// The shell entered when no command is given.
pub const DEFAULT_SHELL: &str = "/bin/bash";

/// A running task one can enter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `web.1`.
    pub dyno: String,
    pub container_id: String,
    pub node_id: String,
}

fn types(entries: &[Entry]) -> String {
    let mut v: Vec<&str> = entries
        .iter()
        .map(|e| e.dyno.rsplit_once('.').map(|(p, _)| p).unwrap_or(&e.dyno))
        .collect();
    v.sort();
    v.dedup();
    v.join(" ")
}

/// Choose the task and the command from the arguments after the app, with
/// docker-local's warnings and failures.
pub fn select<'a>(
    ctx: &Ctx,
    app: &str,
    entries: &'a [Entry],
    args: &[String],
) -> Result<(&'a Entry, Vec<String>)> {
    if entries.is_empty() {
        return Err(Error::fail("No containers found for app"));
    }
    let available = types(entries);
    let kind = match args.first() {
        Some(k) if !k.is_empty() => k.clone(),
        _ if !available.contains(' ') => available.clone(),
        _ => {
            ctx.out.warn("No container type specified.");
            return Err(Error::fail(format!(
                "Available types for app ({app}): {available}"
            )));
        }
    };
    if kind == "--container-id" {
        let wanted = args.get(1).map(String::as_str).unwrap_or("");
        let Some(e) = entries
            .iter()
            .find(|e| !wanted.is_empty() && e.container_id.starts_with(wanted))
        else {
            ctx.out
                .warn(&format!("Invalid container id for app: {wanted}"));
            let ids: Vec<&str> = entries.iter().map(|e| e.container_id.as_str()).collect();
            return Err(Error::fail(format!(
                "Available ids for app ({app}): {}",
                ids.join(" ")
            )));
        };
        return Ok((e, args.get(2..).unwrap_or_default().to_vec()));
    }
    let found = entries
        .iter()
        .find(|e| e.dyno == kind || e.dyno.rsplit_once('.').map(|(p, _)| p) == Some(kind.as_str()));
    let Some(e) = found else {
        ctx.out
            .warn(&format!("No containers found for type '{kind}'"));
        return Err(Error::fail(format!(
            "Available types for app ({app}): {available}"
        )));
    };
    Ok((e, args.get(1..).unwrap_or_default().to_vec()))
}

/// `scheduler-enter`.
pub fn enter(ctx: &Ctx, app: &str, args: &[String]) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    let entries: Vec<Entry> = crate::logs::deployed_tasks(s, app, "")?
        .into_iter()
        .filter(|(_, t)| t.state == "running" && !t.container_id.is_empty())
        .map(|(dyno, t)| Entry {
            dyno,
            container_id: t.container_id,
            node_id: t.node_id,
        })
        .collect();
    let (entry, mut cmd) = select(ctx, app, &entries, args)?;
    if cmd.is_empty() {
        cmd.push(DEFAULT_SHELL.to_string());
    }
    let here = s
        .swarm_state()
        .map_err(|e| Error::other("docker", e))?
        .node_id;
    let code = if entry.node_id == here {
        let engine = ctx.engine()?;
        let io = AttachIo {
            stdin: Some(Box::new(std::io::stdin())),
            tty_size: None,
            on_created: None,
        };
        let out = ctx.out.clone();
        engine
            .exec_attached(
                &entry.container_id,
                &ExecSpec::new(cmd),
                io,
                &mut |stream, bytes| match stream {
                    LogStream::Stdout => out.write_out_bytes(bytes),
                    LogStream::Stderr => out.write_err(&String::from_utf8_lossy(bytes)),
                },
            )
            .map_err(|e| Error::other("exec in container", e))?
    } else {
        let node = s
            .inspect_node(&entry.node_id)
            .map_err(|e| Error::other("docker", e))?;
        let url = node.labels.get(SSH_URL_LABEL).ok_or_else(|| {
            Error::fail(format!(
                "Node {} was not added with scheduler-swarm:cluster:add: no ssh address to reach it",
                node.hostname
            ))
        })?;
        let url = SshUrl::parse(url)?;
        i64::from(ssh::docker_exec(
            &ctx.paths.dokku_root,
            &url,
            &entry.container_id,
            &cmd,
            std::io::stdin().is_terminal(),
        )?)
    };
    Error::from_status(code)
}

/// Subscribe `scheduler-enter`.
pub fn register(bus: &mut dokku_trigger::Bus) {
    use dokku_trigger::deploy::SchedulerEnter;
    bus.on::<SchedulerEnter, _>(crate::NAME, |ctx, t: &SchedulerEnter| {
        enter(ctx, &t.app, &t.args)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_output::Output;
    use std::sync::Arc;

    #[test]
    fn selection_follows_docker_local() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = dokku_core::Paths::under(d.path());
        let (out, cap) = Output::captured(false);
        let ctx = Ctx::new(
            paths,
            out,
            Default::default(),
            Arc::new(dokku_trigger::Bus::new()),
        );
        let e = |d: &str, c: &str| Entry {
            dyno: d.into(),
            container_id: c.into(),
            node_id: "n".into(),
        };
        let entries = [e("web.1", "aaa"), e("web.2", "bbb"), e("worker.1", "ccc")];
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let pick = |args: &[&str]| {
            select(&ctx, "app", &entries, &v(args))
                .map(|(e, cmd)| (e.container_id.clone(), cmd))
                .map_err(|e| e.to_string())
        };
        assert_eq!(pick(&["web"]), Ok(("aaa".into(), vec![])));
        assert_eq!(pick(&["web.2", "ls"]), Ok(("bbb".into(), v(&["ls"]))));
        assert_eq!(
            pick(&["--container-id", "cc", "id"]),
            Ok(("ccc".into(), v(&["id"])))
        );
        assert_eq!(
            pick(&[]),
            Err("Available types for app (app): web worker".to_string())
        );
        assert!(cap.stderr().contains("No container type specified."));
    }
}
