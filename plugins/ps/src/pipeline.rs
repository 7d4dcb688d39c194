//! The release-and-deploy pipeline and the process lifecycle: what pushes,
//! `ps:*` commands, config changes and renames end in. Containers are the
//! scheduler's business; this module decides what to deploy and asks the
//! app's scheduler through the `scheduler-*` triggers.

use dokku_core::deploy_lock::DeployLock;
use dokku_core::property::Properties;
use dokku_core::{apps, Error, Result};
use dokku_trigger::deploy::{
    scheduler_of, AppJsonGetContent, Deploy, GitHasCode, PostStop, PreStart, ReceiveApp,
    ReleaseAndDeploy, SchedulerAppStatus, SchedulerDeploy, SchedulerIsDeployed,
    SchedulerPreRestore, SchedulerRetire, SchedulerStop,
};
use dokku_trigger::proxy::ProxyBuildConfig;
use dokku_trigger::release;
use dokku_trigger::Ctx;

use crate::scale::{self, Scale};
use crate::store;

/// Whether the app's scheduler has it deployed.
pub fn is_deployed(ctx: &Ctx, app: &str) -> Result<bool> {
    SchedulerIsDeployed::ask(ctx, app)
}

/// The image tag the app was last deployed with, if recorded.
pub fn deployed_tag(ctx: &Ctx, app: &str) -> String {
    store::props(&ctx.paths).get_str(app, "deployed-image-tag")
}

/// The `formation` quantities of the app's app.json, if it sets any.
pub fn formation(ctx: &Ctx, app: &str) -> Result<Option<Scale>> {
    let content = AppJsonGetContent::get(ctx, app)?;
    if content.trim().is_empty() {
        return Ok(None);
    }
    let parsed = dokku_trigger::appjson::AppJson::parse(&content).map_err(Error::fail)?;
    let mut out: Scale = Vec::new();
    for (name, entry) in &parsed.formation {
        if let Some(q) = entry.quantity {
            out.push((name.clone(), u32::try_from(q.max(0)).unwrap_or(u32::MAX)));
        }
    }
    Ok(if out.is_empty() { None } else { Some(out) })
}

/// Bring the stored scale in line with the app's process types and its
/// app.json formation, and return it.
pub fn ensure_scale(ctx: &Ctx, app: &str) -> Result<Scale> {
    let types = store::defined_types(&ctx.paths, app)?;
    let current = store::scale(&ctx.paths, app)?;
    let props = store::props(&ctx.paths);
    let next = match formation(ctx, app)? {
        Some(f) => {
            props.write(app, "can-scale", "false")?;
            let mut s: Scale = types.iter().map(|t| (t.clone(), 0)).collect();
            for (p, n) in f {
                scale::set(&mut s, &p, n);
            }
            s
        }
        None => {
            props.delete(app, "can-scale")?;
            scale::with_types(current.clone(), &types)
        }
    };
    if next != current {
        store::write_scale(&ctx.paths, app, &next)?;
    }
    Ok(next)
}

/// Run `f` holding the app's deploy lock (`.deploy.lock`): a locked app,
/// or one being deployed, is refused with Dokku's lines.
pub fn locked<T>(ctx: &Ctx, app: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let _lock = DeployLock::acquire(&ctx.paths, app, &ctx.out)?;
    f()
}

/// Fire the `release-and-deploy` trigger for the image `tag` of `app`.
fn fire_release_and_deploy(ctx: &Ctx, app: &str, tag: String) -> Result<()> {
    ctx.bus.notify(
        ctx,
        &ReleaseAndDeploy {
            app: app.to_string(),
            image_tag: tag,
        },
    )
}

/// `release-and-deploy APP TAG`: let the app's builder release the image,
/// then deploy it (unless deploys are skipped).
pub fn release_and_deploy(ctx: &Ctx, app: &str, tag: &str) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    let tag = release::tag_or_latest(tag);
    release::release_app(ctx, app, tag)?;
    if store::property(&ctx.paths, app, "skip-deploy") == "true" {
        ctx.out.info1("Skipping deployment");
        return Ok(());
    }
    ctx.bus.notify(
        ctx,
        &Deploy {
            app: app.to_string(),
            rest: vec![tag.to_string()],
        },
    )
}

/// `deploy APP [TAG] [PROC_TYPE]`: deploy a released image with the app's
/// scheduler. Like `release-and-deploy`, it runs under the deploy lock its
/// caller holds (the git plugin for a push, [`locked`] for the rest).
pub fn deploy(ctx: &Ctx, app: &str, tag: &str, proc_type: &str) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    let tag = if tag.is_empty() { "latest" } else { tag };
    ensure_scale(ctx, app)?;
    let scheduler = scheduler_of(ctx, app)?;
    let t = SchedulerDeploy {
        scheduler: scheduler.clone(),
        app: app.to_string(),
        image_tag: tag.to_string(),
        process_type: if proc_type.is_empty() {
            Vec::new()
        } else {
            vec![proc_type.to_string()]
        },
    };
    ctx.bus.select(ctx, &t)?;
    let props = store::props(&ctx.paths);
    props.write(app, "deployed-image-tag", tag)?;
    Properties::new(&ctx.paths, "common").write(app, "deployed", "true")?;
    Ok(())
}

/// Restart a deployed app through the zero-downtime path; an app never
/// deployed is left alone (with Dokku's warning when `warn`).
pub fn restart(ctx: &Ctx, app: &str, proc_type: &str, warn: bool) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    if !is_deployed(ctx, app)? {
        if warn {
            ctx.out.warn(&format!("App {app} has not been deployed"));
        }
        return Ok(());
    }
    let tag = deployed_tag(ctx, app);
    if !warn {
        // A restart asked for by a trigger (config changes) is a no-op
        // when there is no image to restart from.
        let image = release::image(app, &tag);
        if !ctx
            .engine()?
            .image_exists(&image)
            .map_err(|e| Error::other("inspect image", e))?
        {
            return Ok(());
        }
    }
    store::props(&ctx.paths).delete(app, "restore")?;
    locked(ctx, app, || {
        if tag.is_empty() {
            ctx.out.warn(
                "No deployed-image-tag property saved, falling back to full release-and-deploy",
            );
            return fire_release_and_deploy(ctx, app, String::new());
        }
        ctx.bus.notify(
            ctx,
            &Deploy {
                app: app.to_string(),
                rest: vec![tag, proc_type.to_string()],
            },
        )
    })
}

/// Rebuild an app: from its source when the repository has code, else by
/// releasing its current image again.
pub fn rebuild(ctx: &Ctx, app: &str) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    let has_code = ctx
        .bus
        .collect(
            ctx,
            &GitHasCode {
                app: app.to_string(),
                branch_name: String::new(),
            },
        )?
        .into_iter()
        .any(|a| a);
    if has_code {
        return ctx.bus.notify(
            ctx,
            &ReceiveApp {
                app: app.to_string(),
                rev: Vec::new(),
            },
        );
    }
    let tag = deployed_tag(ctx, app);
    let tag = if tag.is_empty() {
        "latest".to_string()
    } else {
        tag
    };
    let exists = ctx
        .engine()?
        .image_exists(&release::image(app, &tag))
        .map_err(|e| Error::other("inspect image", e))?;
    if !exists {
        ctx.out.warn(&format!("App {app} has not been deployed"));
        return Ok(());
    }
    locked(ctx, app, || fire_release_and_deploy(ctx, app, tag))
}

/// How many recorded containers run: `(running, total)`.
pub fn running_state(ctx: &Ctx, app: &str) -> Result<(usize, usize)> {
    let lines = app_status(ctx, app)?;
    let running = lines.iter().filter(|(_, s, _)| s == "running").count();
    Ok((running, lines.len()))
}

/// The scheduler's status lines: `(dyno, status, container id)`.
pub fn app_status(ctx: &Ctx, app: &str) -> Result<Vec<(String, String, String)>> {
    let scheduler = scheduler_of(ctx, app)?;
    let s = ctx
        .bus
        .select(
            ctx,
            &SchedulerAppStatus {
                scheduler,
                app: app.to_string(),
            },
        )?
        .unwrap_or_default();
    Ok(s.lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((
                it.next()?.to_string(),
                it.next()?.to_string(),
                it.next().unwrap_or("").to_string(),
            ))
        })
        .collect())
}

/// `ps:start`: deploy a stopped app again.
pub fn start(ctx: &Ctx, app: &str) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    if !is_deployed(ctx, app)? {
        ctx.out.warn(&format!("App {app} has not been deployed"));
        return Ok(());
    }
    if let Err(e) = ctx.bus.notify(
        ctx,
        &PreStart {
            app: app.to_string(),
        },
    ) {
        return Err(Error::fail(format!("Failure in pre-start hook: {e}")));
    }
    let (running, total) = running_state(ctx, app)?;
    store::props(&ctx.paths).delete(app, "restore")?;
    if total > 0 && running == total {
        ctx.out.warn(&format!("App {app} already running"));
        return Ok(());
    }
    if running > 0 {
        ctx.out.warn("App is running in mixed mode, releasing");
    }
    let tag = deployed_tag(ctx, app);
    locked(ctx, app, || fire_release_and_deploy(ctx, app, tag))?;
    cron_write(ctx, app)
}

/// Let the cron side write the app's tasks out again after it started or
/// stopped (`scheduler-cron-write`).
fn cron_write(ctx: &Ctx, app: &str) -> Result<()> {
    let scheduler_name = scheduler_of(ctx, app)?;
    ctx.bus.notify(
        ctx,
        &dokku_trigger::cron::SchedulerCronWrite {
            scheduler: scheduler_name,
            app: app.to_string(),
        },
    )
}

/// `ps:stop`: stop the app's containers and keep it stopped across reboots.
pub fn stop(ctx: &Ctx, app: &str) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    if !is_deployed(ctx, app)? {
        ctx.out.warn(&format!("App {app} has not been deployed"));
        return Ok(());
    }
    ctx.out.info1_quiet(&format!("Stopping {app}"));
    let scheduler = scheduler_of(ctx, app)?;
    ctx.bus.select(
        ctx,
        &SchedulerStop {
            scheduler,
            app: app.to_string(),
            remove_containers: false,
        },
    )?;
    ctx.bus.notify(
        ctx,
        &PostStop {
            app: app.to_string(),
        },
    )?;
    store::props(&ctx.paths).write(app, "restore", "false")?;
    cron_write(ctx, app)
}

/// `ps:restore` of one app: start what was running before a reboot.
pub fn restore(ctx: &Ctx, app: &str) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    if store::property(&ctx.paths, app, "restore") == "false" {
        ctx.out.warn(&format!(
            "Skipping ps:restore for {app} as restore property is false"
        ));
        return Ok(());
    }
    if !is_deployed(ctx, app)? {
        return Ok(());
    }
    ctx.out.info1(&format!("Restoring app {app}"));
    let scheduler = scheduler_of(ctx, app)?;
    let lines = app_status(ctx, app)?;
    if lines.is_empty() || lines.iter().any(|(_, s, _)| s == "missing") {
        ctx.out
            .warn("App has been detected as not running, releasing");
        let tag = deployed_tag(ctx, app);
        return locked(ctx, app, || {
            ctx.bus.notify(
                ctx,
                &ReleaseAndDeploy {
                    app: app.to_string(),
                    image_tag: tag,
                },
            )
        });
    }
    ctx.bus.select(
        ctx,
        &SchedulerPreRestore {
            scheduler,
            app: app.to_string(),
        },
    )?;
    ctx.bus.notify(
        ctx,
        &ProxyBuildConfig {
            app: app.to_string(),
        },
    )
}

/// `ps:retire` of one app: retire old containers whose time has come.
pub fn retire(ctx: &Ctx, app: &str) -> Result<()> {
    let scheduler = scheduler_of(ctx, app)?;
    ctx.bus.select(
        ctx,
        &SchedulerRetire {
            scheduler,
            app: app.to_string(),
        },
    )?;
    Ok(())
}

/// Set the scale of an app from tuples (keeping other types unless
/// `clear`), then deploy it unless told not to. `manual` is a `ps:scale`
/// by a user, refused when app.json manages the formation.
pub fn set_scale(
    ctx: &Ctx,
    app: &str,
    tuples: &[String],
    skip_deploy: bool,
    clear: bool,
    manual: bool,
) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    if manual && store::property(&ctx.paths, app, "can-scale") == "false" {
        return Err(Error::fail(format!("App {app} contains an app.json file with a formations key and cannot be manually scaled")));
    }
    let wanted = crate::scale::parse_tuples(tuples)?;
    let mut s = if clear {
        Vec::new()
    } else {
        store::scale(&ctx.paths, app)?
    };
    for (p, n) in &wanted {
        crate::scale::set(&mut s, p, *n);
    }
    store::write_scale(&ctx.paths, app, &s)?;
    if manual {
        let list: Vec<String> = wanted.iter().map(|(p, n)| format!("{p}={n}")).collect();
        ctx.out
            .info1(&format!("Scaling {app} processes: {}", list.join(" ")));
    }
    if skip_deploy || !is_deployed(ctx, app)? {
        return Ok(());
    }
    let tag = deployed_tag(ctx, app);
    let rest = if tag.is_empty() {
        Vec::new()
    } else {
        vec![tag]
    };
    locked(ctx, app, || {
        ctx.bus.notify(
            ctx,
            &Deploy {
                app: app.to_string(),
                rest,
            },
        )
    })
}
