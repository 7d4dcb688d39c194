//! `network:rebuild` and `network:rebuildall`: rewrite the address records
//! of an app's running containers from what the engine reports now (a
//! docker restart may have handed out new addresses).

use dokku_core::{apps, fsutil, Error, Result};
use dokku_trigger::Ctx;

use crate::store;

/// Every recorded dyno of an app, `(process type, index)`, sorted.
fn dynos(ctx: &Ctx, app: &str) -> Vec<(String, u32)> {
    let Ok(rd) = std::fs::read_dir(ctx.paths.app_dir(app)) else {
        return Vec::new();
    };
    let mut v: Vec<(String, u32)> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let rest = name.strip_prefix("CONTAINER.")?;
            let (proc_type, index) = rest.rsplit_once('.')?;
            Some((proc_type.to_string(), index.parse().ok()?))
        })
        .collect();
    v.sort();
    v
}

/// Rewrite the records of one app; the number of containers whose address
/// could not be read.
pub fn rebuild_app(ctx: &Ctx, app: &str) -> Result<usize> {
    apps::verify(&ctx.paths, app)?;
    let dynos = dynos(ctx, app);
    if dynos.is_empty() {
        return Ok(0);
    }
    ctx.out.info1(&format!(
        "Ensuring network configuration is in sync for {app}"
    ));
    let engine = ctx.engine()?;
    let initial = store::computed(&ctx.paths, app, "initial-network");
    let mut failed = 0;
    for (proc_type, index) in dynos {
        let record = ctx
            .paths
            .app_dir(app)
            .join(format!("CONTAINER.{proc_type}.{index}"));
        let id = fsutil::read_optional(&record)?.unwrap_or_default();
        let id = id.trim();
        if id.is_empty() {
            continue;
        }
        let info = match engine.inspect_container(id) {
            Ok(i) if i.running => i,
            _ => continue,
        };
        let ip = if initial == "host" {
            Some("127.0.0.1")
        } else {
            Some(initial.as_str())
                .filter(|n| !n.is_empty())
                .and_then(|n| info.ip_address(n))
                .or_else(|| info.ip_address("bridge"))
                .or_else(|| info.first_ip_address())
        };
        match ip {
            Some(ip) => {
                store::write_record(&ctx.paths, app, "IP", &proc_type, &index.to_string(), ip)?
            }
            None => failed += 1,
        }
    }
    Ok(failed)
}

/// The exit status for `failed` containers: non-zero when any failed.
fn outcome(failed: usize) -> Result<()> {
    if failed == 0 {
        Ok(())
    } else {
        Err(Error::exit(i32::try_from(failed.min(255)).unwrap_or(1)))
    }
}

/// `network:rebuild <app>`.
pub fn rebuild(ctx: &Ctx, app: &str) -> Result<()> {
    outcome(rebuild_app(ctx, app)?)
}

/// `network:rebuildall`.
pub fn rebuild_all(ctx: &Ctx) -> Result<()> {
    let mut failed = 0;
    for app in apps::list(&ctx.paths) {
        failed += rebuild_app(ctx, &app)?;
    }
    outcome(failed)
}
