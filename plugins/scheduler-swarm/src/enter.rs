//! `scheduler-enter` for swarm apps: run a command (a shell by default) in
//! the container of one of the app's running tasks, chosen as docker-local
//! chooses (process type, dyno `web.2`, or `--container-id <prefix>`).
//! A task on this host's node is entered through the engine; a task on
//! another node through that node's engine over ssh (`docker exec`, with
//! a terminal when our stdin is one), reached with the ssh address the
//! node was added with. The command's exit code becomes ours.

use dokku_core::{Error, Result};
use dokku_docker::SwarmEngine;
use dokku_trigger::enter::{command_for, select};
use dokku_trigger::{terminal, Ctx};

use crate::cluster::SSH_URL_LABEL;
use crate::ssh::{self, SshUrl};

/// The ssh address of a node, as `cluster:add` recorded it.
pub fn node_url(s: &dyn SwarmEngine, node_id: &str) -> Result<SshUrl> {
    let node = s
        .inspect_node(node_id)
        .map_err(|e| Error::other("docker", e))?;
    let url = node.labels.get(SSH_URL_LABEL).ok_or_else(|| {
        Error::fail(format!(
            "Node {} was not added with scheduler-swarm:cluster:add: no ssh address to reach it",
            node.hostname
        ))
    })?;
    SshUrl::parse(url)
}

/// This host's node.
pub fn here(s: &dyn SwarmEngine) -> Result<String> {
    Ok(s.swarm_state()
        .map_err(|e| Error::other("docker", e))?
        .node_id)
}

/// `scheduler-enter`.
pub fn enter(ctx: &Ctx, app: &str, args: &[String]) -> Result<()> {
    let s = crate::cluster::manager(ctx)?;
    let tasks: Vec<(String, dokku_docker::SwarmTask)> = crate::logs::deployed_tasks(s, app, "")?
        .into_iter()
        .filter(|(_, t)| t.state == "running" && !t.container_id.is_empty())
        .collect();
    let records: Vec<(String, String)> = tasks
        .iter()
        .map(|(dyno, t)| (dyno.clone(), t.container_id.clone()))
        .collect();
    let target = select(ctx, app, &records, args)?;
    let Some((_, task)) = tasks
        .iter()
        .find(|(_, t)| t.container_id == target.container_id)
    else {
        return Err(Error::fail("No containers found for app"));
    };
    let image = crate::run::deployed_image(s, app).unwrap_or_default();
    let cmd = command_for(ctx, &image, target.cmd);
    let code = if task.node_id == here(s)? {
        terminal::exec_in(ctx, &task.container_id, cmd)?
    } else {
        let url = node_url(s, &task.node_id)?;
        i64::from(ssh::docker_exec(
            &ctx.paths.dokku_root,
            &url,
            &task.container_id,
            &cmd,
            terminal::stdin_is_terminal(),
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
