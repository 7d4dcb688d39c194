//! `storage:list-entries [--scheduler s] [--format text|json]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format", "--scheduler"]))?;
    crate::listing::list_entries(ctx, p.value("--scheduler"), p.value("--format"))
}
