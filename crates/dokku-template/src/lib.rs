//! Rendering Go templates the way sigil does, for every caller in the
//! framework: nginx-vhosts renders `nginx.conf.sigil` with it, and the
//! `dokku` binary answers as `sigil` with it for bash plugins.
//!
//! The engine is the `gtmpl` crate, a port of Go's `text/template` (its
//! lexer, parser and executor): pipelines, `$` and variables, `range`,
//! `if`/`else if`, the comparison builtins, `{{-`/`-}}` trimming and Go's
//! truthiness behave as in Go, so existing templates render unchanged.
//! Sigil's string helpers templates use (`split`, `join`, `var`, `default`,
//! `lower`, `upper`, `capitalize`, `trim`, `replace`) are defined here.
//! Sigil's functions that read files or run commands (`file`, `include`,
//! `sh`, ...) are deliberately absent: a template using them fails to
//! render.
//!
//! Templates see their variables as `.NAME` / `$.NAME` (all strings), and
//! an environment through `var "NAME"`.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use gtmpl::{Context, Func, FuncError, Template, Value};

thread_local! {
    static ENV: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::NoValue | Value::Nil => String::new(),
        other => other.to_string(),
    }
}

fn arg(args: &[Value], i: usize, name: &str, n: usize) -> Result<String, FuncError> {
    args.get(i)
        .map(text)
        .ok_or_else(|| FuncError::ExactlyXArgs(name.into(), n))
}

fn split(args: &[Value]) -> Result<Value, FuncError> {
    let sep = arg(args, 0, "split", 2)?;
    let s = arg(args, 1, "split", 2)?;
    if s.is_empty() {
        return Ok(Value::Array(Vec::new()));
    }
    Ok(Value::Array(
        s.split(sep.as_str())
            .map(|p| Value::String(p.to_string()))
            .collect(),
    ))
}

fn join(args: &[Value]) -> Result<Value, FuncError> {
    let sep = arg(args, 0, "join", 2)?;
    let items: Vec<String> = match args.get(1) {
        Some(Value::Array(a)) => a.iter().map(text).collect(),
        Some(other) => vec![text(other)],
        None => return Err(FuncError::ExactlyXArgs("join".into(), 2)),
    };
    Ok(Value::String(items.join(&sep)))
}

fn var(args: &[Value]) -> Result<Value, FuncError> {
    let name = arg(args, 0, "var", 1)?;
    Ok(Value::String(ENV.with(|e| {
        e.borrow().get(&name).cloned().unwrap_or_default()
    })))
}

fn default(args: &[Value]) -> Result<Value, FuncError> {
    let fallback = arg(args, 0, "default", 2)?;
    let v = args.get(1).map(text).unwrap_or_default();
    Ok(Value::String(if v.is_empty() { fallback } else { v }))
}

fn lower(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::String(arg(args, 0, "lower", 1)?.to_lowercase()))
}

fn upper(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::String(arg(args, 0, "upper", 1)?.to_uppercase()))
}

fn capitalize(args: &[Value]) -> Result<Value, FuncError> {
    let s = arg(args, 0, "capitalize", 1)?;
    let mut c = s.chars();
    Ok(Value::String(match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }))
}

fn trim(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::String(arg(args, 0, "trim", 1)?.trim().to_string()))
}

fn replace(args: &[Value]) -> Result<Value, FuncError> {
    let old = arg(args, 0, "replace", 3)?;
    let new = arg(args, 1, "replace", 3)?;
    let s = arg(args, 2, "replace", 3)?;
    Ok(Value::String(s.replace(&old, &new)))
}

const FUNCS: &[(&str, Func)] = &[
    ("split", split as Func),
    ("join", join as Func),
    ("var", var as Func),
    ("default", default as Func),
    ("lower", lower as Func),
    ("upper", upper as Func),
    ("capitalize", capitalize as Func),
    ("trim", trim as Func),
    ("replace", replace as Func),
];

/// Squeeze runs of blank lines to one, as `cat -s` does.
pub fn squeeze_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = false;
    for line in s.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank && blank_run {
            continue;
        }
        blank_run = blank;
        out.push_str(line);
    }
    out
}

/// A variable (or environment) map from literal `(name, value)` pairs.
pub fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Render `source` with `vars` (`.NAME`) and the environment `env` (`var
/// "NAME"`), without touching blank lines. The error is the engine's
/// message.
pub fn render_raw(
    source: &str,
    vars: &BTreeMap<String, String>,
    env: &BTreeMap<String, String>,
) -> Result<String, String> {
    let mut tmpl = Template::default();
    tmpl.add_funcs(FUNCS);
    tmpl.parse(source).map_err(|e| e.to_string())?;
    let data: HashMap<String, Value> = vars
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    ENV.with(|e| *e.borrow_mut() = env.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    let result = tmpl
        .render(&Context::from(Value::Map(data)))
        .map_err(|e| e.to_string());
    ENV.with(|e| e.borrow_mut().clear());
    result
}

/// Render as [`render_raw`], then squeeze runs of blank lines to one, as
/// Dokku's `sigil ... | cat -s` does.
pub fn render(
    source: &str,
    vars: &BTreeMap<String, String>,
    env: &BTreeMap<String, String>,
) -> Result<String, String> {
    render_raw(source, vars, env).map(|s| squeeze_blank_lines(&s))
}

/// Rewrite POSIX-style references (`$NAME`, `${NAME}`, `${NAME:-default}`)
/// into template actions reading the environment, as sigil's `-p` does
/// before parsing. A `$` not followed by a name is kept as is.
pub fn posix_to_template(src: &str) -> String {
    fn is_name_start(c: char) -> bool {
        c == '_' || c.is_ascii_alphabetic()
    }
    fn is_name(c: char) -> bool {
        c == '_' || c.is_ascii_alphanumeric()
    }
    fn quote(s: &str) -> String {
        let mut q = String::from('"');
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                '\n' => q.push_str("\\n"),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    }
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            if let Some(close) = chars[i + 2..].iter().position(|&x| x == '}') {
                let inner: String = chars[i + 2..i + 2 + close].iter().collect();
                let (name, default) = match inner.split_once(":-") {
                    Some((n, d)) => (n.to_string(), Some(d.to_string())),
                    None => (inner.clone(), None),
                };
                if !name.is_empty() && name.starts_with(is_name_start) && name.chars().all(is_name)
                {
                    match default {
                        Some(d) => out.push_str(&format!(
                            "{{{{ var {} | default {} }}}}",
                            quote(&name),
                            quote(&d)
                        )),
                        None => out.push_str(&format!("{{{{ var {} }}}}", quote(&name))),
                    }
                    i += close + 3;
                    continue;
                }
            }
        } else if chars
            .get(i + 1)
            .copied()
            .map(is_name_start)
            .unwrap_or(false)
        {
            let mut j = i + 1;
            while j < chars.len() && is_name(chars[j]) {
                j += 1;
            }
            let name: String = chars[i + 1..j].iter().collect();
            out.push_str(&format!("{{{{ var {} }}}}", quote(&name)));
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(source: &str, pairs: &[(&str, &str)]) -> String {
        let env = vars(&[("FOO", "bar")]);
        match render(source, &vars(pairs), &env) {
            Ok(s) => s,
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn go_template_semantics() {
        assert_eq!(
            check("{{ .A }}-{{ $.B }}", &[("A", "1"), ("B", "2")]),
            "1-2"
        );
        assert_eq!(
            check(
                r#"{{ range $x := .L | split " " }}[{{ $x }}]{{ end }}"#,
                &[("L", "a b c")]
            ),
            "[a][b][c]"
        );
        assert_eq!(
            check(
                r#"{{ range $x := .L | split " " }}[{{ $x }}]{{ end }}"#,
                &[("L", "")]
            ),
            ""
        );
        assert_eq!(
            check(
                r#"{{ $l := .M | split ":" }}{{ index $l 2 }}"#,
                &[("M", "http:80:5000")]
            ),
            "5000"
        );
        assert_eq!(
            check(
                r#"{{ if eq .A "x" }}yes{{ else if .B }}b{{ else }}no{{ end }}"#,
                &[("A", "y"), ("B", "")]
            ),
            "no"
        );
        assert_eq!(
            check(
                r#"{{ if (and (eq .P "80") (.S)) }}redirect{{ end }}"#,
                &[("P", "80"), ("S", "true")]
            ),
            "redirect"
        );
        assert_eq!(
            check(
                r#"{{ range $p := .L | split " " }}{{ $.APP }}-{{ $p }} {{ end }}"#,
                &[("L", "1 2"), ("APP", "a")]
            ),
            "a-1 a-2 "
        );
        assert_eq!(
            check(r#"{{ var "FOO" }}/{{ var "NOPE" }}/{{ "x" | upper }}"#, &[]),
            "bar//X"
        );
        assert_eq!(
            check(
                r#"{{ .E | default "d" }} {{ join "," (.L | split " ") }}"#,
                &[("E", ""), ("L", "a b")]
            ),
            "d a,b"
        );
        assert_eq!(check("a\n\n  \n\nb  \n", &[]), "a\n\nb  \n");
        assert!(check("{{ if .A }}", &[]).starts_with("error: "));
        assert!(check(r#"{{ sh "id" }}"#, &[]).starts_with("error: "));
    }

    #[test]
    fn posix_references_read_the_environment() {
        let src = posix_to_template("a=$FOO b=${FOO} c=${NOPE:-d\"q} $ 5$ ${}");
        assert_eq!(check(&src, &[]), "a=bar b=bar c=d\"q $ 5$ ${}");
    }
}
