//! `checks:run <app> [proc,...|proc.index]`: run the checks against the
//! containers the last deploy recorded in `$DOKKU_ROOT/<app>/CONTAINER.*`.

use std::collections::BTreeMap;

use dokku_core::{fsutil, Error, Result};
use dokku_trigger::Ctx;

use crate::runner::{self, Target};

/// The recorded containers of an app: `(proc, index) -> container id`.
pub fn recorded(ctx: &Ctx, app: &str) -> BTreeMap<(String, u32), String> {
    let mut map = BTreeMap::new();
    let Ok(rd) = std::fs::read_dir(ctx.paths.app_dir(app)) else {
        return map;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("CONTAINER.") else {
            continue;
        };
        let Some((proc_type, index)) = rest.rsplit_once('.') else {
            continue;
        };
        let Ok(index) = index.parse::<u32>() else {
            continue;
        };
        let id = fsutil::read_optional(&e.path())
            .ok()
            .flatten()
            .unwrap_or_default()
            .trim()
            .to_string();
        if !id.is_empty() {
            map.insert((proc_type.to_string(), index), id);
        }
    }
    map
}

fn read(ctx: &Ctx, app: &str, file: &str) -> String {
    fsutil::read_optional(&ctx.paths.app_dir(app).join(file))
        .ok()
        .flatten()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let (app, procs) = super::app_and_procs(ctx, argv)?;
    let all = recorded(ctx, &app);
    if all.is_empty() {
        return Err(Error::fail(format!("App {app} has not been deployed")));
    }
    ctx.out.info1("Running pre-flight checks");
    let mut chosen: Vec<(String, u32, String)> = Vec::new();
    match &procs {
        None => chosen.extend(all.iter().map(|((p, i), id)| (p.clone(), *i, id.clone()))),
        Some(list) => {
            for item in list {
                let (proc_type, index) = match item.split_once('.') {
                    Some((p, i)) => (p.to_string(), Some(i.to_string())),
                    None => (item.clone(), None),
                };
                if !all.keys().any(|(p, _)| *p == proc_type) {
                    return Err(Error::fail(format!(
                        "Invalid process type specified ({app}.{proc_type})"
                    )));
                }
                match index {
                    None => chosen.extend(
                        all.iter()
                            .filter(|((p, _), _)| *p == proc_type)
                            .map(|((p, i), id)| (p.clone(), *i, id.clone())),
                    ),
                    Some(i) => {
                        let found = i.parse::<u32>().ok().and_then(|n| {
                            all.get(&(proc_type.clone(), n)).map(|id| (n, id.clone()))
                        });
                        match found {
                            Some((n, id)) => chosen.push((proc_type.clone(), n, id)),
                            None => {
                                return Err(Error::fail(format!(
                                    "Invalid container index specified ({app}.{proc_type}.{i})"
                                )))
                            }
                        }
                    }
                }
            }
        }
    }
    let engine = ctx.engine()?;
    let mut failed = false;
    for (proc_type, index, id) in chosen {
        let dyno = format!("{proc_type}.{index}");
        ctx.out
            .info1(&format!("Running checks for app ({app}.{dyno})"));
        let target = Target {
            app: app.clone(),
            container_id: id,
            proc_type: proc_type.clone(),
            ip: read(ctx, &app, &format!("IP.{dyno}")),
            port: read(ctx, &app, &format!("PORT.{dyno}"))
                .parse()
                .unwrap_or(5000),
            dyno,
        };
        if let Err(e) = runner::run(ctx, engine, &target) {
            ctx.out.warn(&e.to_string());
            failed = true;
        }
    }
    if failed {
        return Err(Error::exit(1));
    }
    Ok(())
}
