//! The app lifecycle outside deploys: stop, status, inspect, restore after
//! a reboot, destroy, rename and clone.

use std::collections::BTreeSet;

use dokku_core::{fsutil, Result};
use dokku_docker::{ContainerEngine, ContainerFilter, ImageFilter};
use dokku_trigger::Ctx;

use crate::containers::{self, docker_err};
use crate::{retire, store};

/// `scheduler-stop`: stop the app's deployed containers, removing them
/// (and their records) when `remove` is `true`.
pub fn stop(ctx: &Ctx, app: &str, remove: bool) -> Result<()> {
    let Some(engine) = engine_unless_idle(ctx, app)? else {
        return Ok(());
    };
    let timeout = containers::stop_timeout(ctx, app);
    for c in containers::deploy_containers(engine, app)? {
        // A container that went away meanwhile (retired, or a one-off that
        // removed itself) is not an error.
        if c.state == "running" || c.state == "restarting" || c.state == "paused" {
            match engine.stop_container(&c.id, Some(timeout)) {
                Ok(()) => {}
                Err(e) if e.is_not_found() => continue,
                Err(e) => return Err(docker_err("stop container")(e)),
            }
        }
        if remove {
            match engine.remove_container(&c.id, true) {
                Ok(()) => {}
                Err(e) if e.is_not_found() || e.is_conflict() => {}
                Err(e) => return Err(docker_err("remove container")(e)),
            }
        }
    }
    if remove {
        store::forget_all(&ctx.paths, app)?;
    }
    Ok(())
}

/// The engine; `None` when it cannot be reached and the app has no
/// recorded container (an app never deployed needs no engine to stop or
/// destroy).
fn engine_unless_idle<'c>(ctx: &'c Ctx, app: &str) -> Result<Option<&'c dyn ContainerEngine>> {
    match ctx.engine() {
        Ok(e) => Ok(Some(e)),
        Err(_) if store::records(&ctx.paths, app).is_empty() => Ok(None),
        Err(e) => Err(e),
    }
}

/// `scheduler-is-deployed`: whether a container was recorded.
pub fn is_deployed(ctx: &Ctx, app: &str) -> bool {
    !store::records(&ctx.paths, app).is_empty()
}

/// `scheduler-app-status`: `<dyno> <status> <id>` per recorded container;
/// `missing` when the container is gone.
pub fn status(ctx: &Ctx, app: &str) -> Result<String> {
    let records = store::records(&ctx.paths, app);
    if records.is_empty() {
        return Ok(String::new());
    }
    let engine = ctx.engine()?;
    load_states(ctx, engine)?;
    let mut out = String::new();
    for (dyno, r) in records {
        let known = ctx
            .with_batch_state::<States, _>(|s| s.state_of(&r.container_id))
            .flatten();
        let st = match known {
            Some(st) => st,
            None => match engine.inspect_container(&r.container_id) {
                Ok(i) => i.status,
                Err(e) if e.is_not_found() => "missing".to_string(),
                Err(e) => return Err(docker_err("inspect container")(e)),
            },
        };
        out.push_str(&format!("{dyno} {st} {}\n", r.container_id));
    }
    Ok(out)
}

/// Every app container's state, listed once for a command that reports on
/// many apps (it runs in a batch) instead of one inspection per container.
#[derive(Default)]
struct States {
    loaded: bool,
    by_id: std::collections::HashMap<String, String>,
}

impl States {
    /// The state of a container known by its full id or a prefix of it;
    /// `missing` when the list has no such container.
    fn state_of(&self, id: &str) -> Option<String> {
        if !self.loaded {
            return None;
        }
        let found = self.by_id.get(id).cloned().or_else(|| {
            self.by_id
                .iter()
                .find(|(full, _)| !id.is_empty() && full.starts_with(id))
                .map(|(_, st)| st.clone())
        });
        Some(found.unwrap_or_else(|| "missing".into()))
    }
}

fn load_states(ctx: &Ctx, engine: &dyn ContainerEngine) -> Result<()> {
    if ctx.with_batch_state::<States, _>(|s| s.loaded) != Some(false) {
        return Ok(());
    }
    let list = engine
        .list_containers(&ContainerFilter::label("com.dokku.app-name"))
        .map_err(docker_err("list containers"))?;
    ctx.with_batch_state::<States, _>(|s| {
        s.by_id = list.into_iter().map(|c| (c.id, c.state)).collect();
        s.loaded = true;
    });
    Ok(())
}

/// `scheduler-inspect`: the app's containers as JSON, env values masked.
pub fn inspect(ctx: &Ctx, app: &str) -> Result<()> {
    let engine = ctx.engine()?;
    let mut all = Vec::new();
    for c in containers::deploy_containers(engine, app)? {
        let i = engine
            .inspect_container(&c.id)
            .map_err(docker_err("inspect container"))?;
        let env: Vec<String> = i
            .env
            .iter()
            .map(|e| match e.split_once('=') {
                Some((k, _)) if !["PATH", "PORT", "DYNO", "HOME", "HOSTNAME"].contains(&k) => {
                    format!("{k}=XXXXXXXX")
                }
                _ => e.clone(),
            })
            .collect();
        let networks: serde_json::Map<String, serde_json::Value> = i
            .networks
            .iter()
            .map(|(n, net)| {
                (
                    n.clone(),
                    serde_json::json!({"IPAddress": net.ip_address, "Aliases": net.aliases}),
                )
            })
            .collect();
        all.push(serde_json::json!({
            "Id": i.id,
            "Name": format!("/{}", i.name),
            "Image": i.image_id,
            "Config": {"Image": i.image, "Env": env, "Labels": i.labels},
            "State": {
                "Status": i.status,
                "Running": i.running,
                "ExitCode": i.exit_code,
                "StartedAt": i.started_at,
                "FinishedAt": i.finished_at,
            },
            "RestartCount": i.restart_count,
            "NetworkSettings": {"Networks": networks},
        }));
    }
    let text = serde_json::to_string_pretty(&serde_json::Value::Array(all))
        .unwrap_or_else(|_| "[]".into());
    ctx.out.line(&text);
    Ok(())
}

/// `scheduler-pre-restore`: start the recorded containers that are not
/// running and record their new addresses.
pub fn pre_restore(ctx: &Ctx, app: &str) -> Result<()> {
    let engine = ctx.engine()?;
    for (dyno, mut r) in store::records(&ctx.paths, app) {
        let Ok(info) = engine.inspect_container(&r.container_id) else {
            continue;
        };
        if !info.running {
            engine
                .start_container(&r.container_id)
                .map_err(docker_err("start container"))?;
        }
        let info = engine
            .inspect_container(&r.container_id)
            .map_err(docker_err("inspect container"))?;
        if let Some(ip) = info
            .ip_address("bridge")
            .or_else(|| info.first_ip_address())
        {
            r.ip = ip.to_string();
            store::record(&ctx.paths, app, &dyno, &r)?;
        }
    }
    Ok(())
}

/// Every image reference `dokku/<app>:<tag>` on the host.
fn app_tags(engine: &dyn ContainerEngine, app: &str) -> Result<BTreeSet<String>> {
    let repo = format!("dokku/{app}");
    let head = format!("{repo}:");
    let mut tags = BTreeSet::new();
    for reference in [repo.clone(), format!("{repo}:*")] {
        let f = ImageFilter {
            labels: Vec::new(),
            reference: Some(reference),
            dangling: None,
        };
        for i in engine.list_images(&f).map_err(docker_err("list images"))? {
            tags.extend(i.repo_tags.into_iter().filter(|t| t.starts_with(&head)));
        }
    }
    Ok(tags)
}

/// `scheduler-post-delete`: remove every container and image of the app.
pub fn post_delete(ctx: &Ctx, app: &str) -> Result<()> {
    let Some(engine) = engine_unless_idle(ctx, app)? else {
        return fsutil::remove_dir_all(&store::data_dir(&ctx.paths, app));
    };
    for c in containers::all_containers(engine, app)? {
        // A container already gone, or already being removed (a retired
        // one, an `--rm` one-off), is no error.
        match engine.remove_container(&c.id, true) {
            Ok(()) => {}
            Err(e) if e.is_not_found() || e.is_conflict() => {}
            Err(e) => return Err(docker_err("remove container")(e)),
        }
    }
    for tag in app_tags(engine, app)? {
        let _ = engine.remove_image(&tag, false);
    }
    retire::remove_dangling_images(engine, app);
    store::forget_all(&ctx.paths, app)?;
    fsutil::remove_dir_all(&store::data_dir(&ctx.paths, app))
}

/// `post-app-rename-setup` / `post-app-clone-setup`: the new app starts
/// without container records, with the old app's images tagged for it.
pub fn copy_setup(ctx: &Ctx, old: &str, new: &str) -> Result<()> {
    store::forget_all(&ctx.paths, new)?;
    let engine = ctx.engine()?;
    for tag in app_tags(engine, old)? {
        let Some((_, t)) = tag.rsplit_once(':') else {
            continue;
        };
        engine
            .tag_image(&tag, &format!("dokku/{new}:{t}"))
            .map_err(docker_err("tag image"))?;
    }
    Ok(())
}
