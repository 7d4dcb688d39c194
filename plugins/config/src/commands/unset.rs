//! `config:unset [--no-restart] (<app>|--global) KEY...`.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::ops::{self, UnsetRequest};

const SPEC: Spec<'static> = Spec {
    switches: &["--global", "--no-restart"],
    options: &[],
    allow_unknown: false,
};

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let p = args::parse(args, SPEC)?;
    let (scope, keys) = super::scope_and_rest(ctx, &p)?;
    ops::unset(
        ctx,
        UnsetRequest {
            scope,
            keys,
            no_restart: p.has("--no-restart"),
        },
    )
}
