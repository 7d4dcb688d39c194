//! The null scheduler: runs nothing. Selected with `scheduler:set <app>
//! selected null` for apps whose processes live outside Dokku (an app
//! routed to a known address); never detected. Every scheduler trigger
//! addressed to it succeeds without touching the container engine, so
//! deploys, `ps:*` and `run` change nothing. Dokku reads "deployed" from
//! the exit status of `scheduler-is-deployed`, which a no-op answers with
//! success, so an app on this scheduler counts as deployed.

use dokku_core::Result;
use dokku_trigger::bus::{SelectTrigger, Trigger};
use dokku_trigger::deploy::{
    SchedulerDeploy, SchedulerEnter, SchedulerInspect, SchedulerIsDeployed, SchedulerLogs,
    SchedulerLogsFailed, SchedulerPostDelete, SchedulerPostRun, SchedulerPreRestore,
    SchedulerRetire, SchedulerRun, SchedulerRunList, SchedulerRunLogs, SchedulerRunRetire,
    SchedulerRunStop, SchedulerStop,
};
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The scheduler name this plugin answers for.
pub const SCHEDULER: &str = "null";

/// The plugin descriptor (no commands).
pub static PLUGIN: CorePlugin = CorePlugin::triggers_only(
    "scheduler-null",
    "dokku core scheduler-null plugin",
    "No-op scheduler plugin",
    register,
);

fn nothing<T>(_ctx: &Ctx, _t: &T) -> Result<()> {
    Ok(())
}

fn noop<T: SelectTrigger + Trigger<Output = ()> + 'static>(bus: &mut Bus) {
    bus.on::<T, _>("scheduler-null", nothing::<T>);
}

fn register(bus: &mut Bus) {
    noop::<SchedulerDeploy>(bus);
    bus.on::<SchedulerIsDeployed, _>("scheduler-null", |_ctx, _t: &SchedulerIsDeployed| Ok(true));
    noop::<SchedulerStop>(bus);
    noop::<SchedulerRetire>(bus);
    noop::<SchedulerPostDelete>(bus);
    noop::<SchedulerInspect>(bus);
    noop::<SchedulerPreRestore>(bus);
    noop::<SchedulerLogs>(bus);
    noop::<SchedulerLogsFailed>(bus);
    noop::<SchedulerEnter>(bus);
    noop::<SchedulerRun>(bus);
    noop::<SchedulerPostRun>(bus);
    noop::<SchedulerRunList>(bus);
    noop::<SchedulerRunLogs>(bus);
    noop::<SchedulerRunStop>(bus);
    noop::<SchedulerRunRetire>(bus);
}
