//! `apps:rename [--skip-deploy] <old-app> <new-app>`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--skip-deploy"], &[]))?;
    crate::ops::rename(ctx, p.arg(0), p.arg(1), p.has("--skip-deploy"))
}
