//! `config:show [--merged] (<app>|--global)`, also run by a bare `config`.

use dokku_core::args::Spec;
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::ops::{self, ShowStyle};

const SPEC: Spec<'static> = Spec::new(&["--global", "--merged", "--shell", "--export"], &[]);

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, _) = super::parse_scoped(ctx, args, SPEC)?;
    let style = match (p.has("--shell"), p.has("--export")) {
        (true, true) => return Err(Error::fail("Only one of --shell and --export can be given")),
        (true, false) => ShowStyle::Shell,
        (false, true) => ShowStyle::Exports,
        (false, false) => ShowStyle::Pretty,
    };
    ops::show(ctx, &scope, p.has("--merged"), style)
}
