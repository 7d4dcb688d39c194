//! `docker-options:report`: one row per phase and per process scope; the
//! JSON form adds a `-list` array beside each trimmed key.

use std::collections::BTreeMap;

use dokku_core::property::GLOBAL;
use dokku_core::report::Rows;
use dokku_core::schema::Schema;
use dokku_core::{Error, Paths, Result};
use dokku_trigger::{Ctx, ReportDef};

use crate::store;

/// The report's names; options are managed by `docker-options:add` and
/// friends, not `:set`.
pub static SCHEMA: Schema = Schema::named("docker-options", &[])
    .stored_as(store::PLUGIN)
    .reported_as("docker options", "docker-options")
    .legacy_json();

/// The report: text rows per phase and process scope, JSON with lists.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA)
    .extra(app_rows)
    .global_extra(global_rows)
    .app_json(app_json)
    .strict_flags();

fn app_rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    rows(&ctx.paths, app)
}

fn app_json(ctx: &Ctx, app: &str) -> Result<String> {
    json(&ctx.paths, app)
}

/// Process-scoped options kept with `--global`.
fn global_rows(ctx: &Ctx) -> Result<Rows> {
    let mut rows = Rows::new();
    for p in store::process_scopes(&ctx.paths, GLOBAL)? {
        rows.push((
            format!("--docker-options-deploy.{p}"),
            store::get(&ctx.paths, GLOBAL, Some(&p), "deploy")?.join(" "),
        ));
    }
    Ok(rows)
}

/// Each row with the options it joins.
pub fn lists(paths: &Paths, app: &str) -> Result<Vec<(String, Vec<String>)>> {
    let mut v = Vec::new();
    for phase in store::PHASES {
        v.push((
            format!("--docker-options-{phase}"),
            store::get(paths, app, None, phase)?,
        ));
    }
    for p in store::process_scopes(paths, app)? {
        v.push((
            format!("--docker-options-deploy.{p}"),
            store::get(paths, app, Some(&p), "deploy")?,
        ));
    }
    v.sort();
    Ok(v)
}

/// One app's rows.
pub fn rows(paths: &Paths, app: &str) -> Result<Rows> {
    Ok(lists(paths, app)?
        .into_iter()
        .map(|(k, l)| (k, l.join(" ")))
        .collect())
}

/// The JSON object of one app.
pub fn json(paths: &Paths, app: &str) -> Result<String> {
    let mut map: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for (k, l) in lists(paths, app)? {
        let trimmed = k.trim_start_matches("--docker-options-").to_string();
        map.insert(trimmed.clone(), serde_json::Value::String(l.join(" ")));
        map.insert(
            format!("{trimmed}-list"),
            serde_json::Value::from(l.clone()),
        );
        map.insert(
            k.trim_start_matches("--").to_string(),
            serde_json::Value::String(l.join(" ")),
        );
    }
    serde_json::to_string(&map).map_err(|e| Error::other("docker-options report", e))
}
