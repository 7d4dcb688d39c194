//! `nginx:access-logs <app> [-t]` and `nginx:error-logs <app> [-t]`: the
//! last lines of the app's nginx log, or follow it with `-t`.

use std::process::{Command, Stdio};

use dokku_core::args::{self, Spec};
use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::build;
use crate::props::Props;

fn show(ctx: &Ctx, argv: &[String], kind: &str) -> Result<()> {
    let parsed = args::parse(argv, Spec::new(&["-t"], &[]))?;
    let app = apps::require(&ctx.paths, parsed.arg(0))?;
    super::require_nginx(ctx, &app)?;
    let srv = build::server(ctx);
    let path = Props::new(&ctx.paths, &srv.log_root).computed(&app, &format!("{kind}-log-path"));
    if path == "off" {
        return Err(Error::fail(format!(
            "{kind} logs are disabled for this app"
        )));
    }
    if parsed.has("-t") {
        let status = Command::new("tail")
            .args(["-F", path.as_str()])
            .stdin(Stdio::null())
            .status()
            .map_err(|e| Error::other("run tail", e))?;
        return if status.success() {
            Ok(())
        } else {
            Err(Error::exit(status.code().unwrap_or(1)))
        };
    }
    let out = Command::new("tail")
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::other("run tail", e))?;
    ctx.out.write_out_bytes(&out.stdout);
    if !out.status.success() {
        ctx.out.write_err(&String::from_utf8_lossy(&out.stderr));
        return Err(Error::exit(out.status.code().unwrap_or(1)));
    }
    Ok(())
}

/// Run `nginx:access-logs`.
pub fn access(ctx: &Ctx, argv: &[String]) -> Result<()> {
    show(ctx, argv, "access")
}

/// Run `nginx:error-logs`.
pub fn error(ctx: &Ctx, argv: &[String]) -> Result<()> {
    show(ctx, argv, "error")
}
