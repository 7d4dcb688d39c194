//! `ps:restart [--parallel count] [--all|<app>] [<process-name>]`.

use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::{parallel, pipeline, procfile};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let sel = parallel::select(ctx, argv)?;
    let proc_type = sel.rest.first().cloned().unwrap_or_default();
    if !proc_type.is_empty() {
        if sel.all {
            return Err(Error::fail(
                "Specifying a process type is not supported with --all",
            ));
        }
        if !procfile::valid_process_type(&proc_type) {
            return Err(Error::fail(format!("Invalid process type {proc_type}")));
        }
    }
    parallel::run(ctx, "ps:restart", &sel, &|ctx, app| {
        pipeline::restart(ctx, app, &proc_type, true)
    })
}
