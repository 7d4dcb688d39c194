//! `apps:clone [--skip-deploy] [--ignore-existing] <old-app> <new-app>`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec::new(&["--skip-deploy", "--ignore-existing"], &[]),
    )?;
    crate::ops::clone(
        ctx,
        p.arg(0),
        p.arg(1),
        p.has("--skip-deploy"),
        p.has("--ignore-existing"),
    )
}
