//! `nginx:start`, `nginx:stop` and `nginx:reload`. A reload checks the
//! configuration first and leaves nginx alone when the check fails.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::build;
use crate::props::STORE;
use crate::server::Outcome;

fn finish(ctx: &Ctx, outcome: Outcome, what: &str) -> Result<()> {
    if outcome.ok {
        return Ok(());
    }
    for line in outcome.stderr.lines().filter(|l| !l.trim().is_empty()) {
        ctx.out.write_err(&format!("{line}\n"));
    }
    Err(Error::fail(format!("Failed to {what} nginx")))
}

/// Run `nginx:start`.
pub fn start(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    let srv = build::server(ctx);
    ctx.out.info1("Starting nginx");
    if srv.is_running() && srv.service_command.is_none() && srv.is_instance() {
        return Ok(());
    }
    finish(ctx, srv.start()?, "start")?;
    Properties::new(&ctx.paths, STORE).write(GLOBAL, "proxy-status", "started")
}

/// Run `nginx:stop`.
pub fn stop(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    let srv = build::server(ctx);
    ctx.out.info1("Stopping nginx");
    if !srv.is_running() && srv.service_command.is_none() && srv.is_instance() {
        return Ok(());
    }
    finish(ctx, srv.stop()?, "stop")?;
    Properties::new(&ctx.paths, STORE).write(GLOBAL, "proxy-status", "stopped")
}

/// Run `nginx:reload`.
pub fn reload(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    let srv = build::server(ctx);
    let check = srv.test()?;
    if !check.ok {
        return finish(ctx, check, "validate the configuration of");
    }
    ctx.out.info1("Reloading nginx");
    finish(ctx, srv.reload()?, "reload")
}
