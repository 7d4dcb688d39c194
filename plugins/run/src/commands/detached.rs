//! `run:detached [-e|--env KEY=VALUE]... [--force-tty] [--ttl-seconds N]
//! <app> <cmd>...`: a command in a new background container; prints its
//! name. The container is removed when the command ends.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let r = super::run::parse(ctx, argv);
    super::run::execute(ctx, &r, true)
}
