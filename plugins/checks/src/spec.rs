//! What a check is: the `healthchecks` entries of app.json and the legacy
//! `CHECKS` file, parsed into one type with their defaults applied.

use std::time::Duration;

use dokku_trigger::appjson::AppJson;

/// What a check looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// An HTTP GET of a path; passes on a 2xx/3xx answer containing
    /// `content` (when not empty).
    Http {
        /// `http` or `https` (only `http` is probed; `https` fails).
        scheme: String,
        /// The path, starting with `/`.
        path: String,
        /// Text the body must contain.
        content: String,
        /// Extra request headers.
        headers: Vec<(String, String)>,
    },
    /// A command run in the container; passes on exit 0 (and `content` in
    /// its output when not empty).
    Command {
        /// The command and its arguments.
        cmd: Vec<String>,
        /// Text the output must contain.
        content: String,
    },
    /// The container stays up, without restarts, this long.
    Uptime(Duration),
    /// Something accepts TCP connections on the port.
    Listening,
}

/// One check with its retry settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Name shown in output.
    pub name: String,
    /// `startup`, `liveness`, `readiness` or empty.
    pub kind: String,
    /// What is probed.
    pub probe: Probe,
    /// How many times it is tried.
    pub attempts: u32,
    /// How long one try may take.
    pub timeout: Duration,
    /// Pause between tries.
    pub wait: Duration,
    /// Pause before the first try.
    pub initial_delay: Duration,
    /// Port probed; the container's port when `None`.
    pub port: Option<u16>,
    /// A failure only warns.
    pub warn_only: bool,
}

impl Check {
    /// How the check is described when it starts, in the healthchecker's
    /// `key=value` style.
    pub fn describe(&self, port: u16) -> String {
        let mut parts = vec![
            format!("name='{}'", self.name),
            format!("attempts={}", self.attempts),
        ];
        match &self.probe {
            Probe::Http { path, content, .. } => {
                parts.push(format!("path='{path}'"));
                parts.push(format!("port={port}"));
                if !content.is_empty() {
                    parts.push(format!("content='{content}'"));
                }
            }
            Probe::Command { cmd, .. } => parts.push(format!("command='{}'", cmd.join(" "))),
            Probe::Uptime(d) => parts.push(format!("uptime={}", d.as_secs())),
            Probe::Listening => parts.push(format!("port={port}")),
        }
        parts.push(format!("timeout={}", self.timeout.as_secs()));
        let kind = match &self.probe {
            Probe::Uptime(_) => "uptime".to_string(),
            Probe::Listening => "listening".to_string(),
            _ if self.kind.is_empty() => "startup".to_string(),
            _ => self.kind.clone(),
        };
        parts.push(format!("type='{kind}'"));
        parts.push(format!("wait={}", self.wait.as_secs()));
        parts.join(" ")
    }
}

/// Defaults the `checks:set` properties give (`attempts`, `timeout`,
/// `wait`); app.json values win over them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Overrides {
    /// `attempts` property.
    pub attempts: Option<u32>,
    /// `timeout` property, seconds.
    pub timeout: Option<u64>,
    /// `wait` property, seconds.
    pub wait: Option<u64>,
}

/// The healthchecks app.json defines for a process type. An unreadable
/// app.json is an error (`Cannot parse app.json: ...`).
pub fn from_app_json(content: &str, proc_type: &str, o: Overrides) -> Result<Vec<Check>, String> {
    if content.trim().is_empty() {
        return Ok(Vec::new());
    }
    let parsed = AppJson::parse(content)?;
    let secs = |v: Option<i64>| v.map(|n| u64::try_from(n).unwrap_or(0));
    let mut out = Vec::new();
    for (i, r) in parsed.healthchecks_for(proc_type).iter().enumerate() {
        let cmd = r.command.clone().unwrap_or_default();
        let path = r.path.clone().unwrap_or_default();
        let content = r.content.clone().unwrap_or_default();
        let probe = if !cmd.is_empty() {
            Probe::Command { cmd, content }
        } else if !path.is_empty() {
            Probe::Http {
                scheme: r
                    .scheme
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "http".into()),
                path: if path.starts_with('/') {
                    path
                } else {
                    format!("/{path}")
                },
                content,
                headers: r
                    .http_headers
                    .iter()
                    .map(|h| (h.name.clone(), h.value.clone()))
                    .collect(),
            }
        } else if let Some(u) = secs(r.uptime).filter(|u| *u > 0) {
            Probe::Uptime(Duration::from_secs(u))
        } else if r.listening == Some(true) {
            Probe::Listening
        } else {
            Probe::Http {
                scheme: "http".into(),
                path: "/".into(),
                content,
                headers: Vec::new(),
            }
        };
        let name = match r.name.clone().filter(|n| !n.is_empty()) {
            Some(n) => n,
            None => match &probe {
                Probe::Http { path, .. } => format!("{proc_type} path check {path}"),
                Probe::Command { .. } => format!("{proc_type} command check {}", i + 1),
                Probe::Uptime(_) => format!("{proc_type} uptime check"),
                Probe::Listening => format!("{proc_type} listening check"),
            },
        };
        let uptime = matches!(probe, Probe::Uptime(_));
        let attempts = r
            .attempts
            .map(|a| u32::try_from(a).unwrap_or(1))
            .or(o.attempts)
            .unwrap_or(3)
            .max(1);
        out.push(Check {
            name,
            kind: r.kind.clone().unwrap_or_default(),
            probe,
            attempts: if uptime { 1 } else { attempts },
            timeout: Duration::from_secs(secs(r.timeout).or(o.timeout).unwrap_or(5)),
            wait: Duration::from_secs(secs(r.wait).or(o.wait).unwrap_or(5)),
            initial_delay: Duration::from_secs(secs(r.initial_delay).unwrap_or(0)),
            port: r.port.and_then(|p| u16::try_from(p).ok()),
            warn_only: r.warn == Some(true),
        });
    }
    Ok(out)
}

/// The checks of a legacy `CHECKS` file: `WAIT=`, `TIMEOUT=` and
/// `ATTEMPTS=` settings, then `<path> [expected content]` lines (a path may
/// also be a full `http://host/path` or `//host/path` URL; only the path is
/// probed, against the container).
pub fn from_checks_file(content: &str, o: Overrides) -> Vec<Check> {
    let mut wait = o.wait.unwrap_or(5);
    let mut timeout = o.timeout.unwrap_or(30);
    let mut attempts = o.attempts.unwrap_or(5);
    let mut lines: Vec<(String, String)> = Vec::new();
    for line in content.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(v) = line.strip_prefix("WAIT=") {
            wait = v.trim().parse().unwrap_or(wait);
            continue;
        }
        if let Some(v) = line.strip_prefix("TIMEOUT=") {
            timeout = v.trim().parse().unwrap_or(timeout);
            continue;
        }
        if let Some(v) = line.strip_prefix("ATTEMPTS=") {
            attempts = v.trim().parse().unwrap_or(attempts);
            continue;
        }
        let (target, expected) = match line.split_once(char::is_whitespace) {
            Some((t, e)) => (t.to_string(), e.trim().to_string()),
            None => (line.to_string(), String::new()),
        };
        lines.push((target, expected));
    }
    lines
        .into_iter()
        .map(|(target, expected)| {
            let path = url_path(&target);
            Check {
                name: format!("CHECKS {target}"),
                kind: "startup".into(),
                probe: Probe::Http {
                    scheme: "http".into(),
                    path,
                    content: expected,
                    headers: Vec::new(),
                },
                attempts: attempts.max(1),
                timeout: Duration::from_secs(timeout),
                wait: Duration::from_secs(wait),
                initial_delay: Duration::from_secs(wait),
                port: None,
                warn_only: false,
            }
        })
        .collect()
}

/// The path of a CHECKS target: `/x`, `//host/x` or `scheme://host/x`.
fn url_path(target: &str) -> String {
    let rest = if let Some((_, r)) = target.split_once("://") {
        r
    } else if let Some(r) = target.strip_prefix("//") {
        r
    } else {
        return if target.starts_with('/') {
            target.to_string()
        } else {
            format!("/{target}")
        };
    };
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    }
}

/// The check used when an app defines none: the container must stay up,
/// unrestarted, for `wait`.
pub fn default_uptime(wait: Duration) -> Check {
    Check {
        name: "default".into(),
        kind: "startup".into(),
        probe: Probe::Uptime(wait),
        attempts: 1,
        timeout: Duration::from_secs(5),
        wait: Duration::from_secs(0),
        initial_delay: Duration::from_secs(0),
        port: None,
        warn_only: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(app_json: &str, proc_type: &str) -> String {
        match from_app_json(app_json, proc_type, Overrides::default()) {
            Ok(v) => v
                .iter()
                .map(|c| c.describe(5000))
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn app_json_healthchecks() {
        let j = r#"{"healthchecks":{"web":[
            {"type":"startup","name":"web check","path":"/health/ready","attempts":2,"content":"ok"},
            {"type":"liveness","command":["cat","/tmp/ok"]},
            {"uptime":3},
            {"listening":true,"port":8080},
            {"path":"health"}
        ]}}"#;
        insta::assert_snapshot!(check(j, "web"), @r#"
            name='web check' attempts=2 path='/health/ready' port=5000 content='ok' timeout=5 type='startup' wait=5
            name='web command check 2' attempts=3 command='cat /tmp/ok' timeout=5 type='liveness' wait=5
            name='web uptime check' attempts=1 uptime=3 timeout=5 type='uptime' wait=5
            name='web listening check' attempts=3 port=5000 timeout=5 type='listening' wait=5
            name='web path check /health' attempts=3 path='/health' port=5000 timeout=5 type='startup' wait=5
            "#);
        assert_eq!(check(j, "worker"), "");
        assert_eq!(check("", "web"), "");
        assert!(check("{", "web").starts_with("error: Cannot parse app.json:"));
        let c = from_app_json(
            "{\"healthchecks\":{\"web\":[{\"command\":[\"test\",\"-f\",\"x\"],\"timeout\":2}]} // jsonc\n}",
            "web",
            Overrides::default(),
        )
        .expect("parse");
        assert_eq!(
            c[0].probe,
            Probe::Command {
                cmd: vec!["test".into(), "-f".into(), "x".into()],
                content: String::new()
            }
        );
        assert_eq!(c[0].timeout, Duration::from_secs(2));
    }

    #[test]
    fn overrides_apply_under_app_json_values() {
        let o = Overrides {
            attempts: Some(7),
            timeout: Some(9),
            wait: Some(1),
        };
        let c = from_app_json(
            r#"{"healthchecks":{"web":[{"path":"/","attempts":2}]}}"#,
            "web",
            o,
        )
        .expect("parse");
        assert_eq!(
            (c[0].attempts, c[0].timeout.as_secs(), c[0].wait.as_secs()),
            (2, 9, 1)
        );
    }

    #[test]
    fn legacy_checks_file() {
        let c = from_checks_file(
            "WAIT=2\nATTEMPTS=3\n# comment\n/ Hello World\nhttp://example.com/status ok\n//x.y/z\n",
            Overrides::default(),
        );
        let got: Vec<(String, String, u32, u64)> = c
            .iter()
            .map(|c| match &c.probe {
                Probe::Http { path, content, .. } => {
                    (path.clone(), content.clone(), c.attempts, c.wait.as_secs())
                }
                _ => (String::new(), String::new(), 0, 0),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("/".into(), "Hello World".into(), 3, 2),
                ("/status".into(), "ok".into(), 3, 2),
                ("/z".into(), String::new(), 3, 2)
            ]
        );
    }
}
