//! Rendering `nginx.conf.sigil` templates.
//!
//! Dokku renders its templates with sigil, which is Go's `text/template`
//! plus a library of functions. We render them with the `gtmpl` crate, a
//! port of Go's `text/template` engine (its lexer, parser and executor):
//! pipelines, `$` and variables, `range`, `if`/`else if`, the comparison
//! builtins, `{{-`/`-}}` trimming and Go's truthiness all behave as in Go,
//! so an app's existing `nginx.conf.sigil` renders unchanged. The
//! alternative, translating templates into Jinja syntax for `minijinja`,
//! would have needed our own parser of Go template syntax and would have
//! differed from Go in scoping and pipeline order. gtmpl is small, pure
//! Rust and passively maintained; the sigil functions templates use
//! (`split`, `join`, `var`, `default`, `lower`, `upper`, `capitalize`,
//! `trim`, `replace`) are defined here. Sigil's functions that read files
//! or run commands (`file`, `include`, `sh`, ...) are deliberately absent:
//! a template using them fails to render and is refused.
//!
//! Templates see their variables as `.NAME` / `$.NAME` (all strings), and
//! the app's environment through `var "NAME"`. As with `cat -s` after
//! sigil, runs of blank lines in the output are squeezed to one.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use gtmpl::{Context, Func, FuncError, Template, Value};

/// The default app template.
pub const NGINX_CONF: &str = include_str!("../templates/nginx.conf.sigil");
/// The HSTS snippet written to `nginx.conf.d/hsts.conf`.
pub const HSTS_CONF: &str = include_str!("../templates/hsts.conf.sigil");
/// The wrapper a candidate config is checked in with `nginx -t`.
pub const VALIDATE_CONF: &str = include_str!("../templates/validate.conf.sigil");
/// The global `dokku.conf`.
pub const DOKKU_CONF: &str = include_str!("../templates/dokku.conf.sigil");
/// The catch-all default site installed beside `dokku.conf`.
pub const DEFAULT_SITE: &str = include_str!("../templates/default-site.conf");

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

/// Render `source` with `vars` (`.NAME`) and the app environment `env`
/// (`var "NAME"`). The error is the engine's message.
pub fn render(
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
    Ok(squeeze_blank_lines(&result?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

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

    /// The variables of a deployed app with a certificate, two web
    /// containers and default settings.
    fn deployed_app() -> BTreeMap<String, String> {
        let mut v = vars(&[
            ("APP", "node-js-app"),
            ("APP_SSL_PATH", "/home/dokku/node-js-app/tls"),
            ("DOKKU_ROOT", "/home/dokku"),
            ("DOKKU_LIB_ROOT", "/var/lib/dokku"),
            ("NOSSL_SERVER_NAME", "node-js-app.dokku.me www.example.com"),
            ("SSL_SERVER_NAME", "node-js-app.dokku.me www.example.com"),
            ("SSL_INUSE", "true"),
            ("PROXY_PORT", "80"),
            ("PROXY_SSL_PORT", "443"),
            ("PROXY_PORT_MAP", "http:80:5000 https:443:5000"),
            ("PROXY_UPSTREAM_PORTS", "5000"),
            ("DOKKU_APP_WEB_LISTENERS", "172.17.0.2:5000 172.17.0.3:5000"),
            (
                "NGINX_ACCESS_LOG_PATH",
                "/var/log/nginx/node-js-app-access.log",
            ),
            (
                "NGINX_ERROR_LOG_PATH",
                "/var/log/nginx/node-js-app-error.log",
            ),
            ("NGINX_BIND_ADDRESS_IP6", "::"),
        ]);
        for key in [
            "CLIENT_BODY_TIMEOUT",
            "CLIENT_HEADER_TIMEOUT",
            "PROXY_CONNECT_TIMEOUT",
            "PROXY_READ_TIMEOUT",
            "PROXY_SEND_TIMEOUT",
            "SEND_TIMEOUT",
        ] {
            v.insert(key.into(), "60s".into());
        }
        for (k, val) in [
            ("CLIENT_MAX_BODY_SIZE", "1m"),
            ("KEEPALIVE_TIMEOUT", "75s"),
            ("LINGERING_TIMEOUT", "5s"),
            ("PROXY_BUFFER_SIZE", "4k"),
            ("PROXY_BUFFERING", "on"),
            ("PROXY_BUFFERS", "8 4k"),
            ("PROXY_BUSY_BUFFERS_SIZE", "8k"),
            ("UNDERSCORE_IN_HEADERS", "off"),
            ("PROXY_X_FORWARDED_FOR", "$remote_addr"),
            ("PROXY_X_FORWARDED_PORT", "$server_port"),
            ("PROXY_X_FORWARDED_PROTO", "$scheme"),
            ("HTTP2_SUPPORTED", "true"),
            ("HTTP2_DIRECTIVE_SUPPORTED", "false"),
            ("TLS13_SUPPORTED", "true"),
            ("GRPC_SUPPORTED", "true"),
        ] {
            v.insert(k.into(), val.into());
        }
        v
    }

    #[test]
    fn default_template_of_a_deployed_app_with_tls() {
        let out = render(NGINX_CONF, &deployed_app(), &BTreeMap::new()).expect("render");
        insta::assert_snapshot!("nginx_conf_deployed_tls", out);
    }

    #[test]
    fn default_template_of_an_undeployed_app_answers_502() {
        let mut v = deployed_app();
        v.insert("DOKKU_APP_WEB_LISTENERS".into(), String::new());
        v.insert("SSL_INUSE".into(), String::new());
        v.insert("PROXY_PORT_MAP".into(), "http:80:5000".into());
        let out = render(NGINX_CONF, &v, &BTreeMap::new()).expect("render");
        assert!(out.contains("    return 502;\n"), "{out}");
        assert!(!out.contains("upstream "), "{out}");
        assert!(!out.contains("listen      [::]:443"), "{out}");
    }
}
