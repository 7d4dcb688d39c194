//! The `<plugin>:report [<app>|--global] [--format stdout|json] [--<flag>]`
//! framework shared by every plugin.
//!
//! A plugin supplies rows, `(--flag, value)` pairs, for one app and for the
//! host (`--global`). This module parses the command the way Dokku's
//! `ParseReportArgs` does and renders the rows the way `ReportSingleApp`
//! does: a `=====> <app> <title> information` header and `Key: value`
//! lines sorted by flag and padded to at least 31 columns; one bare value
//! for an info flag; or one compact JSON object whose keys drop the
//! `--<prefix>-` head (the legacy `<prefix>-` keys kept beside them where
//! Dokku keeps them).

use std::collections::BTreeMap;

use dokku_output::Output;

use crate::error::{Error, Result};
use crate::paths::Paths;
use crate::property::GLOBAL;

/// How a plugin's report is named and keyed.
#[derive(Debug, Clone, Copy)]
pub struct ReportSpec<'a> {
    /// Word(s) in the header: `=====> <app> <title> information`.
    pub title: &'a str,
    /// Flag head: `app` for `--app-dir`.
    pub prefix: &'a str,
    /// Emit `<prefix>-<key>` JSON keys beside the trimmed ones (plugins
    /// that keep them during the 0.38.x deprecation window).
    pub legacy_json_keys: bool,
}

/// Rows of one report, in any order (rendering sorts them).
pub type Rows = Vec<(String, String)>;

/// Output format of a report (or of another listing taking `--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text (a report: aligned).
    Stdout,
    /// JSON (a report: one object per app).
    Json,
}

impl Format {
    /// The format `--format` names, stdout when absent or empty; `None`
    /// for an unknown name.
    pub fn named(v: Option<&str>) -> Option<Self> {
        match v {
            None | Some("") | Some("stdout") => Some(Format::Stdout),
            Some("json") => Some(Format::Json),
            Some(_) => None,
        }
    }

    /// Parse a report's `--format`; `None` means stdout.
    pub fn parse(v: Option<&str>) -> Result<Self> {
        Self::named(v).ok_or_else(|| {
            Error::fail(format!(
                "Invalid --format value specified: {}",
                v.unwrap_or_default()
            ))
        })
    }
}

/// What a report command asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One app.
    App(String),
    /// Every app in turn.
    All,
    /// The host-wide values.
    Global,
}

/// A parsed report command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Whose report.
    pub target: Target,
    /// The info flags given (only one is allowed).
    pub flags: Vec<String>,
    /// The output format.
    pub format: Format,
}

impl Request {
    /// Parse `[<app>|--global] [--format X] [--<flag>]`: `--global`
    /// anywhere wins over an app; `--format` takes the next word; any other
    /// dash word is an info flag (`--format=json` too, as in Dokku).
    pub fn parse(argv: &[String]) -> Result<Self> {
        let mut global = false;
        let mut format = None;
        let mut flags = Vec::new();
        let mut app = None;
        let mut it = argv.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                GLOBAL => global = true,
                "--format" => format = Some(it.next().map(String::as_str).unwrap_or("")),
                f if f.starts_with("--") => flags.push(f.to_string()),
                other => {
                    if app.is_none() {
                        app = Some(other.to_string());
                    }
                }
            }
        }
        let format = Format::parse(format)?;
        let target = match (global, app) {
            (true, _) => Target::Global,
            (false, Some(app)) => Target::App(app),
            (false, None) => Target::All,
        };
        Ok(Request {
            target,
            flags,
            format,
        })
    }
}

/// The label of a row. Capitalised labels keep the flag's head
/// (`--app-dir` is `App dir`); the lowercase style (resource) drops it, as
/// Dokku's resource report does (`--resource-web.limit.memory` is
/// `web limit memory`).
fn display_key(flag: &str, prefix: &str, capitalise: bool) -> String {
    if !capitalise {
        let head = format!("--{prefix}-");
        let rest = flag
            .strip_prefix(&head)
            .unwrap_or_else(|| flag.trim_start_matches("--"));
        return rest.replace(['-', '.'], " ");
    }
    let k = flag.trim_start_matches("--").replace(['-', '.'], " ");
    let mut c = k.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn sorted(rows: &Rows) -> Vec<&(String, String)> {
    let mut v: Vec<&(String, String)> = rows.iter().collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// The text report of one app (or of `--global`): header, then the rows
/// sorted by flag, labels padded to the longer of 31 columns and the
/// longest flag.
pub fn render_text(spec: &ReportSpec<'_>, app: &str, rows: &Rows, out: &Output) {
    render_text_styled(spec, app, rows, out, true);
}

/// [`render_text`], optionally without capitalising the labels (resource).
pub fn render_text_styled(
    spec: &ReportSpec<'_>,
    app: &str,
    rows: &Rows,
    out: &Output,
    capitalise: bool,
) {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(31);
    out.info2_quiet(&format!("{app} {} information", spec.title));
    for (k, v) in sorted(rows) {
        let label = format!("{}:", display_key(k, spec.prefix, capitalise));
        out.verbose(&format!("{label:<width$}{v}"));
    }
}

/// The JSON object of one report, keys sorted.
pub fn render_json(spec: &ReportSpec<'_>, rows: &Rows) -> String {
    let head = format!("--{}-", spec.prefix);
    let mut map = BTreeMap::new();
    for (k, v) in rows {
        let trimmed = k
            .strip_prefix(&head)
            .unwrap_or_else(|| k.trim_start_matches("--"));
        map.insert(trimmed.to_string(), v.clone());
        if spec.legacy_json_keys && k.starts_with(&head) {
            map.insert(k.trim_start_matches("--").to_string(), v.clone());
        }
    }
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

/// The value of one info flag, or Dokku's error listing the valid flags.
pub fn lookup<'r>(rows: &'r Rows, flag: &str) -> Result<&'r str> {
    match rows.iter().find(|(k, _)| k == flag) {
        Some((_, v)) => Ok(v.as_str()),
        None => {
            let mut keys: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort();
            Err(Error::fail(format!(
                "Invalid flag passed, valid flags: {}",
                keys.join(", ")
            )))
        }
    }
}

/// Render one report for the requested flag or format.
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
        out.line(lookup(rows, flag)?.trim());
        return Ok(());
    }
    match format {
        Format::Stdout => render_text(spec, app, rows, out),
        Format::Json => out.line(&render_json(spec, rows)),
    }
    Ok(())
}

/// Rows of one app.
pub type AppRowsFn<'a> = &'a dyn Fn(&str) -> Result<Rows>;
/// Rows of the `--global` report.
pub type GlobalRowsFn<'a> = &'a dyn Fn() -> Result<Rows>;
/// A JSON object of one app.
pub type AppJsonFn<'a> = &'a dyn Fn(&str) -> Result<String>;
/// How a row's value is shown in the text report, given its flag (sink
/// DSNs hide their options there).
pub type RedactFn = fn(&str, &str) -> String;

/// Where a report command's rows come from.
pub struct Source<'a> {
    /// Naming and keys.
    pub spec: ReportSpec<'a>,
    /// The command namespace, for `<ns>:report command allows only a
    /// single flag`.
    pub command: &'a str,
    /// Whether two info flags are an error (docker-options) rather than a
    /// silent no-op (every other plugin).
    pub strict_flags: bool,
    /// Whether labels are capitalised (all but resource).
    pub capitalise: bool,
    /// One app's rows.
    pub app_rows: AppRowsFn<'a>,
    /// The `--global` rows.
    pub global_rows: GlobalRowsFn<'a>,
    /// A JSON object that is not a flat string map (docker-options' lists).
    pub app_json: Option<AppJsonFn<'a>>,
    /// Applied to every row of the text report (`--format stdout`, no
    /// info flag); not to JSON, info flags or the `report` trigger.
    pub redact: Option<RedactFn>,
}

impl Source<'_> {
    fn show(
        &self,
        name: &str,
        rows: Result<Rows>,
        json: Option<Result<String>>,
        req: &Request,
        out: &Output,
    ) -> Result<()> {
        let flag = req.flags.first().map(String::as_str);
        match (flag, req.format, json) {
            (None, Format::Json, Some(json)) => {
                out.line(&json?);
                Ok(())
            }
            (None, Format::Stdout, _) => {
                let mut rows = rows?;
                if let Some(redact) = self.redact {
                    for (k, v) in rows.iter_mut() {
                        *v = redact(k, v);
                    }
                }
                render_text_styled(&self.spec, name, &rows, out, self.capitalise);
                Ok(())
            }
            _ => render(&self.spec, name, &rows?, flag, req.format, out),
        }
    }

    /// Run the parsed command.
    pub fn run(&self, paths: &Paths, out: &Output, req: &Request) -> Result<()> {
        if req.flags.len() > 1 {
            if self.strict_flags {
                return Err(Error::fail(format!(
                    "{}:report command allows only a single flag",
                    self.command
                )));
            }
            return Ok(());
        }
        let app_json = |app: &str| self.app_json.map(|f| f(app));
        match &req.target {
            Target::Global => self.show(GLOBAL, (self.global_rows)(), None, req, out),
            Target::App(app) => {
                crate::apps::verify(paths, app)?;
                self.show(app, (self.app_rows)(app), app_json(app), req, out)
            }
            Target::All => {
                let apps = crate::apps::list(paths);
                if apps.is_empty() {
                    out.warn(crate::apps::NO_APPS);
                    return Ok(());
                }
                for app in apps {
                    self.show(&app, (self.app_rows)(&app), app_json(&app), req, out)?;
                }
                Ok(())
            }
        }
    }

    /// Parse and run `argv`.
    pub fn command(&self, paths: &Paths, out: &Output, argv: &[String]) -> Result<()> {
        self.run(paths, out, &Request::parse(argv)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::owned;

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
    fn lowercase_labels_drop_the_head() {
        let spec = ReportSpec {
            title: "resource",
            prefix: "resource",
            legacy_json_keys: true,
        };
        let rows: Rows = vec![
            ("--resource-web.limit.memory-swap".into(), "0".into()),
            ("--resource-_default_.limit.cpu".into(), "1".into()),
        ];
        let (out, cap) = Output::captured(false);
        render_text_styled(&spec, "app", &rows, &out, false);
        insta::assert_snapshot!(cap.stdout(), @r"
        =====> app resource information
               _default_ limit cpu:            1
               web limit memory swap:          0
        ");
    }

    #[test]
    fn text_layout_is_sorted_and_padded_to_31() {
        let (out, cap) = Output::captured(false);
        render(&SPEC, "node-js-app", &rows(), None, Format::Stdout, &out).expect("render");
        insta::assert_snapshot!(cap.stdout(), @r"
        =====> node-js-app app information
               App deploy source:             git
               App dir:                       /home/dokku/node-js-app
               App locked:                    false
        ");
    }

    #[test]
    fn long_flags_widen_the_column() {
        let (out, cap) = Output::captured(false);
        let rows = vec![
            (
                "--app-json-computed-appjson-path".into(),
                "app2.json".into(),
            ),
            ("--app-json-appjson-path".into(), "app2.json".into()),
        ];
        render_text(&SPEC, "a", &rows, &out);
        assert_eq!(
            cap.stdout(),
            "=====> a app information\n       App json appjson path:          app2.json\n       App json computed appjson path: app2.json\n"
        );
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

    #[test]
    fn requests_parse_as_dokku_parses_them() {
        let r = Request::parse(&owned(&["web", "--global", "--format", "json"])).expect("parse");
        assert_eq!(r.target, Target::Global);
        assert_eq!(r.format, Format::Json);
        let r = Request::parse(&owned(&["web", "--format=json"])).expect("parse");
        assert_eq!(r.target, Target::App("web".into()));
        assert_eq!(r.flags, ["--format=json"]);
        assert_eq!(r.format, Format::Stdout);
        assert!(Request::parse(&owned(&["--format", "yaml"])).is_err());
        assert_eq!(
            Request::parse(&owned(&[])).expect("parse").target,
            Target::All
        );
    }

    fn source_run(a: &[&str], strict: bool) -> (Result<()>, String, String) {
        let (_d, paths) = crate::Paths::temp();
        std::fs::create_dir_all(paths.app_dir("web")).expect("app");
        let (out, cap) = Output::captured(false);
        let app_rows = |_: &str| Ok(rows());
        let global_rows = || {
            Ok(vec![(
                "--app-global-disable-autocreation".to_string(),
                String::new(),
            )])
        };
        let src = Source {
            spec: SPEC,
            command: "apps",
            strict_flags: strict,
            capitalise: true,
            app_rows: &app_rows,
            global_rows: &global_rows,
            app_json: None,
            redact: None,
        };
        let r = src.command(&paths, &out, &owned(a));
        (r, cap.stdout(), cap.stderr())
    }

    #[test]
    fn global_reports_in_every_form() {
        let (r, stdout, _) = source_run(&["--global"], false);
        r.expect("global");
        assert_eq!(
            stdout,
            "=====> --global app information\n       App global disable autocreation: \n"
        );
        let (r, stdout, _) = source_run(&["--global", "--format", "json"], false);
        r.expect("json");
        assert_eq!(
            stdout,
            "{\"app-global-disable-autocreation\":\"\",\"global-disable-autocreation\":\"\"}\n"
        );
        let (r, stdout, _) = source_run(&["--global", "--app-global-disable-autocreation"], false);
        r.expect("flag");
        assert_eq!(stdout, "\n");
        let (r, _, _) = source_run(&["--global", "--app-dir"], false);
        assert_eq!(
            r.expect_err("app key").to_string(),
            "Invalid flag passed, valid flags: --app-global-disable-autocreation"
        );
    }

    #[test]
    fn two_flags_are_dropped_or_refused() {
        let (r, stdout, _) = source_run(&["web", "--app-dir", "--app-locked"], false);
        r.expect("silent");
        assert_eq!(stdout, "");
        let (r, _, _) = source_run(&["web", "--app-dir", "--app-locked"], true);
        assert_eq!(
            r.expect_err("strict").to_string(),
            "apps:report command allows only a single flag"
        );
        let (r, _, _) = source_run(&["web", "--app-dir", "--format", "json"], false);
        assert_eq!(
            r.expect_err("flag and json").to_string(),
            "--format flag cannot be specified when specifying an info flag"
        );
    }
}
