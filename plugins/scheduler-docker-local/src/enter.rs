//! `scheduler-enter` for docker-local: run a command (a shell by default)
//! in one of the app's running containers, chosen by process type, dyno or
//! container id, with the terminal attached.

use dokku_core::{Error, Result};
use dokku_trigger::enter::{command_for, select};
use dokku_trigger::{terminal, Ctx};

use crate::containers::docker_err;
use crate::store;

/// `scheduler-enter`: run the command in the chosen container; its exit
/// code becomes ours.
pub fn enter(ctx: &Ctx, app: &str, args: &[String]) -> Result<()> {
    let records: Vec<(String, String)> = store::records(&ctx.paths, app)
        .into_iter()
        .map(|(d, r)| (d, r.container_id))
        .collect();
    let target = select(ctx, app, &records, args)?;
    let engine = ctx.engine()?;
    let info = match engine.inspect_container(&target.container_id) {
        Ok(i) if i.running => i,
        Ok(_) => return Err(Error::fail("Container is not running")),
        Err(e) if e.is_not_found() => return Err(Error::fail("Container is not running")),
        Err(e) => return Err(docker_err("inspect container")(e)),
    };
    let cmd = command_for(ctx, &info.image_id, target.cmd);
    let code = terminal::exec_in(ctx, &target.container_id, cmd)?;
    Error::from_status(code)
}

/// Subscribe the `scheduler-enter` handler.
pub fn register(bus: &mut dokku_trigger::Bus) {
    use dokku_trigger::deploy::SchedulerEnter;
    bus.on::<SchedulerEnter, _>(store::PLUGIN, |ctx, t: &SchedulerEnter| {
        enter(ctx, &t.app, &t.args)
    });
}
