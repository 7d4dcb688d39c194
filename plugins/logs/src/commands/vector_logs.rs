//! `logs:vector-logs [--num num] [--tail]`.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

/// Lines shown when `--num` is not given.
pub const DEFAULT_NUM: u64 = 100;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--tail"], &["--num"]))?;
    let num = match p.value("--num") {
        None => DEFAULT_NUM,
        Some(n) => n
            .parse::<u64>()
            .map_err(|_| Error::fail(format!("invalid argument for flag --num: {n}")))?,
    };
    crate::vector::logs(ctx, num, p.has("--tail"))
}
