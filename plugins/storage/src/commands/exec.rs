//! `storage:exec <name> [--as-user uid] [-- <cmd>...]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--as-user"]))?;
    let name = super::entry_arg(&p, "storage:exec requires a storage entry name")?;
    crate::exec::run(ctx, &name, &p.positional[1..], p.value("--as-user"))
}
