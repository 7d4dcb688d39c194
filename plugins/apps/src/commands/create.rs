//! `apps:create <app>`.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let app = p.arg(0).ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    crate::ops::create(ctx, app)
}
