//! `logs:vector-logs [--num num] [--tail]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Lines shown when `--num` is not given.
pub const DEFAULT_NUM: u64 = 100;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--tail"], &["--num"]))?;
    let num = p.number("--num", DEFAULT_NUM)?;
    crate::vector::logs(ctx, num, p.has("--tail"))
}
