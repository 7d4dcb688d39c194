//! `git-receive-pack '<app>'`: the ssh entry of `git push`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = argv.first().ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    crate::hook::receive_pack(ctx, app)
}
