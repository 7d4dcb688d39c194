//! `ps:set [--global|<app>] <key> [<value>]`.

use dokku_core::{set, Error, Result};
use dokku_trigger::Ctx;

use crate::report::SCHEMA;

/// Run the command: an unknown key is refused in ps's own words first.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let req = set::parse(&ctx.paths, argv)?;
    if !req.key.is_empty() && SCHEMA.prop(&req.key).is_none() {
        return Err(Error::fail(format!(
            "Invalid ps property specified: {}",
            req.key
        )));
    }
    set::check(&SCHEMA, &req)?;
    set::apply(&ctx.paths, &ctx.out, &SCHEMA, &req)
}
