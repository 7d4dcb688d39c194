//! `storage:unmount <app> <name> [--container-dir <path>]` and the legacy
//! `storage:unmount <app> <host-dir:container-dir>`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

use crate::attach;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--container-dir"]))?;
    let (app, target) = attach::app_and_target(ctx, &p)?;
    if attach::is_legacy(target) {
        return attach::unmount_legacy(ctx, &app, target);
    }
    attach::unmount_named(ctx, &app, target, p.value("--container-dir"))
}
