//! `config:clear [--no-restart] (<app>|--global)`: unset every variable.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops;

const SPEC: Spec<'static> = Spec {
    switches: &["--global", "--no-restart"],
    options: &[],
    allow_unknown: false,
};

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let p = args::parse(args, SPEC)?;
    let (scope, _) = super::scope_and_rest(ctx, &p)?;
    ops::clear(ctx, &scope, p.has("--no-restart"))
}
