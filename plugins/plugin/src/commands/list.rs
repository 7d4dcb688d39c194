//! `plugin:list [--format stdout|json]`.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::{Command, Ctx};

use crate::list::Format;

/// The command.
pub const COMMAND: Command = Command {
    name: "plugin:list",
    takes_app: false,
    run,
};

fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        Spec {
            switches: &[],
            options: &["--format"],
            allow_unknown: false,
        },
    )?;
    crate::list::list(ctx, Format::parse(p.value("--format"))?)
}
