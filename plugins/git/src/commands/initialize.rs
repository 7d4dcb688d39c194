//! `git:initialize <app>`: make the app's repository and (re)write its
//! pre-receive hook.

use dokku_core::{apps, args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    ctx.out
        .info1_quiet(&format!("Initializing git repository for {app}"));
    crate::repo::initialize(&ctx.paths, &app)
}
