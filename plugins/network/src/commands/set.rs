//! `network:set <app>|--global <key> [<value>...]`: the attach properties
//! must name existing networks (one for `initial-network`).

use dokku_core::{set, Error, Result};
use dokku_trigger::Ctx;

use crate::{networks, store};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let req = set::parse(&ctx.paths, argv)?;
    set::check(&store::SCHEMA, &req)?;
    if matches!(
        req.key.as_str(),
        "attach-post-create" | "attach-post-deploy" | "initial-network"
    ) {
        if req.key == "initial-network" && networks::names(&req.value).len() > 1 {
            return Err(Error::fail(format!(
                "Invalid network name specified for attach: {}",
                req.value
            )));
        }
        networks::check_attach_value(ctx, &req.value)?;
    }
    set::apply(&ctx.paths, &ctx.out, &store::SCHEMA, &req)
}
