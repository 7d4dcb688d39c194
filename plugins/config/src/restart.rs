//! What follows a change of an environment: the `post-config-update`
//! notification and, for a deployed app, a restart through `app-restart`.
//! Failures of either are warnings; the change itself has been made.

use dokku_core::Error;
use dokku_trigger::builds::Capture;
use dokku_trigger::deploy::SchedulerIsDeployed;
use dokku_trigger::triggers::{AppRestart, PostConfigUpdate};
use dokku_trigger::Ctx;

use crate::store::Scope;

/// An error as a warning's tail: external plugins fail with just an exit
/// code, shown the way Go shows a failed command.
fn describe(e: &Error) -> String {
    match e {
        Error::Exit { code, message } if message.is_empty() => format!("exit status {code}"),
        other => other.to_string(),
    }
}

/// Tell plugins that `scope` changed: `action` is `set` (items are
/// `KEY=VALUE`) or `unset` (items are keys).
pub fn notify_update(ctx: &Ctx, scope: &Scope, action: &str, items: Vec<String>) {
    let t = PostConfigUpdate {
        app: scope.name().to_string(),
        action: action.to_string(),
        items,
    };
    if let Err(e) = ctx.bus.notify(ctx, &t) {
        ctx.out.warn(&format!(
            "Failure while triggering post-config-update: {}",
            describe(&e)
        ));
    }
}

/// Restart the app after a change, unless told not to, the scope is
/// global, or the app has not been deployed.
pub fn maybe_restart(ctx: &Ctx, scope: &Scope, no_restart: bool) {
    let Some(app) = scope.app() else { return };
    if no_restart || !SchedulerIsDeployed::ask(ctx, app).unwrap_or(false) {
        return;
    }
    // The redeploy is a build record of its own (`config-redeploy`).
    let capture = match Capture::start(ctx, app, "config-redeploy") {
        Ok(c) => c,
        Err(e) => {
            ctx.out
                .warn(&format!("Unable to record the redeploy: {}", describe(&e)));
            None
        }
    };
    ctx.out.info1(&format!("Restarting app {app}"));
    let result = ctx.bus.notify(
        ctx,
        &AppRestart {
            app: app.to_string(),
        },
    );
    if let Err(e) = &result {
        ctx.out
            .warn(&format!("Failure while restarting app: {}", describe(e)));
    }
    if let Some(c) = capture {
        let code = result.as_ref().map_or_else(Error::exit_code, |()| 0);
        if let Err(e) = c.finish(ctx, code) {
            ctx.out
                .warn(&format!("Unable to record the redeploy: {}", describe(&e)));
        }
    }
}
