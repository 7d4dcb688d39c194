//! `resource:reserve-clear [--process-type <type>] [<app>]`: remove an app's
//! values, or the host-wide defaults when no app is given.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::store::Kind;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    super::run_clear(ctx, argv, Kind::Reserve)
}
