//! The `app.json` manifest as typed values, shared by the plugins that read
//! it (app-json runs its deployment tasks; ps reads `formation`; checks
//! reads `healthchecks`). The text comes from the `app-json-get-content`
//! trigger; comments and trailing commas (jsonc) are accepted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A parsed `app.json`. Absent sections are empty.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct AppJson {
    /// `scripts`: deployment tasks.
    pub scripts: Scripts,
    /// `formation`: process types and their scale.
    pub formation: BTreeMap<String, Formation>,
    /// `healthchecks`: checks per process type.
    pub healthchecks: BTreeMap<String, Vec<Healthcheck>>,
    /// `cron`: scheduled tasks.
    pub cron: Vec<CronEntry>,
    /// `env`: variables with defaults, generators and requirements.
    pub env: BTreeMap<String, EnvEntry>,
    /// `buildpacks`: buildpack urls.
    pub buildpacks: Vec<Buildpack>,
}

/// The `scripts` object.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Scripts {
    /// `scripts.dokku`.
    pub dokku: DokkuScripts,
    /// `scripts.postdeploy`: run once, after the first deploy.
    pub postdeploy: Option<String>,
}

/// The `scripts.dokku` object.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct DokkuScripts {
    /// Run after the build, before containers start; changes are committed
    /// to the image.
    pub predeploy: Option<String>,
    /// Run after the containers started; changes are discarded.
    pub postdeploy: Option<String>,
}

/// One `formation` entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Formation {
    /// How many containers of the process type to run.
    pub quantity: Option<i64>,
    /// How many containers to deploy at a time.
    pub max_parallel: Option<i64>,
    /// Autoscaling rules, kept as written.
    pub autoscaling: Option<serde_json::Value>,
    /// How a non-web process is exposed, kept as written.
    pub service: Option<serde_json::Value>,
}

/// One healthcheck of a process type.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Healthcheck {
    /// How many times to try before failing.
    pub attempts: Option<i64>,
    /// A command to run in the container instead of an http request.
    pub command: Option<Vec<String>>,
    /// Text the http response must contain.
    pub content: Option<String>,
    /// Headers sent with the http request.
    pub http_headers: Vec<HttpHeader>,
    /// Seconds to wait before the first try.
    pub initial_delay: Option<i64>,
    /// Only check that the port listens.
    pub listening: Option<bool>,
    /// A name shown in output.
    pub name: Option<String>,
    /// The http path to request.
    pub path: Option<String>,
    /// The port to check instead of the app's.
    pub port: Option<i64>,
    /// `http` or `https`.
    pub scheme: Option<String>,
    /// Seconds one try may take.
    pub timeout: Option<i64>,
    /// `startup`, `liveness` or `readiness`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Seconds the container must have been up.
    pub uptime: Option<i64>,
    /// Seconds between tries.
    pub wait: Option<i64>,
    /// Only warn when the check fails.
    pub warn: Option<bool>,
    /// What to do on failure, kept as written.
    pub on_failure: Option<serde_json::Value>,
}

/// One http header of a healthcheck.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct HttpHeader {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// One `cron` entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct CronEntry {
    /// The command to run.
    pub command: String,
    /// The cron schedule.
    pub schedule: String,
    /// Run even in maintenance mode.
    pub maintenance: Option<bool>,
    /// `allow`, `forbid` or `replace`.
    pub concurrency_policy: Option<String>,
}

/// One `buildpacks` entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Buildpack {
    /// The buildpack's url or shorthand.
    pub url: String,
}

/// One `env` entry: a plain default value, or an object.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum EnvEntry {
    /// `{"description": ..., "value": ..., ...}`.
    Spec(EnvSpec),
    /// `"default value"` (numbers and booleans are taken as their text).
    Value(serde_json::Value),
}

/// The object form of an `env` entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct EnvSpec {
    /// What the variable is for.
    pub description: Option<String>,
    /// Its default value.
    pub value: Option<String>,
    /// Whether it must have a value (default true).
    pub required: Option<bool>,
    /// `secret` generates a random value.
    pub generator: Option<String>,
    /// Set on every deploy, overwriting the current value.
    pub sync: Option<bool>,
}

impl EnvEntry {
    /// The default value, if any.
    pub fn default_value(&self) -> Option<String> {
        match self {
            EnvEntry::Spec(s) => s.value.clone(),
            EnvEntry::Value(serde_json::Value::String(s)) => Some(s.clone()),
            EnvEntry::Value(serde_json::Value::Null) => None,
            EnvEntry::Value(v) => Some(v.to_string()),
        }
    }

    /// Whether a value is required (plain values always have one).
    pub fn required(&self) -> bool {
        match self {
            EnvEntry::Spec(s) => s.required.unwrap_or(true),
            EnvEntry::Value(_) => true,
        }
    }

    /// The generator, if any.
    pub fn generator(&self) -> Option<&str> {
        match self {
            EnvEntry::Spec(s) => s.generator.as_deref(),
            EnvEntry::Value(_) => None,
        }
    }

    /// Whether the value is set on every deploy.
    pub fn sync(&self) -> bool {
        matches!(
            self,
            EnvEntry::Spec(EnvSpec {
                sync: Some(true),
                ..
            })
        )
    }
}

impl AppJson {
    /// Parse `app.json` text, accepting comments and trailing commas. The
    /// error is Dokku's message.
    pub fn parse(text: &str) -> Result<AppJson, String> {
        let standard =
            standardize(text).map_err(|e| format!("Cannot parse app.json as jsonc: {e}"))?;
        if standard.trim().is_empty() {
            return Ok(AppJson::default());
        }
        serde_json::from_str(&standard).map_err(|e| format!("Cannot parse app.json: {e}"))
    }

    /// The healthchecks of one process type.
    pub fn healthchecks_for(&self, process_type: &str) -> &[Healthcheck] {
        self.healthchecks
            .get(process_type)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// Turn jsonc into plain JSON: drop `//` and `/* */` comments outside
/// strings, and commas that directly precede `}` or `]`.
pub fn standardize(text: &str) -> Result<String, String> {
    let plain = outside_strings(text, |chars, mut i, out| {
        match (chars[i], chars.get(i + 1)) {
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let start = i;
                i += 2;
                loop {
                    if i + 1 >= chars.len() {
                        return Err(format!("unterminated block comment at offset {start}"));
                    }
                    if chars[i] == '*' && chars[i + 1] == '/' {
                        i += 2;
                        break;
                    }
                    i += 1;
                }
                out.push(' ');
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
        Ok(i)
    })?;
    outside_strings(&plain, |chars, i, out| {
        let next = chars[i + 1..].iter().find(|n| !n.is_whitespace());
        if chars[i] != ',' || !matches!(next, Some('}') | Some(']')) {
            out.push(chars[i]);
        }
        Ok(i + 1)
    })
}

/// Copy `text`, its JSON strings (escapes included) as they are and the
/// rest through `outside`, which is handed each position outside a string
/// and returns the position after what it consumed.
fn outside_strings(
    text: &str,
    mut outside: impl FnMut(&[char], usize, &mut String) -> Result<usize, String>,
) -> Result<String, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.get(i + 1) {
                    out.push(*n);
                    i += 1;
                }
            } else if c == '"' {
                in_string = false;
            }
            i += 1;
        } else if c == '"' {
            in_string = true;
            out.push(c);
            i += 1;
        } else {
            i = outside(&chars, i, &mut out)?;
        }
    }
    if in_string {
        return Err("unterminated string".to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_standardize(input: &str, expected: &str) {
        assert_eq!(
            standardize(input).expect("standardize"),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn jsonc_comments_and_trailing_commas() {
        check_standardize("{\"a\": 1}", "{\"a\": 1}");
        check_standardize("{\"a\": 1, // note\n}", "{\"a\": 1 \n}");
        check_standardize("{/* x */\"a\": [1,2,],}", "{ \"a\": [1,2]}");
        check_standardize(
            "{\"u\": \"http://x/*y*/\", \"c\": \",}\"}",
            "{\"u\": \"http://x/*y*/\", \"c\": \",}\"}",
        );
        check_standardize("{\"q\": \"a\\\"//b\"}", "{\"q\": \"a\\\"//b\"}");
        assert!(standardize("{/* open").is_err());
        assert!(standardize("{\"open").is_err());
    }

    #[test]
    fn parses_the_sections_dokku_uses() {
        let text = r#"{
          // deployment tasks
          "scripts": {"dokku": {"predeploy": "touch /app/x", "postdeploy": "echo done"}, "postdeploy": "seed"},
          "formation": {"web": {"quantity": 2, "max_parallel": 1}, "worker": {"quantity": 0}},
          "healthchecks": {"web": [{"type": "startup", "path": "/health", "content": "ok", "attempts": 3, "initialDelay": 1}]},
          "env": {"PLAIN": "x", "NUM": 5, "SECRET": {"generator": "secret"}, "OPT": {"required": false}},
        }"#;
        let a = AppJson::parse(text).expect("parse");
        assert_eq!(a.scripts.dokku.predeploy.as_deref(), Some("touch /app/x"));
        assert_eq!(a.scripts.dokku.postdeploy.as_deref(), Some("echo done"));
        assert_eq!(a.scripts.postdeploy.as_deref(), Some("seed"));
        assert_eq!(a.formation["web"].quantity, Some(2));
        let hc = &a.healthchecks_for("web")[0];
        assert_eq!(
            (hc.kind.as_deref(), hc.path.as_deref(), hc.initial_delay),
            (Some("startup"), Some("/health"), Some(1))
        );
        assert!(a.healthchecks_for("worker").is_empty());
        assert_eq!(a.env["PLAIN"].default_value().as_deref(), Some("x"));
        assert_eq!(a.env["NUM"].default_value().as_deref(), Some("5"));
        assert_eq!(a.env["SECRET"].generator(), Some("secret"));
        assert!(!a.env["OPT"].required());
        assert_eq!(AppJson::parse("").expect("empty"), AppJson::default());
        let e = AppJson::parse("{\"formation\": []}").expect_err("bad type");
        assert!(e.starts_with("Cannot parse app.json: "), "{e}");
        let e = AppJson::parse("{/*").expect_err("bad jsonc");
        assert!(e.starts_with("Cannot parse app.json as jsonc: "), "{e}");
    }
}
