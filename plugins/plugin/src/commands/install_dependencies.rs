//! `plugin:install-dependencies [--core]`.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::plugin::global_cmd;
use dokku_trigger::{Command, Ctx};

use crate::fire::{fire, Scope};

/// The command.
pub const COMMAND: Command = global_cmd("plugin:install-dependencies", run);

fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, Spec::new(&["--core"], &[]))?;
    let scope = if p.has("--core") {
        Scope::Core
    } else {
        Scope::All
    };
    fire(ctx, "dependencies", &[], scope)
}
