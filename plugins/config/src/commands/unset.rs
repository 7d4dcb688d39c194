//! `config:unset [--no-restart] (<app>|--global) KEY...`.

use dokku_core::args::Spec;
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops::{self, UnsetRequest};

const SPEC: Spec<'static> = Spec::new(&["--global", "--no-restart"], &[]);

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, keys) = super::parse_scoped(ctx, args, SPEC)?;
    ops::unset(
        ctx,
        UnsetRequest {
            scope,
            keys,
            no_restart: p.has("--no-restart"),
        },
    )
}
