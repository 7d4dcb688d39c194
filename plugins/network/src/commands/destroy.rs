//! `network:destroy <network> [--force]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--force"], &[]))?;
    let force = ctx.flags.force || p.has("--force");
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    crate::networks::destroy(ctx, p.arg(0).unwrap_or(""), force, &mut input)
}
