//! How an environment is printed: the `config:export` formats and the
//! aligned `KEY:  value` listing of `config:show` and `config:set`.

use dokku_core::{Error, Result};

use crate::envfile::{self, Env};

/// A `config:export --format` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// `export KEY='value'` lines, for `eval`.
    Exports,
    /// The `ENV` file form (`KEY="value"`).
    Envfile,
    /// `--env=KEY='value'` words for `docker run`.
    DockerArgs,
    /// `--env=KEY` words: names only, values taken from the environment.
    DockerArgsKeys,
    /// `KEY='value'` words on one line.
    Shell,
    /// Aligned `KEY:  value` lines.
    Pretty,
    /// A JSON object.
    Json,
    /// A JSON array of `{"name": ..., "value": ...}` objects.
    JsonList,
    /// `--env KEY` words for `pack build`.
    PackKeys,
}

impl ExportFormat {
    /// Parse a format name; unknown names get Dokku's error.
    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "exports" => ExportFormat::Exports,
            "envfile" => ExportFormat::Envfile,
            "docker-args" => ExportFormat::DockerArgs,
            "docker-args-keys" => ExportFormat::DockerArgsKeys,
            "shell" => ExportFormat::Shell,
            "pretty" => ExportFormat::Pretty,
            "json" => ExportFormat::Json,
            "json-list" => ExportFormat::JsonList,
            "pack-keys" => ExportFormat::PackKeys,
            other => return Err(Error::fail(format!("Unknown export format: {other}"))),
        })
    }

    /// The rendered environment, without the final separator.
    pub fn render(self, env: &Env) -> String {
        match self {
            ExportFormat::Exports => quoted_words(env, "export ", "\n"),
            ExportFormat::Envfile => envfile::marshal(env),
            ExportFormat::DockerArgs => quoted_words(env, "--env=", " "),
            ExportFormat::DockerArgsKeys => env
                .keys()
                .map(|k| format!("--env={k}"))
                .collect::<Vec<_>>()
                .join(" "),
            ExportFormat::Shell => quoted_words(env, "", " "),
            ExportFormat::Pretty => pretty("", env),
            ExportFormat::Json => json_object(env),
            ExportFormat::JsonList => json_list(env),
            ExportFormat::PackKeys => env
                .keys()
                .map(|k| format!("--env {k}"))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// What `config:export` prints after the rendering: a space for the
    /// one-line word formats, a newline otherwise.
    pub fn suffix(self) -> &'static str {
        match self {
            ExportFormat::Shell => " ",
            _ => "\n",
        }
    }
}

fn quoted_words(env: &Env, prefix: &str, sep: &str) -> String {
    env.iter()
        .map(|(k, v)| format!("{prefix}{k}={}", envfile::single_quote(v)))
        .collect::<Vec<_>>()
        .join(sep)
}

/// JSON as Go's encoder writes it: `<`, `>`, `&`, U+2028 and U+2029 as
/// `\u` escapes. Those characters only occur inside strings.
fn go_json(s: String) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn json_object(env: &Env) -> String {
    go_json(serde_json::to_string(env).unwrap_or_else(|_| "{}".into()))
}

#[derive(serde::Serialize)]
struct NameValue<'a> {
    name: &'a str,
    value: &'a str,
}

fn json_list(env: &Env) -> String {
    let list: Vec<NameValue<'_>> = env
        .iter()
        .map(|(k, v)| NameValue { name: k, value: v })
        .collect();
    go_json(serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()))
}

/// Aligned `KEY:  value` lines, sorted by key, each behind `prefix`; no
/// final newline. As with Dokku's columnizer, the value is trimmed of
/// surrounding white space and the name column is padded to the widest.
pub fn pretty(prefix: &str, env: &Env) -> String {
    let width = env.keys().map(|k| k.chars().count() + 1).max().unwrap_or(0);
    env.iter()
        .map(|(k, v)| {
            let label = format!("{k}:");
            let pad = width - label.chars().count();
            format!("{prefix}{label}{}  {}", " ".repeat(pad), v.trim())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        crate::envfile::env_of(&[
            ("APP_ENV", "prod"),
            ("COMPILE_ASSETS", "1"),
            ("QUOTE", "it's <b>&</b>"),
            ("MULTI", "a\nb"),
        ])
    }

    fn all(env: &Env) -> String {
        let mut s = String::new();
        for f in [
            "exports",
            "envfile",
            "docker-args",
            "docker-args-keys",
            "shell",
            "pretty",
            "json",
            "json-list",
            "pack-keys",
        ] {
            let fmt = ExportFormat::parse(f).expect("format");
            s.push_str(&format!("--- {f}\n{}{}|\n", fmt.render(env), fmt.suffix()));
        }
        s
    }

    #[test]
    fn every_format() {
        insta::assert_snapshot!(all(&env()), @r#"
        --- exports
        export APP_ENV='prod'
        export COMPILE_ASSETS='1'
        export MULTI='a
        b'
        export QUOTE='it'\''s <b>&</b>'
        |
        --- envfile
        APP_ENV="prod"
        COMPILE_ASSETS=1
        MULTI="a\nb"
        QUOTE="it's <b>&</b>"
        |
        --- docker-args
        --env=APP_ENV='prod' --env=COMPILE_ASSETS='1' --env=MULTI='a
        b' --env=QUOTE='it'\''s <b>&</b>'
        |
        --- docker-args-keys
        --env=APP_ENV --env=COMPILE_ASSETS --env=MULTI --env=QUOTE
        |
        --- shell
        APP_ENV='prod' COMPILE_ASSETS='1' MULTI='a
        b' QUOTE='it'\''s <b>&</b>' |
        --- pretty
        APP_ENV:         prod
        COMPILE_ASSETS:  1
        MULTI:           a
        b
        QUOTE:           it's <b>&</b>
        |
        --- json
        {"APP_ENV":"prod","COMPILE_ASSETS":"1","MULTI":"a\nb","QUOTE":"it's \u003cb\u003e\u0026\u003c/b\u003e"}
        |
        --- json-list
        [{"name":"APP_ENV","value":"prod"},{"name":"COMPILE_ASSETS","value":"1"},{"name":"MULTI","value":"a\nb"},{"name":"QUOTE","value":"it's \u003cb\u003e\u0026\u003c/b\u003e"}]
        |
        --- pack-keys
        --env APP_ENV --env COMPILE_ASSETS --env MULTI --env QUOTE
        |
        "#);
    }

    #[test]
    fn empty_environment() {
        insta::assert_snapshot!(all(&Env::new()), @r"
        --- exports

        |
        --- envfile

        |
        --- docker-args

        |
        --- docker-args-keys

        |
        --- shell
         |
        --- pretty

        |
        --- json
        {}
        |
        --- json-list
        []
        |
        --- pack-keys

        |
        ");
    }

    #[test]
    fn unknown_format_uses_dokku_words() {
        assert_eq!(
            ExportFormat::parse("yaml")
                .expect_err("unknown")
                .to_string(),
            "Unknown export format: yaml"
        );
    }

    #[test]
    fn pretty_pads_and_trims() {
        let e = crate::envfile::env_of(&[("A", "  spaced  "), ("LONGER_KEY", "v"), ("E", "")]);
        assert_eq!(
            pretty("       ", &e),
            "       A:           spaced\n       E:           \n       LONGER_KEY:  v"
        );
    }
}
