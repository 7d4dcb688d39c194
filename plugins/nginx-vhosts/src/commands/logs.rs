//! `nginx:access-logs <app> [-t]` and `nginx:error-logs <app> [-t]`: the
//! last lines of the app's nginx log, or follow it with `-t`. As with
//! Dokku, the app's scheduler shows them (`scheduler-proxy-logs`); the
//! docker-local one tails the file at the path `nginx-log-path` answers.

use dokku_core::args::{self, Spec};
use dokku_core::{apps, Error, Result};
use dokku_trigger::deploy::scheduler_of;
use dokku_trigger::helpers::SchedulerProxyLogs;
use dokku_trigger::Ctx;

use crate::build;
use crate::props::Props;

/// The computed path of the app's `kind` log (`access` or `error`).
pub fn log_path(ctx: &Ctx, app: &str, kind: &str) -> String {
    let srv = build::server(ctx);
    Props::new(&ctx.paths, &srv.log_root).computed(app, &format!("{kind}-log-path"))
}

fn show(ctx: &Ctx, argv: &[String], kind: &str) -> Result<()> {
    let parsed = args::parse(argv, Spec::new(&["-t"], &[]))?;
    let app = apps::require(&ctx.paths, parsed.arg(0))?;
    super::require_nginx(ctx, &app)?;
    if log_path(ctx, &app, kind) == "off" {
        return Err(Error::fail(format!(
            "{kind} logs are disabled for this app"
        )));
    }
    ctx.bus.select(
        ctx,
        &SchedulerProxyLogs {
            scheduler: scheduler_of(ctx, &app)?,
            app,
            proxy_type: "nginx".into(),
            log_type: kind.into(),
            tail: parsed.has("-t"),
            num: "0".into(),
        },
    )?;
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
