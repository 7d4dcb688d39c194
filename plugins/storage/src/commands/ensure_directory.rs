//! `storage:ensure-directory [--chown option] <directory>` (deprecated).

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--chown"]))?;
    crate::entries::ensure_directory(ctx, p.arg(0).unwrap_or_default(), p.value("--chown"))
}
