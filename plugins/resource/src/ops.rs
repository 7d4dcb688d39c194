//! The operations behind the resource commands: set, show and clear the
//! limits or reservations of an app's process type.

use dokku_core::lock::StateLock;
use dokku_core::property::{Properties, GLOBAL};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::store::{self, Kind, DEFAULT_PROC, PLUGIN, RESOURCES};

/// `resource:limit` / `resource:reserve`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetRequest {
    /// The app.
    pub app: String,
    /// The process type, `_default_` when none was given.
    pub proc_type: String,
    /// Limits or reservations.
    pub kind: Kind,
    /// The values given, by resource, in Dokku's order; `clear` removes.
    pub values: Vec<(String, String)>,
}

/// Set the given values, or show the stored ones when none was given.
pub fn set(ctx: &Ctx, req: &SetRequest) -> Result<()> {
    if req.values.is_empty() {
        return show(ctx, &req.app, &req.proc_type, req.kind);
    }
    for (resource, value) in &req.values {
        store::check_value(resource, value)?;
    }
    let mut message = format!("Setting resource {} for {}", req.kind.noun(), req.app);
    if req.proc_type != DEFAULT_PROC {
        message = format!("{message} ({})", req.proc_type);
    }
    ctx.out.info2_quiet(&message);
    let _lock = StateLock::acquire(&ctx.paths, &req.app)?;
    let p = Properties::new(&ctx.paths, PLUGIN);
    for (resource, value) in &req.values {
        let key = store::property(&req.proc_type, req.kind, resource);
        if value == "clear" {
            ctx.out.verbose(&format!("{resource}: cleared"));
            p.delete(&req.app, &key)?;
        } else {
            ctx.out.verbose(&format!("{resource}: {value}"));
            p.write(&req.app, &key, value)?;
        }
    }
    Ok(())
}

/// The stored values of one process type, not merged with the defaults.
pub fn show(ctx: &Ctx, app: &str, proc_type: &str, kind: Kind) -> Result<()> {
    let scope = if proc_type == DEFAULT_PROC {
        "[defaults]".to_string()
    } else {
        format!("({proc_type})")
    };
    ctx.out.info2_quiet(&format!(
        "resource {} {app} information {scope}",
        kind.noun()
    ));
    let p = Properties::new(&ctx.paths, PLUGIN);
    for resource in RESOURCES {
        let v = p.get_str(app, &store::property(proc_type, kind, resource));
        ctx.out.verbose(&format!("{resource}: {}", v.trim()));
    }
    Ok(())
}

/// Remove the limits or reservations of an app (of one process type when
/// given, else of all), or the host-wide defaults when `app` is `None`.
pub fn clear(ctx: &Ctx, app: Option<&str>, proc_type: Option<&str>, kind: Kind) -> Result<()> {
    let message = match (app, kind) {
        (Some(app), Kind::Limit) => format!("Clearing resource limit for {app}"),
        (Some(app), Kind::Reserve) => format!("Clearing resource reservation for {app}"),
        (None, Kind::Limit) => "Clearing default resource limits".to_string(),
        (None, Kind::Reserve) => "Clearing default resource reservation".to_string(),
    };
    ctx.out.info1(&message);
    let owner = app.unwrap_or(GLOBAL);
    let _lock = StateLock::acquire(&ctx.paths, owner)?;
    let p = Properties::new(&ctx.paths, PLUGIN);
    let middle = format!(".{}.", kind.key());
    for (key, _) in p.all(owner)? {
        let Some((proc, _)) = key.split_once(&middle) else {
            continue;
        };
        if proc_type.is_some_and(|t| t != proc) {
            continue;
        }
        p.delete(owner, &key)?;
    }
    Ok(())
}
