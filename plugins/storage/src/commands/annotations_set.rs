//! `storage:annotations:set <name> <key> [<value>]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

use crate::entries::{self, MetaKind};

/// Run the command for annotations or labels.
pub fn run_kind(ctx: &Ctx, argv: &[String], kind: MetaKind) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let name = p.arg(0).unwrap_or_default();
    let key = p.arg(1).unwrap_or_default();
    let value = p
        .positional
        .get(2..)
        .map(|v| v.join(" "))
        .unwrap_or_default();
    entries::set_meta(ctx, kind, name, key, &value)
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    run_kind(ctx, argv, MetaKind::Annotations)
}
