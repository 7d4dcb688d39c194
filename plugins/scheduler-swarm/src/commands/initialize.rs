//! `scheduler-swarm:initialize [--server-ip SERVER_IP]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--server-ip"]))?;
    crate::cluster::initialize(ctx, p.value("--server-ip"))
}
