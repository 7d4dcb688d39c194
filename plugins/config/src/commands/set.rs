//! `config:set [--encoded] [--no-restart] (<app>|--global) KEY=VALUE...`.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops::{self, SetRequest};

const SPEC: Spec<'static> = Spec {
    switches: &["--global", "--encoded", "--no-restart"],
    options: &[],
    allow_unknown: false,
};

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let p = args::parse(args, SPEC)?;
    let (scope, pairs) = super::scope_and_rest(ctx, &p)?;
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
