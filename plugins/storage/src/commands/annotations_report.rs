//! `storage:annotations:report [<name>] [<flag>] [--format json]`.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::entries::MetaKind;

/// Run the command for annotations or labels.
pub fn run_kind(ctx: &Ctx, argv: &[String], kind: MetaKind) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec {
            options: &["--format"],
            allow_unknown: true,
            ..Default::default()
        },
    )?;
    if p.unknown.len() > 1 {
        return Err(Error::fail(format!(
            "storage:{}:report command allows only a single flag",
            kind.plural()
        )));
    }
    crate::listing::meta_report(
        ctx,
        kind,
        p.arg(0),
        p.unknown.first().map(String::as_str),
        p.value("--format"),
    )
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    run_kind(ctx, argv, MetaKind::Annotations)
}
