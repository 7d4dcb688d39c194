//! `config:clear [--no-restart] (<app>|--global)`: unset every variable.

use dokku_core::args::Spec;
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops;

const SPEC: Spec<'static> = Spec::new(&["--global", "--no-restart"], &[]);

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, _) = super::parse_scoped(ctx, args, SPEC)?;
    ops::clear(ctx, &scope, p.has("--no-restart"))
}
