//! `resource:limit [--process-type <type>] [--<resource> <value>...] <app>`:
//! set (or `clear`) values, or show the stored ones when none is given.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::store::Kind;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let req = super::parse_set(ctx, argv, Kind::Limit)?;
    crate::ops::set(ctx, &req)
}
