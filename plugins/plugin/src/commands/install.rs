//! `plugin:install [--core|<url>] [--committish <c>] [--name <n>]
//! [--skip-install-trigger]`.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::plugin::global_cmd;
use dokku_trigger::{Command, Ctx};

use crate::install::InstallRequest;

/// The command.
pub const COMMAND: Command = global_cmd("plugin:install", run);

const SPEC: Spec<'static> = Spec::new(
    &["--core", "--skip-install-trigger"],
    &["--committish", "--name"],
);

fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, SPEC)?;
    let req = InstallRequest {
        url: p.arg(0).map(str::to_string),
        core: p.has("--core"),
        committish: p.value("--committish").map(str::to_string),
        name: p.value("--name").map(str::to_string),
        skip_install_trigger: p.has("--skip-install-trigger"),
    };
    crate::install::install(ctx, &req)
}
