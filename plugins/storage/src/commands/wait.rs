//! `storage:wait <name>`: blocks until a cluster entry's volume is bound.
//! A docker-local entry is ready once its host directory is there; for
//! other schedulers the first answer to `storage-status` must be `Bound`.

use dokku_core::{args, Error, Result};
use dokku_trigger::helpers::StorageStatus;
use dokku_trigger::Ctx;

use crate::entry::{self, DOCKER_LOCAL};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--timeout"]))?;
    let name = p.arg(0).unwrap_or_default();
    crate::name::check_entry_name(name)?;
    let e = entry::require(&ctx.paths, name)?;
    if e.scheduler == DOCKER_LOCAL {
        // A host path must be there; a named volume is made by Docker.
        if e.host_path.starts_with('/') && !std::path::Path::new(&e.host_path).is_dir() {
            return Err(Error::fail(format!(
                "storage entry {name:?} host path {} is not present",
                e.host_path
            )));
        }
        return Ok(());
    }
    // Other schedulers answer storage-status with the volume's state.
    let status = dokku_trigger::deploy::first_answer(ctx.bus.collect(
        ctx,
        &StorageStatus {
            entry_name: name.to_string(),
            entry: e.to_json()?,
        },
    )?)
    .unwrap_or_else(|| "Pending".to_string());
    if status == "Bound" {
        return Ok(());
    }
    Err(Error::fail(format!(
        "storage entry {name:?} is {status}, not Bound"
    )))
}
