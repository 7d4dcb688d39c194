//! The `<plugin>:set <app>|--global <key> [<value>]` framework: checks the
//! key against the plugin's [`Schema`] in Dokku's order, validates the
//! value, writes or (with no value) removes the property, and prints
//! Dokku's lines.

use dokku_output::Output;

use crate::error::{Error, Result};
use crate::paths::Paths;
use crate::property::GLOBAL;
use crate::schema::Schema;
pub use crate::schema::Scope;

/// How key errors are worded: Dokku's Go plugins and its bash plugins say
/// the same things in different words and check them in different orders.
#[derive(Debug, Clone, Copy)]
pub enum Wording<'a> {
    /// Go plugins: `No property specified`, then `Property cannot be
    /// specified globally` for a key that is not global (known or not),
    /// then `Invalid property specified, valid properties include: ...`.
    Go,
    /// Bash plugins: `No key specified`, then `Invalid key specified, valid
    /// keys include: ...`, then `not_global` for a known key that cannot be
    /// set globally.
    Shell {
        /// The list printed after `valid keys include: `, where Dokku's
        /// message names fewer keys than the plugin accepts.
        keys: Option<&'a str>,
        /// The refusal of `--global` for an app-only key; `{key}` is
        /// replaced by the key.
        not_global: &'a str,
    },
}

impl Wording<'static> {
    /// Go wording.
    pub const GO: Wording<'static> = Wording::Go;
    /// Bash wording with every key listed.
    pub const SHELL: Wording<'static> = Wording::Shell {
        keys: None,
        not_global: "Property cannot be specified globally",
    };
}

/// A parsed `:set` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The app, or `--global`.
    pub app: String,
    /// The property.
    pub key: String,
    /// The value; empty means unset.
    pub value: String,
}

impl Request {
    /// Whether the request is for `--global`.
    pub fn is_global(&self) -> bool {
        self.app == GLOBAL
    }
}

/// Split `[--global|<app>] <key> [<value>...]` (value words joined by a
/// space). The app is checked to exist.
pub fn parse(paths: &Paths, argv: &[String]) -> Result<Request> {
    let mut rest: Vec<&str> = argv.iter().map(String::as_str).collect();
    let global = match rest.iter().position(|a| *a == GLOBAL) {
        Some(pos) => {
            rest.remove(pos);
            true
        }
        None => false,
    };
    let app = if global {
        GLOBAL.to_string()
    } else {
        let app = rest.first().copied().unwrap_or("");
        crate::apps::verify(paths, app)?;
        if !rest.is_empty() {
            rest.remove(0);
        }
        app.to_string()
    };
    Ok(Request {
        app,
        key: rest.first().copied().unwrap_or("").to_string(),
        value: rest.get(1..).map(|v| v.join(" ")).unwrap_or_default(),
    })
}

/// Check a request's key and value against the schema, in the order and
/// words of the schema's wording. Nothing is written.
pub fn check(schema: &Schema, req: &Request) -> Result<()> {
    let key = req.key.as_str();
    let prop = schema.prop(key);
    let sorted_keys = || {
        let mut keys: Vec<&str> = schema.props.iter().map(|p| p.key).collect();
        keys.sort();
        keys.join(", ")
    };
    match schema.wording {
        Wording::Go => {
            if key.is_empty() {
                return Err(Error::fail("No property specified"));
            }
            if req.is_global() && prop.is_none_or(|p| p.scope == Scope::App) {
                return Err(Error::fail("Property cannot be specified globally"));
            }
            if prop.is_none() {
                return Err(Error::fail(format!(
                    "Invalid property specified, valid properties include: {}",
                    sorted_keys()
                )));
            }
        }
        Wording::Shell { keys, not_global } => {
            if key.is_empty() {
                return Err(Error::fail("No key specified"));
            }
            if prop.is_none() {
                return Err(Error::fail(format!(
                    "Invalid key specified, valid keys include: {}",
                    keys.map(str::to_string).unwrap_or_else(sorted_keys)
                )));
            }
            if req.is_global() && prop.is_some_and(|p| p.scope == Scope::App) {
                return Err(Error::fail(not_global.replace("{key}", key)));
            }
        }
    }
    if let Some(p) = prop {
        if !req.is_global() && p.scope == Scope::Global {
            return Err(Error::fail("Property can only be specified globally"));
        }
        if let (false, Some(validate)) = (req.value.is_empty(), p.validate) {
            validate(key, &req.value)?;
        }
    }
    Ok(())
}

/// Write (or, with an empty value, remove) a checked request under the
/// app's lock, printing Dokku's line.
pub fn apply(paths: &Paths, out: &Output, schema: &Schema, req: &Request) -> Result<()> {
    let props = schema.store(paths);
    let _lock = crate::lock::StateLock::acquire(paths, &req.app)?;
    if req.value.is_empty() {
        out.info2_quiet(&format!("Unsetting {}", req.key));
        props.delete(&req.app, &req.key)
    } else {
        out.info2_quiet(&format!("Setting {} to {}", req.key, req.value));
        props.write(&req.app, &req.key, &req.value)
    }
}

/// The whole command: parse, check, apply.
pub fn run(paths: &Paths, out: &Output, schema: &Schema, argv: &[String]) -> Result<Request> {
    let req = parse(paths, argv)?;
    check(schema, &req)?;
    apply(paths, out, schema, &req)?;
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportSpec;
    use crate::schema::Prop;

    fn schema(wording: Wording<'static>) -> Schema {
        Schema {
            store: "builder-dockerfile",
            command: "builder-dockerfile",
            report: ReportSpec {
                title: "builder-dockerfile",
                prefix: "builder-dockerfile",
                legacy_json_keys: false,
            },
            wording,
            props: PROPS,
        }
    }

    const PROPS: &[Prop] = &[
        Prop::both("dockerfile-path", "Dockerfile"),
        Prop::app("alpha"),
        Prop::global("gamma", ""),
    ];

    fn run_with(wording: Wording<'static>, argv: &[&str]) -> Result<String> {
        let (_d, paths) = crate::Paths::temp();
        std::fs::create_dir_all(paths.app_dir("web")).expect("app dir");
        let (out, cap) = Output::captured(false);
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        run(&paths, &out, &schema(wording), &argv)?;
        Ok(cap.stdout())
    }

    /// Go wording checks globalness before the key; shell wording checks
    /// the key first, in its own words.
    #[test]
    fn refusals_in_each_wording() {
        let (go, sh) = (Wording::GO, Wording::SHELL);
        let hinted = Wording::Shell {
            keys: Some("dockerfile-path"),
            not_global: "The key '{key}' cannot be set globally",
        };
        let cases: &[(Wording<'static>, &[&str], &str)] = &[
            (go, &["web"], "No property specified"),
            (
                go,
                &["web", "nope", "x"],
                "Invalid property specified, valid properties include: alpha, dockerfile-path, gamma",
            ),
            (go, &["--global", "nope", "x"], "Property cannot be specified globally"),
            (go, &["--global", "alpha", "1"], "Property cannot be specified globally"),
            (go, &["web", "gamma", "1"], "Property can only be specified globally"),
            (go, &["nosuchapp", "alpha", "1"], "App nosuchapp does not exist"),
            (sh, &["web"], "No key specified"),
            (
                sh,
                &["--global", "nope", "x"],
                "Invalid key specified, valid keys include: alpha, dockerfile-path, gamma",
            ),
            (
                hinted,
                &["web", "nope"],
                "Invalid key specified, valid keys include: dockerfile-path",
            ),
            (hinted, &["--global", "alpha", "1"], "The key 'alpha' cannot be set globally"),
        ];
        for (wording, argv, message) in cases {
            let got = run_with(*wording, argv).expect_err("refused").to_string();
            assert_eq!(&got, message, "{argv:?}");
        }
    }

    #[test]
    fn set_and_unset_print_dokkus_lines() {
        assert_eq!(
            run_with(
                Wording::SHELL,
                &["web", "dockerfile-path", "Dockerfile.web"]
            )
            .expect("set"),
            "=====> Setting dockerfile-path to Dockerfile.web\n"
        );
        assert_eq!(
            run_with(Wording::SHELL, &["--global", "dockerfile-path"]).expect("unset"),
            "=====> Unsetting dockerfile-path\n"
        );
    }
}
