//! `logs:vector-stop`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    crate::vector::stop(ctx)
}
