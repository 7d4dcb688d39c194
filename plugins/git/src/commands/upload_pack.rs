//! `git-upload-pack '<app>'`: the ssh entry of `git fetch` and `git clone`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = argv.first().ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    crate::hook::upload_pack(ctx, app)
}

/// `git-upload-archive '<app>'`: serve `git archive --remote`.
pub fn run_archive(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = argv.first().ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    crate::hook::upload_archive(ctx, app)
}
