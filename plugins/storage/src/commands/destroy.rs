//! `storage:destroy <name> [--force] [--destroy-host-dir]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec::new(&["--force", "--destroy-host-dir"], &[]),
    )?;
    let name = p.arg(0).unwrap_or_default();
    let force = ctx.flags.force || p.has("--force");
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    crate::entries::destroy(ctx, name, force, p.has("--destroy-host-dir"), &mut input)
}
