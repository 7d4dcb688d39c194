//! `plugin:install-dependencies [--core]`.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::{Command, Ctx};

use crate::fire::{fire, Scope};

/// The command.
pub const COMMAND: Command = Command {
    name: "plugin:install-dependencies",
    takes_app: false,
    run,
};

fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        Spec {
            switches: &["--core"],
            options: &[],
            allow_unknown: false,
        },
    )?;
    let scope = if p.has("--core") {
        Scope::Core
    } else {
        Scope::All
    };
    fire(ctx, "dependencies", &[], scope)
}
