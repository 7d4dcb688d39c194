//! Keeping nginx's routes to web tasks current between deploys. When a
//! node is lost or a task restarts, the swarm starts a replacement task,
//! usually on another node and always on a new host port, while Dokku's
//! `IP/PORT.web.N` records still name the old one. The records are
//! rewritten from the running tasks (and nginx reloaded when they changed)
//! whenever the app's status is read (`ps:report`, `ps:inspect`,
//! `scheduler-app-status`), by `scheduler-swarm:show-service`, and by
//! `scheduler-swarm:refresh-routes [<app>|--all]`, which a cron line can run
//! every minute. Nodes that are not `ready` are left out, so a lost node
//! stops being routed to as soon as the managers notice. A deploy in
//! progress (its lock held) keeps the records itself and is left alone.

use dokku_core::{apps, Result};
use dokku_trigger::deploy::scheduler_of;
use dokku_trigger::Ctx;

/// Rewrite an app's web records from its running tasks; whether they
/// changed. Apps of other schedulers, apps being deployed and apps
/// without a web service are left alone.
pub fn refresh(ctx: &Ctx, app: &str) -> Result<bool> {
    if scheduler_of(ctx, app)? != crate::SCHEDULER
        || apps::deploy_lock_path(&ctx.paths, app).exists()
    {
        return Ok(false);
    }
    let s = crate::cluster::manager(ctx)?;
    let deployed = crate::deploy::services(s, app)?.into_iter().any(|svc| {
        svc.labels
            .get(crate::deploy::PROCESS_LABEL)
            .map(String::as_str)
            == Some("web")
    });
    if !deployed {
        return Ok(false);
    }
    crate::deploy::record_web(ctx, s, app)
}

/// [`refresh`], for reads that must not fail because of it.
pub fn refresh_quietly(ctx: &Ctx, app: &str) {
    if let Err(e) = refresh(ctx, app) {
        ctx.out
            .warn(&format!("Unable to refresh the routes of {app}: {e}"));
    }
}

/// `scheduler-swarm:refresh-routes [<app>|--all]`.
pub fn command(ctx: &Ctx, target: Option<&str>) -> Result<()> {
    let list = match target {
        Some("--all") => apps::list(&ctx.paths),
        other => vec![apps::require(&ctx.paths, other)?],
    };
    for app in list {
        if refresh(ctx, &app)? {
            ctx.out.verbose_quiet(&format!("Routes of {app} updated"));
        }
    }
    Ok(())
}
