//! `storage:unmount <app> <name> [--container-dir <path>]` and the legacy
//! `storage:unmount <app> <host-dir:container-dir>`.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

use crate::attach;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--container-dir"]))?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    let target = p
        .arg(1)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::fail(crate::spec::BAD_SPEC))?;
    if p.positional.len() > 2 {
        return Err(Error::fail(format!(
            "Unexpected argument(s): {}",
            p.positional[2..].join(" ")
        )));
    }
    if attach::is_legacy(target) {
        return attach::unmount_legacy(ctx, &app, target);
    }
    attach::unmount_named(ctx, &app, target, p.value("--container-dir"))
}
