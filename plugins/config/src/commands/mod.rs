//! One file per `config:*` command: each parses its flags, resolves the app
//! or `--global`, and calls the operation in [`crate::ops`].

pub mod bundle;
pub mod clear;
pub mod export;
pub mod get;
pub mod import;
pub mod keys;
pub mod set;
pub mod show;
pub mod unset;

use dokku_core::args::{self, Parsed, Spec};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::store::Scope;

/// The scope named by the arguments — `--global`, else the first
/// positional argument, which must be an existing app — and the positional
/// arguments after it.
pub(crate) fn scope_and_rest(ctx: &Ctx, parsed: &Parsed) -> Result<(Scope, Vec<String>)> {
    if parsed.has("--global") {
        return Ok((Scope::Global, parsed.positional.clone()));
    }
    let app = dokku_core::apps::require(&ctx.paths, parsed.arg(0))?;
    Ok((
        Scope::App(app),
        parsed.positional.iter().skip(1).cloned().collect(),
    ))
}

/// Parses the arguments by `spec`, then resolves their scope as
/// [`scope_and_rest`] does.
pub(crate) fn parse_scoped(
    ctx: &Ctx,
    argv: &[String],
    spec: Spec<'_>,
) -> Result<(Parsed, Scope, Vec<String>)> {
    let parsed = args::parse(argv, spec)?;
    let (scope, rest) = scope_and_rest(ctx, &parsed)?;
    Ok((parsed, scope, rest))
}
