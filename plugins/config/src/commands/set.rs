//! `config:set [--encoded] [--no-restart] (<app>|--global) KEY=VALUE...`.

use dokku_core::args::Spec;
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops::{self, SetRequest};

const SPEC: Spec<'static> = Spec::new(&["--global", "--encoded", "--no-restart"], &[]);

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, pairs) = super::parse_scoped(ctx, args, SPEC)?;
    ops::set(
        ctx,
        SetRequest {
            scope,
            pairs,
            encoded: p.has("--encoded"),
            no_restart: p.has("--no-restart"),
        },
    )
}
