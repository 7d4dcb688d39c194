//! `storage:labels:report [<name>] [<flag>] [--format json]`.

use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::entries::MetaKind;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    super::annotations_report::run_kind(ctx, argv, MetaKind::Labels)
}
