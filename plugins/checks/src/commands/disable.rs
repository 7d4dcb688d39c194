//! `checks:disable <app> [proc,...]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use super::Change;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    super::change(ctx, argv, "Disabling", Change::Add, Change::Remove)
}
