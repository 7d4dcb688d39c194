//! `plugin:update [name [committish]]`.

use dokku_core::Result;
use dokku_trigger::plugin::global_cmd;
use dokku_trigger::{Command, Ctx};

/// The command.
pub const COMMAND: Command = global_cmd("plugin:update", run);

fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let arg = |i: usize| args.get(i).map(String::as_str);
    crate::update::update(ctx, arg(0), arg(1))
}
