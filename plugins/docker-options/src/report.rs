//! `docker-options:report`: one row per phase and per process scope; the
//! JSON form adds a `-list` array beside each trimmed key.

use std::collections::BTreeMap;

use dokku_core::report::{self, Format, ReportSpec, Rows};
use dokku_core::{apps, args, Error, Paths, Result};
use dokku_output::Output;

use crate::store;

/// How the report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "docker options",
    prefix: "docker-options",
    legacy_json_keys: true,
};

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

/// The command: one app or every app, text, a single flag, or JSON.
pub fn run(paths: &Paths, out: &Output, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec {
            switches: &[],
            options: &["--format"],
            allow_unknown: true,
        },
    )?;
    let format = Format::parse(p.value("--format"))?;
    if p.unknown.len() > 1 {
        return Err(Error::fail(
            "docker-options:report command allows only a single flag",
        ));
    }
    let flag = p.unknown.first().map(String::as_str);
    let targets = match p.arg(0) {
        Some(app) => {
            apps::verify(paths, app)?;
            vec![app.to_string()]
        }
        None => {
            let all = apps::list(paths);
            if all.is_empty() {
                return Err(Error::fail(apps::NO_APPS));
            }
            all
        }
    };
    for app in targets {
        if format == Format::Json && flag.is_none() {
            out.line(&json(paths, &app)?);
        } else {
            report::render(&SPEC, &app, &rows(paths, &app)?, flag, format, out)?;
        }
    }
    Ok(())
}
