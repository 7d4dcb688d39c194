//! `apps:destroy [--force] <app>`.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--force"], &[]))?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    crate::ops::refuse_locked(ctx, &app)?;
    if !(ctx.flags.force || p.has("--force")) {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        crate::ops::confirm_destroy(ctx, &app, &mut input)?;
    }
    if p.arg(1).is_some() {
        return Err(Error::fail(format!(
            "Unexpected argument(s): {}",
            p.positional[1..].join(" ")
        )));
    }
    crate::ops::destroy(ctx, &app)
}
