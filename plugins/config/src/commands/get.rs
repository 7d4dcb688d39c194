//! `config:get [--quoted] (<app>|--global) KEY`: one value; exit 1 with no
//! output when it is unset.

use dokku_core::args::Spec;
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::envfile::single_quote;
use crate::ops;

const SPEC: Spec<'static> = Spec::new(&["--global", "--quoted"], &[]);

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, rest) = super::parse_scoped(ctx, args, SPEC)?;
    let key = match rest.as_slice() {
        [] => return Err(Error::fail("Expected: key")),
        [key] => key,
        [_, extra @ ..] => {
            return Err(Error::fail(format!(
                "Unexpected argument(s): [{}]",
                extra.join(" ")
            )))
        }
    };
    match ops::get(ctx, &scope, key)? {
        Some(v) if p.has("--quoted") => ctx.out.line(&single_quote(&v)),
        Some(v) => ctx.out.line(&v),
        None => return Err(Error::exit(1)),
    }
    Ok(())
}
