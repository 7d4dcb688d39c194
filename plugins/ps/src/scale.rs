//! An app's scale (formation): how many containers of each process type.
//! Stored as the ps `scale` property, one `type=count` per line.

use dokku_core::{Error, Result};

use crate::procfile::valid_process_type;

/// Process types and counts, in stored order.
pub type Scale = Vec<(String, u32)>;

/// Parse `type=count` tuples as `ps:scale` takes them.
pub fn parse_tuples(tuples: &[String]) -> Result<Scale> {
    let mut out: Scale = Vec::new();
    for t in tuples {
        let (name, count) = match t.split_once('=') {
            Some((n, c)) => (n.trim(), c.trim()),
            None => (t.trim(), ""),
        };
        if !valid_process_type(name) {
            return Err(Error::fail(format!(
                "{name} is not a valid process name to scale up"
            )));
        }
        if count.is_empty() {
            return Err(Error::fail(format!(
                "Missing count for process type {name}"
            )));
        }
        let n: u32 = count
            .parse()
            .map_err(|_| Error::fail(format!("Invalid count for process type {name}")))?;
        set(&mut out, name, n);
    }
    Ok(out)
}

/// Parse a stored scale; malformed lines are an error.
pub fn parse_stored(s: &str) -> Result<Scale> {
    let lines: Vec<String> = s
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    parse_tuples(&lines)
        .map_err(|_| Error::fail(format!("invalid scale output stored by dokku: {s:?}")))
}

/// The stored form.
pub fn render(scale: &Scale) -> String {
    scale.iter().map(|(p, n)| format!("{p}={n}\n")).collect()
}

/// Set one count, keeping the order.
pub fn set(scale: &mut Scale, name: &str, n: u32) {
    match scale.iter_mut().find(|(p, _)| p == name) {
        Some(e) => e.1 = n,
        None => scale.push((name.to_string(), n)),
    }
}

/// Bring a scale in line with the process types an app defines: types not
/// scaled yet get 0, except `web`, which starts at 1. Existing counts stay.
pub fn with_types(mut scale: Scale, types: &[String]) -> Scale {
    for t in types {
        if !scale.iter().any(|(p, _)| p == t) {
            let n = if t == "web" { 1 } else { 0 };
            scale.push((t.clone(), n));
        }
    }
    scale
}

/// Process types in deploy order: `web` first, then the rest as stored.
pub fn deploy_order(scale: &Scale) -> Scale {
    let mut v: Scale = scale.iter().filter(|(p, _)| p == "web").cloned().collect();
    v.extend(scale.iter().filter(|(p, _)| p != "web").cloned());
    v
}

/// Process types in name order, each once (a later count wins, as a
/// later tuple does on the command line).
pub fn sorted(scale: &Scale) -> Scale {
    let mut out: Scale = Vec::new();
    for (p, n) in scale {
        set(&mut out, p, *n);
    }
    out.sort();
    out
}

/// The `ps:scale --format json` form.
pub fn to_json(scale: &Scale) -> String {
    let v: Vec<serde_json::Value> = scale
        .iter()
        .map(|(p, n)| serde_json::json!({"process_type": p, "quantity": n}))
        .collect();
    serde_json::Value::Array(v).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    use dokku_core::args::owned as v;

    fn check(tuples: &[&str]) -> String {
        match parse_tuples(&v(tuples)) {
            Ok(s) => render(&s),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn tuples() {
        assert_eq!(check(&["web=2", "worker=1", "web=3"]), "web=3\nworker=1\n");
        assert_eq!(
            check(&["web="]),
            "error: Missing count for process type web"
        );
        assert_eq!(check(&["web"]), "error: Missing count for process type web");
        assert_eq!(
            check(&["web=-1"]),
            "error: Invalid count for process type web"
        );
        assert_eq!(
            check(&["web=x"]),
            "error: Invalid count for process type web"
        );
        assert_eq!(
            check(&["Web=1"]),
            "error: Web is not a valid process name to scale up"
        );
        assert!(parse_stored("web=1\nbad\n").is_err());
    }

    #[test]
    fn types_and_order() {
        let s = with_types(vec![("worker".into(), 2)], &v(&["web", "worker", "clock"]));
        assert_eq!(render(&s), "worker=2\nweb=1\nclock=0\n");
        assert_eq!(render(&deploy_order(&s)), "web=1\nworker=2\nclock=0\n");
        assert_eq!(
            to_json(&s),
            r#"[{"process_type":"worker","quantity":2},{"process_type":"web","quantity":1},{"process_type":"clock","quantity":0}]"#
        );
        assert_eq!(to_json(&Vec::new()), "[]");
    }
}
