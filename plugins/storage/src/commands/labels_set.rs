//! `storage:labels:set <name> <key> [<value>]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::entries::MetaKind;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    super::annotations_set::run_kind(ctx, argv, MetaKind::Labels)
}
