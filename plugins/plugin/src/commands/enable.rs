//! `plugin:enable <name>`.

use dokku_core::Result;
use dokku_trigger::plugin::global_cmd;
use dokku_trigger::{Command, Ctx};

/// The command.
pub const COMMAND: Command = global_cmd("plugin:enable", run);

fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    crate::manage::enable(ctx, args.first().map(String::as_str))
}
