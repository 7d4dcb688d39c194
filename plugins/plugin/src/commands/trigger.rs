//! `plugin:trigger <name> [args...]`: fire any trigger by name, for
//! development and debugging.

use dokku_core::{Error, Result};
use dokku_trigger::plugin::global_cmd;
use dokku_trigger::{Command, Ctx};

/// The command.
pub const COMMAND: Command = global_cmd("plugin:trigger", run);

fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let name = args
        .first()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::fail("Please specify a trigger"))?;
    if !dokku_core::fsutil::is_single_segment(name) || name.starts_with('.') {
        return Err(Error::fail(format!("Invalid plugin trigger call: {name}")));
    }
    ctx.bus.run_raw(ctx, name, &args[1..])
}
