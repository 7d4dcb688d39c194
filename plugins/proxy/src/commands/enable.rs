//! `proxy:enable [--parallel count] [--all|<app>]`.

use dokku_core::Result;
use dokku_trigger::proxy::ProxyEnable;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    super::batched(ctx, super::targets(ctx, argv)?, |ctx, app| {
        super::switch(ctx, &app, true)?;
        ctx.bus.notify(ctx, &ProxyEnable { app })
    })
}
