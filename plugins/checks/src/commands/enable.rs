//! `checks:enable <app> [proc,...]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use super::Change;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    super::change(ctx, argv, "Enabling", Change::Remove, Change::Remove)
}
