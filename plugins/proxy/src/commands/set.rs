//! `proxy:set <app>|--global <key> [<value>]`: `type`, `proxy-port`,
//! `proxy-ssl-port`; the older `proxy:set <app> <type>` form sets `type`.

use dokku_core::set;
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use super::report::SCHEMA;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let mut req = set::parse(&ctx.paths, argv)?;
    if !req.key.is_empty() && req.value.is_empty() && SCHEMA.prop(&req.key).is_none() {
        req.value = std::mem::replace(&mut req.key, "type".into());
    }
    // Any type is stored as given, but a port mapping is refused.
    if req.key == "type" && req.value.contains(':') {
        ctx.out
            .warn("Detected potential port mapping instead of proxy type");
        return Err(Error::fail(
            "Consider using ports:set command or specifying a valid proxy",
        ));
    }
    set::check(&SCHEMA, &req)?;
    set::apply(&ctx.paths, &ctx.out, &SCHEMA, &req)
}
