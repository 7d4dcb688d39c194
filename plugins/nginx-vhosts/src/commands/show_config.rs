//! `nginx:show-config <app>`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::build;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    super::require_nginx(ctx, &app)?;
    let path = build::conf_path(ctx, &app);
    let text = std::fs::read_to_string(&path)
        .map_err(|_| Error::fail(format!("No nginx.conf exists for {app}")))?;
    ctx.out.write_out(&text);
    Ok(())
}
