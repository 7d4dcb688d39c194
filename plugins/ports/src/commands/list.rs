//! `ports:list <app> [--format stdout|json]`: the mappings in effect.

use dokku_core::args::{self, Spec};
use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::{portmap, store};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let parsed = args::parse(argv, Spec::new(&[], &["--format"]))?;
    let app = apps::require(&ctx.paths, parsed.arg(0))?;
    let format = parsed.value("--format").unwrap_or("stdout");
    if format != "stdout" && format != "json" {
        return Err(Error::fail(format!("Invalid format specified: {format}")));
    }
    let maps = store::effective(ctx, &app);
    if format == "json" {
        ctx.out.line(&portmap::to_json(&maps));
        return Ok(());
    }
    if maps.is_empty() {
        return Err(Error::fail("No port mappings configured for app"));
    }
    ctx.out.info1_quiet(&format!("Port mappings for {app}"));
    ctx.out.info1_quiet(&format!(
        "{:<18} {:<25} {}",
        "scheme", "host port", "container port"
    ));
    for m in &maps {
        ctx.out.line(&format!(
            "{:<25} {:<25} {}",
            m.scheme, m.host_port, m.container_port
        ));
    }
    Ok(())
}
