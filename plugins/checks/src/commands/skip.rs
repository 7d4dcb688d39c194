//! `checks:skip <app> [proc,...]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let (app, procs) = super::app_and_procs(ctx, argv)?;
    let known = super::known_procs(ctx, &app);
    super::announce(ctx, "Skipping", &app, &procs);
    crate::store::update(&ctx.paths, &app, |d, s| {
        (
            d.without(procs.as_deref(), &known),
            s.with(procs.as_deref()),
        )
    })
}
