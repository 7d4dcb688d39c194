//! `git:set [--global|<app>] <key> [<value>]`: the keys and their checks
//! come from the schema; unsetting `rev-env-var` keeps an empty value,
//! which disables the variable.

use dokku_core::set;
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::props;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let req = set::parse(&ctx.paths, argv)?;
    set::check(&props::SCHEMA, &req)?;
    if req.value.is_empty() && req.key == "rev-env-var" {
        let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, &req.app)?;
        ctx.out.info2_quiet(&format!("Unsetting {}", req.key));
        return props::write(&ctx.paths, &req.app, &req.key, "");
    }
    set::apply(&ctx.paths, &ctx.out, &props::SCHEMA, &req)
}
