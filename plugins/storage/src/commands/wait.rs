//! `storage:wait <name>`: blocks until a cluster entry's volume is bound.
//! A docker-local entry is usable as soon as it exists.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::entry::{self, DOCKER_LOCAL};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec {
            options: &["--timeout"],
            ..Default::default()
        },
    )?;
    let name = p.arg(0).unwrap_or_default();
    crate::name::check_entry_name(name)?;
    let e = entry::require(&ctx.paths, name)?;
    if e.scheduler == DOCKER_LOCAL {
        return Ok(());
    }
    Err(Error::fail(format!(
        "storage entry {name:?} is Pending, not Bound"
    )))
}
