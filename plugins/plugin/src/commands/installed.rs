//! `plugin:installed <name>`.

use dokku_core::Result;
use dokku_trigger::plugin::global_cmd;
use dokku_trigger::{Command, Ctx};

/// The command.
pub const COMMAND: Command = global_cmd("plugin:installed", run);

fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    crate::manage::installed(ctx, args.first().map(String::as_str))
}
