//! `plugin:list [--format stdout|json]`.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::plugin::global_cmd;
use dokku_trigger::{Command, Ctx};

/// The command.
pub const COMMAND: Command = global_cmd("plugin:list", run);

fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, Spec::new(&[], &["--format"]))?;
    crate::list::list(ctx, crate::list::parse_format(p.value("--format"))?)
}
