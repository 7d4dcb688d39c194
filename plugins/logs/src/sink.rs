//! Sink DSNs: `<sink-type>://?<options>`, the options a query string in
//! which `key[sub]=v` nests an object and `key[]=v` appends to a list, as
//! Dokku reads them. Values that read as JSON (numbers, booleans, null)
//! keep their type; everything else is a string.

use dokku_core::{Error, Result};
use serde_json::{Map, Value};

/// A parsed sink: its vector type and options.
#[derive(Debug, Clone, PartialEq)]
pub struct Sink {
    /// The vector sink type (`console`, `datadog_logs`, `http`...).
    pub kind: String,
    /// The options, nested.
    pub options: Map<String, Value>,
}

/// The sink type of a DSN: what stands before `://`.
pub fn kind_of(dsn: &str) -> &str {
    dsn.split_once("://").map(|(k, _)| k).unwrap_or(dsn)
}

/// A DSN as `logs:report` prints it: only its sink type.
pub fn redacted(dsn: &str) -> String {
    if dsn.is_empty() {
        return String::new();
    }
    format!("{}://redacted", kind_of(dsn))
}

fn invalid(dsn: &str) -> Error {
    Error::fail(format!(
        "Invalid vector sink value {dsn:?}, expected <sink-type>://?<options>"
    ))
}

/// `%XX` decoding with `+` as a space (Go's `url.QueryUnescape`).
fn unescape(s: &str) -> Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3).unwrap_or("");
                let byte = (hex.len() == 2)
                    .then(|| u8::from_str_radix(hex, 16).ok())
                    .flatten()
                    .ok_or_else(|| {
                        let shown: String = s[i..].chars().take(3).collect();
                        Error::fail(format!("invalid URL escape {shown:?}"))
                    })?;
                out.push(byte);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| Error::fail(format!("invalid URL escape in {s:?}")))
}

/// A key's path: `a[b][]` is `a`, `b`, `` (an empty segment appends).
fn key_path(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_string()];
    };
    let mut path = vec![key[..open].to_string()];
    let mut rest = &key[open..];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            // An unclosed bracket: the key is taken as written.
            return vec![key.to_string()];
        };
        path.push(inner[..close].to_string());
        rest = &inner[close + 1..];
    }
    if !rest.is_empty() {
        return vec![key.to_string()];
    }
    path
}

fn typed(raw: &str) -> Value {
    match serde_json::from_str::<Value>(raw) {
        Ok(v @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => v,
        _ => Value::String(raw.to_string()),
    }
}

fn insert(map: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((head, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.insert(head.clone(), value);
        return;
    }
    if rest[0].is_empty() {
        let entry = map
            .entry(head.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if !entry.is_array() {
            *entry = Value::Array(Vec::new());
        }
        if let Value::Array(list) = entry {
            if rest.len() == 1 {
                list.push(value);
            } else {
                let mut item = Map::new();
                insert(&mut item, &rest[1..], value);
                list.push(Value::Object(item));
            }
        }
        return;
    }
    let entry = map
        .entry(head.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    if let Value::Object(inner) = entry {
        insert(inner, rest, value);
    }
}

/// Parse a sink DSN.
pub fn parse(dsn: &str) -> Result<Sink> {
    let (kind, rest) = dsn.split_once("://").ok_or_else(|| invalid(dsn))?;
    let kind_ok = kind.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !kind_ok {
        return Err(invalid(dsn));
    }
    let query = rest.split_once('?').map(|(_, q)| q).unwrap_or("");
    let mut options = Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = unescape(k)?;
        let value = unescape(v)?;
        let path = key_path(&key);
        if path[0] == "sinks" {
            return Err(Error::fail("Invalid option sinks"));
        }
        if path[0].is_empty() {
            continue;
        }
        insert(&mut options, &path, typed(&value));
    }
    Ok(Sink {
        kind: kind.to_string(),
        options,
    })
}

/// The vector sink of a DSN reading from `inputs`: its options, `type`
/// and `inputs`.
pub fn to_config(dsn: &str, inputs: &[String]) -> Result<Value> {
    let sink = parse(dsn)?;
    let mut map = sink.options;
    map.insert("type".into(), Value::String(sink.kind));
    map.insert(
        "inputs".into(),
        Value::Array(inputs.iter().cloned().map(Value::String).collect()),
    );
    Ok(Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfg(dsn: &str) -> Value {
        to_config(dsn, &["in".to_string()]).expect("sink")
    }

    #[test]
    fn dsns_become_sink_configs() {
        assert_eq!(
            cfg("console://?encoding[codec]=json"),
            json!({"type": "console", "inputs": ["in"], "encoding": {"codec": "json"}})
        );
        assert_eq!(
            cfg("datadog_logs://?default_api_key=abc123&compression=gzip&site=datadoghq.eu"),
            json!({"type": "datadog_logs", "inputs": ["in"], "default_api_key": "abc123",
                   "compression": "gzip", "site": "datadoghq.eu"})
        );
        assert_eq!(
            cfg("http://?uri=https%3A//loggerservice.com%3A1234/%3Ftoken%3Dabc1234%26type%3Dvector&encoding[codec]=json"),
            json!({"type": "http", "inputs": ["in"],
                   "uri": "https://loggerservice.com:1234/?token=abc1234&type=vector",
                   "encoding": {"codec": "json"}})
        );
        assert_eq!(
            cfg("loki://?endpoint=http://loki:3100&labels[app]=x&batch[max_events]=10&healthcheck[enabled]=false&out[]=a&out[]=b"),
            json!({"type": "loki", "inputs": ["in"], "endpoint": "http://loki:3100",
                   "labels": {"app": "x"}, "batch": {"max_events": 10},
                   "healthcheck": {"enabled": false}, "out": ["a", "b"]})
        );
        assert_eq!(
            cfg("file://?path=/var/log/dokku/apps/a/cron-{{ dokku_cron_id }}.log&encoding[codec]=text"),
            json!({"type": "file", "inputs": ["in"],
                   "path": "/var/log/dokku/apps/a/cron-{{ dokku_cron_id }}.log",
                   "encoding": {"codec": "text"}})
        );
        assert_eq!(
            cfg("blackhole://"),
            json!({"type": "blackhole", "inputs": ["in"]})
        );
    }

    #[test]
    fn bad_dsns_are_refused() {
        let err = |d: &str| parse(d).expect_err(d).to_string();
        assert_eq!(err("console://?sinks[x]=1"), "Invalid option sinks");
        assert_eq!(err("http://?uri=%zz"), "invalid URL escape \"%zz\"");
        assert_eq!(
            err("console"),
            "Invalid vector sink value \"console\", expected <sink-type>://?<options>"
        );
        assert!(parse("://?a=1").is_err());
    }

    #[test]
    fn redaction_keeps_the_type() {
        assert_eq!(
            redacted("console://?encoding[codec]=json"),
            "console://redacted"
        );
        assert_eq!(
            redacted("datadog_logs://?default_api_key=s3cr3t"),
            "datadog_logs://redacted"
        );
        assert_eq!(redacted(""), "");
    }
}
