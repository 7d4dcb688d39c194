//! `config:bundle [--merged] (<app>|--global)`: a tar archive on stdout.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops;

const SPEC: Spec<'static> = Spec {
    switches: &["--global", "--merged"],
    options: &[],
    allow_unknown: false,
};

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let p = args::parse(args, SPEC)?;
    let (scope, _) = super::scope_and_rest(ctx, &p)?;
    let bytes = ops::bundle(ctx, &scope, p.has("--merged"))?;
    ctx.out.write_out_bytes(&bytes);
    Ok(())
}
