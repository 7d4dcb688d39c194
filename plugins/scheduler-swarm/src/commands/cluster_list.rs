//! `scheduler-swarm:cluster:list [--format json|stdout]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    crate::cluster::list(ctx, p.value("--format"))
}
