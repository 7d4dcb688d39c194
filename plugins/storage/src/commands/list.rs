//! `storage:list <app> [--format text|json]`.

use dokku_core::{apps, args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    crate::listing::list(ctx, &app, p.value("--format"))
}
