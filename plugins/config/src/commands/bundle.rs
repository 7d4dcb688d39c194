//! `config:bundle [--merged] (<app>|--global)`: a tar archive on stdout.

use dokku_core::args::Spec;
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops;

const SPEC: Spec<'static> = Spec::new(&["--global", "--merged"], &[]);

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, _) = super::parse_scoped(ctx, args, SPEC)?;
    let bytes = ops::bundle(ctx, &scope, p.has("--merged"))?;
    ctx.out.write_out_bytes(&bytes);
    Ok(())
}
