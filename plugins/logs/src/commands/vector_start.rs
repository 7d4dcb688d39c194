//! `logs:vector-start [--vector-image image]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--vector-image"]))?;
    crate::vector::start(ctx, p.value("--vector-image"))
}
