//! `git-hook <app>`: called by the app repository's pre-receive hook with
//! the pushed refs on stdin.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = argv.first().ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    crate::hook::hook(ctx, app, &mut lock)
}
