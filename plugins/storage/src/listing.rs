//! Read-only views: `storage:list`, `storage:info`, `storage:list-entries`
//! and the annotation and label reports.

use std::collections::BTreeMap;

use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::entries::MetaKind;
use crate::entry::{self, Entry};
use crate::mounts;

fn pretty<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| Error::other("encode json", e))
}

/// `text` or `json`; anything else is refused with `invalid`.
fn text_or_json(format: Option<&str>, invalid: impl Fn(&str) -> Error) -> Result<bool> {
    match format {
        None | Some("text") | Some("stdout") | Some("") => Ok(false),
        Some("json") => Ok(true),
        Some(other) => Err(invalid(other)),
    }
}

/// `storage:list <app> [--format text|json]`.
pub fn list(ctx: &Ctx, app: &str, format: Option<&str>) -> Result<()> {
    let json = text_or_json(format, |_| Error::fail("Invalid --format value specified"))?;
    let items = mounts::list_items(&ctx.paths, &ctx.out, app, None)?;
    if json {
        ctx.out.line(&pretty(&items)?);
        return Ok(());
    }
    ctx.out.info1_quiet(&format!("{app} volume bind-mounts:"));
    for i in items {
        let line = format!("{}:{}", i.host_path, i.container_path);
        if ctx.out.is_quiet() {
            ctx.out.line(&line);
        } else {
            ctx.out.verbose(&line);
        }
    }
    Ok(())
}

/// The `Label: value` lines of `storage:info`, only for fields that are set.
pub fn info_rows(e: &Entry) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Scheduler", e.scheduler.clone()),
        ("Host path", e.host_path.clone()),
    ];
    let mode = crate::chown::display_mode(&e.mode);
    let optional = [
        ("Chown", &e.chown),
        ("Mode", &mode),
        ("Reclaim policy", &e.reclaim_policy),
        ("Namespace", &e.namespace),
        ("Size", &e.size),
        ("Access mode", &e.access_mode),
        ("Storage class", &e.storage_class_name),
    ];
    for (k, v) in optional {
        if !v.is_empty() {
            rows.push((k, v.clone()));
        }
    }
    let join = |m: &BTreeMap<String, String>| {
        m.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    if !e.annotations.is_empty() {
        rows.push(("Annotations", join(&e.annotations)));
    }
    if !e.labels.is_empty() {
        rows.push(("Labels", join(&e.labels)));
    }
    rows
}

/// `storage:info <name> [--format text|json]`.
pub fn info(ctx: &Ctx, name: &str, format: Option<&str>) -> Result<()> {
    let json = text_or_json(format, |f| Error::fail(format!("Invalid format: {f}")))?;
    crate::name::check_entry_name(name)?;
    let e = entry::require(&ctx.paths, name)?;
    if json {
        ctx.out.line(&pretty(&e)?);
        return Ok(());
    }
    ctx.out.info1(&format!("Storage entry {name}"));
    for (k, v) in info_rows(&e) {
        ctx.out.verbose(&format!("{:<18}{v}", format!("{k}:")));
    }
    Ok(())
}

/// `storage:list-entries [--scheduler s] [--format text|json]`.
pub fn list_entries(ctx: &Ctx, scheduler: Option<&str>, format: Option<&str>) -> Result<()> {
    let json = text_or_json(format, |f| Error::fail(format!("Invalid format: {f}")))?;
    let entries: Vec<Entry> = entry::list(&ctx.paths, &ctx.out)
        .into_iter()
        .filter(|e| scheduler.map(|s| e.scheduler == s).unwrap_or(true))
        .collect();
    if json {
        ctx.out.line(&pretty(&entries)?);
        return Ok(());
    }
    if ctx.out.is_quiet() {
        let names: String = entries.iter().map(|e| format!("{}\n", e.name)).collect();
        ctx.out.write_out(&names);
        return Ok(());
    }
    ctx.out.info2("Storage entries");
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| vec![e.name.clone(), e.scheduler.clone(), e.host_path.clone()])
        .collect();
    ctx.out
        .write_out(&dokku_output::columnize(&rows, dokku_output::VERBOSE, "  "));
    Ok(())
}

/// `storage:annotations:report` / `storage:labels:report`.
pub fn meta_report(
    ctx: &Ctx,
    kind: MetaKind,
    name: Option<&str>,
    flag: Option<&str>,
    format: Option<&str>,
) -> Result<()> {
    let json = text_or_json(format, |_| Error::fail("Invalid --format value specified"))?;
    let head = format!("--storage-{}.", kind.plural());
    if let Some(f) = flag {
        let Some(name) = name else {
            return Err(Error::fail(format!(
                "storage:{}:report requires a storage entry name when an info flag is specified",
                kind.plural()
            )));
        };
        if json {
            return Err(Error::fail(
                "--format flag cannot be specified when specifying an info flag",
            ));
        }
        let e = entry::require(&ctx.paths, name)?;
        let map = kind.map(&e);
        return match f.strip_prefix(&head).and_then(|k| map.get(k)) {
            Some(v) => {
                ctx.out.line(v);
                Ok(())
            }
            None => {
                let valid: Vec<String> = map.keys().map(|k| format!("{head}{k}")).collect();
                Err(Error::fail(format!(
                    "Invalid flag passed, valid flags: {}",
                    valid.join(", ")
                )))
            }
        };
    }
    let entries = match name {
        Some(n) => {
            crate::name::check_entry_name(n)?;
            vec![entry::require(&ctx.paths, n)?]
        }
        None => entry::list(&ctx.paths, &ctx.out),
    };
    let word = match kind {
        MetaKind::Annotations => "Annotation",
        MetaKind::Labels => "Label",
    };
    for e in entries {
        let map = kind.map(&e);
        if json {
            ctx.out
                .line(&serde_json::to_string(map).map_err(|err| Error::other("encode json", err))?);
            continue;
        }
        ctx.out
            .info2_quiet(&format!("{} {} information", e.name, kind.plural()));
        let labels: Vec<String> = map.keys().map(|k| format!("{word} {k}:")).collect();
        let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        for (label, v) in labels.iter().zip(map.values()) {
            ctx.out.verbose(&format!(
                "{label}{} {v}",
                " ".repeat(width - label.chars().count())
            ));
        }
    }
    Ok(())
}
