//! The `<plugin>:report` framework shared by every plugin.
//!
//! A plugin supplies, per app, an ordered list of `(--flag, value)` pairs.
//! This module renders them the way Dokku does: a `=====> <app> <title>
//! information` header and aligned `Key: value` detail lines; one bare value
//! when a single info flag is given; or a JSON object whose keys drop the
//! `--<plugin>-` head (legacy `<plugin>-` keys kept beside them where Dokku
//! keeps them).

use std::collections::BTreeMap;

use dokku_output::Output;

use crate::args::{self, Spec};
use crate::error::{Error, Result};
use crate::paths::Paths;

/// How a plugin's report is named and keyed.
#[derive(Debug, Clone, Copy)]
pub struct ReportSpec<'a> {
    /// Word(s) in the header: `=====> <app> <title> information`.
    pub title: &'a str,
    /// Flag head: `app` for `--app-dir`.
    pub prefix: &'a str,
    /// Emit `<prefix>-<key>` JSON keys beside the trimmed ones (Go plugins
    /// during the 0.38.x deprecation window).
    pub legacy_json_keys: bool,
}

/// Rows of one app's report, in display order.
pub type Rows = Vec<(String, String)>;

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text.
    Stdout,
    /// One JSON object per app.
    Json,
}

impl Format {
    /// Parse `--format`; `None` means stdout.
    pub fn parse(v: Option<&str>) -> Result<Self> {
        match v {
            None | Some("") | Some("stdout") => Ok(Format::Stdout),
            Some("json") => Ok(Format::Json),
            Some(other) => Err(Error::fail(format!(
                "Invalid --format value specified: {other}"
            ))),
        }
    }
}

fn display_key(flag: &str) -> String {
    let k = flag.trim_start_matches("--").replace(['-', '.'], " ");
    let mut c = k.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The text report of one app.
pub fn render_text(spec: &ReportSpec<'_>, app: &str, rows: &Rows, out: &Output) {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    out.info2_quiet(&format!("{app} {} information", spec.title));
    for (k, v) in rows {
        let label = format!("{}:", display_key(k));
        let pad = width.saturating_sub(label.chars().count());
        out.verbose(&format!("{label}{}{v}", " ".repeat(pad)));
    }
}

/// The JSON object of one app's report.
pub fn render_json(spec: &ReportSpec<'_>, rows: &Rows) -> String {
    let head = format!("--{}-", spec.prefix);
    let mut map = BTreeMap::new();
    for (k, v) in rows {
        let trimmed = k
            .strip_prefix(&head)
            .unwrap_or_else(|| k.trim_start_matches("--"));
        map.insert(trimmed.to_string(), v.clone());
        if spec.legacy_json_keys {
            map.insert(k.trim_start_matches("--").to_string(), v.clone());
        }
    }
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

/// Render one app's report for the requested flag or format.
pub fn render(
    spec: &ReportSpec<'_>,
    app: &str,
    rows: &Rows,
    info_flag: Option<&str>,
    format: Format,
    out: &Output,
) -> Result<()> {
    if let Some(flag) = info_flag {
        if format != Format::Stdout {
            return Err(Error::fail(
                "--format flag cannot be specified when specifying an info flag",
            ));
        }
        return match rows.iter().find(|(k, _)| k == flag) {
            Some((_, v)) => {
                out.line(v.trim());
                Ok(())
            }
            None => {
                let mut keys: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
                keys.sort();
                Err(Error::fail(format!(
                    "Invalid flag passed, valid flags: {}",
                    keys.join(", ")
                )))
            }
        };
    }
    match format {
        Format::Stdout => render_text(spec, app, rows, out),
        Format::Json => out.line(&render_json(spec, rows)),
    }
    Ok(())
}

/// The whole `<plugin>:report [<app>] [--format f] [--<flag>]` command: one
/// app when named, every app otherwise. `collect` builds an app's rows.
pub fn run_command(
    paths: &Paths,
    out: &Output,
    spec: &ReportSpec<'_>,
    argv: &[String],
    collect: &dyn Fn(&str) -> Result<Rows>,
) -> Result<()> {
    let parsed = args::parse(
        argv,
        Spec {
            switches: &[],
            options: &["--format"],
            allow_unknown: true,
        },
    )?;
    let format = Format::parse(parsed.value("--format"))?;
    if parsed.unknown.len() > 1 {
        return Err(Error::fail(format!(
            "{}:report command allows only a single flag",
            spec.prefix
        )));
    }
    let info_flag = parsed.unknown.first().map(String::as_str);
    match parsed.arg(0) {
        Some(app) => {
            crate::apps::verify(paths, app)?;
            let rows = collect(app)?;
            render(spec, app, &rows, info_flag, format, out)
        }
        None => {
            let apps = crate::apps::list(paths);
            if apps.is_empty() {
                return Err(Error::fail(crate::apps::NO_APPS));
            }
            for app in apps {
                let rows = collect(&app)?;
                render(spec, &app, &rows, info_flag, format, out)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Rows {
        vec![
            ("--app-dir".into(), "/home/dokku/node-js-app".into()),
            ("--app-deploy-source".into(), "git".into()),
            ("--app-locked".into(), "false".into()),
        ]
    }

    const SPEC: ReportSpec<'static> = ReportSpec {
        title: "app",
        prefix: "app",
        legacy_json_keys: true,
    };

    #[test]
    fn text_layout() {
        let (out, cap) = Output::captured(false);
        render(&SPEC, "node-js-app", &rows(), None, Format::Stdout, &out).expect("render");
        insta::assert_snapshot!(cap.stdout(), @r"
        =====> node-js-app app information
               App dir:           /home/dokku/node-js-app
               App deploy source: git
               App locked:        false
        ");
    }

    #[test]
    fn single_flag_and_json() {
        let (out, cap) = Output::captured(false);
        render(
            &SPEC,
            "a",
            &rows(),
            Some("--app-locked"),
            Format::Stdout,
            &out,
        )
        .expect("render");
        assert_eq!(cap.stdout(), "false\n");
        assert_eq!(
            render_json(&SPEC, &rows()),
            r#"{"app-deploy-source":"git","app-dir":"/home/dokku/node-js-app","app-locked":"false","deploy-source":"git","dir":"/home/dokku/node-js-app","locked":"false"}"#
        );
        let e = render(&SPEC, "a", &rows(), Some("--nope"), Format::Stdout, &out)
            .expect_err("bad flag");
        assert_eq!(
            e.to_string(),
            "Invalid flag passed, valid flags: --app-deploy-source, --app-dir, --app-locked"
        );
    }
}
