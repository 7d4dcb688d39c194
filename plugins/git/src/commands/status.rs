//! `git:status <app>`: `git status` in the app's repository.

use dokku_core::{apps, args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    crate::hook::git_passthrough(ctx, &app, &["status"])
}
