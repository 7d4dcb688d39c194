//! Dokku's healthchecks as Swarm sees them: the app.json `healthchecks`
//! of a process type become the tasks' container healthcheck, and the
//! update monitor (how long the swarm watches each new task before going
//! on) covers the checks' time. A task whose check fails is unhealthy, the
//! swarm stops it, the update fails and rolls back (failure action
//! `rollback`, no failure allowed); with start-first order the old tasks
//! kept serving meanwhile.
//!
//! - `path` checks: an HTTP GET of `http://127.0.0.1:<port><path>` inside
//!   the container, with `curl` when the image has it, else `wget` (which
//!   busybox provides); `content` must then be in the body (`grep -F`),
//!   `httpHeaders` are sent.
//! - `command` checks: the command, run by the container's shell with each
//!   word quoted; `content` must be in its output.
//! - `uptime` checks and apps without checks (Dokku's fallback wait): the
//!   update monitor is that long, so a task that exits in that time fails
//!   the update.
//! - `listening` checks are not translated (no portable probe in an
//!   arbitrary image): a warning says so.
//!
//! Several checks of a type run in one healthcheck, one after the other.
//! Their timing is the strictest of them: the largest `initialDelay` as
//! start period, the smallest `wait` as interval, the sum of `timeout`s,
//! the largest `attempts` as retries. The `checks` plugin's `disabled` and
//! `skipped` lists turn the healthcheck off for their process types (the
//! monitor then is the fallback wait), as do `warn` checks (a failure
//! must not stop the deploy).

use dokku_docker::ServiceHealthcheck;
use dokku_trigger::appjson::{AppJson, Healthcheck};
use dokku_trigger::deploy::{AppJsonGetContent, ChecksGetProperty};
use dokku_trigger::Ctx;

use dokku_core::{Error, Result};

/// What the checks of one process type turn into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// The tasks' healthcheck, if any.
    pub check: Option<ServiceHealthcheck>,
    /// Seconds the swarm watches each updated task.
    pub monitor: u64,
    /// Checks that could not be translated (for a warning).
    pub untranslated: Vec<String>,
}

/// Dokku's fallback wait when `checks:set --global default-wait` is unset
/// (`DOKKU_DEFAULT_CHECKS_WAIT`).
const DEFAULT_WAIT: u64 = 10;

fn property(ctx: &Ctx, app: &str, key: &str) -> String {
    ChecksGetProperty::get(ctx, app, key)
}

fn number(ctx: &Ctx, app: &str, key: &str) -> Option<u64> {
    let v = property(ctx, app, key);
    let v = if v.trim().is_empty() {
        property(ctx, "--global", key)
    } else {
        v
    };
    v.trim().parse().ok()
}

fn listed(list: &str, process_type: &str) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|p| p == "_all_" || p == process_type)
}

/// `checks:set` overrides of the timing (app, else global).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    pub attempts: Option<u64>,
    pub timeout: Option<u64>,
    pub wait: Option<u64>,
}

/// The health of one process type of an app, from its app.json and the
/// checks plugin's properties.
pub fn of(ctx: &Ctx, app: &str, process_type: &str, port: u16) -> Result<Health> {
    let fallback = property(ctx, "--global", "default-wait")
        .trim()
        .parse()
        .unwrap_or(DEFAULT_WAIT);
    if listed(&property(ctx, app, "disabled"), process_type)
        || listed(&property(ctx, app, "skipped"), process_type)
    {
        return Ok(Health {
            monitor: fallback,
            ..Health::default()
        });
    }
    let content = AppJsonGetContent::get(ctx, app)?;
    let checks = if content.trim().is_empty() {
        Vec::new()
    } else {
        AppJson::parse(&content)
            .map_err(Error::fail)?
            .healthchecks_for(process_type)
            .to_vec()
    };
    let o = Overrides {
        attempts: number(ctx, app, "attempts"),
        timeout: number(ctx, app, "timeout"),
        wait: number(ctx, app, "wait"),
    };
    Ok(translate(&checks, &o, port, fallback))
}

fn quote(word: &str) -> String {
    // Single quotes keep every character but the quote itself, which
    // becomes '\''.
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// The shell line of an HTTP GET inside the container.
fn http_probe(c: &Healthcheck, port: u16, timeout: u64) -> String {
    let path = c.path.clone().unwrap_or_else(|| "/".into());
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    let https = c.scheme.as_deref() == Some("https");
    let url = format!(
        "{}://127.0.0.1:{port}{path}",
        if https { "https" } else { "http" }
    );
    let mut curl = format!("curl -fsS -m {timeout}");
    // busybox's wget may lack -T: the healthcheck's own timeout bounds it.
    let mut wget = "wget -q -O -".to_string();
    if https {
        curl.push_str(" -k");
        wget.push_str(" --no-check-certificate");
    }
    for h in &c.http_headers {
        let header = quote(&format!("{}: {}", h.name, h.value));
        curl.push_str(&format!(" -H {header}"));
        wget.push_str(&format!(" --header {header}"));
    }
    let url = quote(&url);
    let fetch =
        format!("if command -v curl >/dev/null 2>&1; then {curl} {url}; else {wget} {url}; fi");
    with_content(&fetch, c.content.as_deref())
}

fn with_content(probe: &str, content: Option<&str>) -> String {
    match content.filter(|c| !c.is_empty()) {
        Some(text) => format!("{{ {probe}; }} 2>&1 | grep -qF -- {}", quote(text)),
        None => format!("{{ {probe}; }} >/dev/null 2>&1"),
    }
}

/// The healthcheck and monitor of a process type's checks.
pub fn translate(checks: &[Healthcheck], o: &Overrides, port: u16, fallback: u64) -> Health {
    let secs = |v: Option<i64>| v.and_then(|n| u64::try_from(n).ok());
    let mut health = Health {
        monitor: fallback,
        ..Health::default()
    };
    let mut probes = Vec::new();
    let (mut start, mut interval, mut timeout, mut retries) = (0u64, u64::MAX, 0u64, 0u64);
    for c in checks {
        let name = c.name.clone().unwrap_or_else(|| {
            c.path
                .clone()
                .unwrap_or_else(|| c.kind.clone().unwrap_or_default())
        });
        if c.warn == Some(true) {
            health.untranslated.push(format!("{name} (warn only)"));
            continue;
        }
        let t = secs(c.timeout).or(o.timeout).unwrap_or(5).max(1);
        let check_port = secs(c.port)
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(port);
        let probe = if let Some(cmd) = c.command.as_ref().filter(|c| !c.is_empty()) {
            let line: Vec<String> = cmd.iter().map(|w| quote(w)).collect();
            with_content(&line.join(" "), c.content.as_deref())
        } else if c.path.is_some() {
            http_probe(c, check_port, t)
        } else if let Some(u) = secs(c.uptime) {
            health.monitor = health.monitor.max(u);
            continue;
        } else {
            health.untranslated.push(name);
            continue;
        };
        probes.push(probe);
        start = start.max(secs(c.initial_delay).unwrap_or(0));
        interval = interval.min(secs(c.wait).or(o.wait).unwrap_or(5).max(1));
        timeout += t;
        retries = retries.max(secs(c.attempts).or(o.attempts).unwrap_or(3).max(1));
    }
    if !probes.is_empty() {
        // Long enough for every try to have failed, plus the start
        // period: a task still unhealthy then fails the update.
        health.monitor = health.monitor.max(start + retries * (interval + timeout));
        health.check = Some(ServiceHealthcheck {
            test: vec!["CMD-SHELL".into(), probes.join(" && ")],
            interval,
            timeout,
            retries,
            start_period: start,
        });
    }
    health
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Vec<Healthcheck> {
        AppJson::parse(json)
            .expect("app.json")
            .healthchecks_for("web")
            .to_vec()
    }

    #[test]
    fn http_checks_probe_inside_the_container() {
        let checks = parse(
            r#"{"healthchecks": {"web": [{"type": "startup", "path": "/health", "content": "it's ok", "attempts": 4, "wait": 2, "timeout": 3, "initialDelay": 1}]}}"#,
        );
        let h = translate(&checks, &Overrides::default(), 5000, 10);
        let check = h.check.expect("check");
        assert_eq!(check.test[0], "CMD-SHELL");
        assert_eq!(
            check.test[1],
            "{ if command -v curl >/dev/null 2>&1; then curl -fsS -m 3 'http://127.0.0.1:5000/health'; else wget -q -O - 'http://127.0.0.1:5000/health'; fi; } 2>&1 | grep -qF -- 'it'\\''s ok'"
        );
        assert_eq!(
            (
                check.interval,
                check.timeout,
                check.retries,
                check.start_period
            ),
            (2, 3, 4, 1)
        );
        assert_eq!(h.monitor, 1 + 4 * (2 + 3));
    }

    #[test]
    fn command_words_are_quoted_and_overrides_apply() {
        let checks =
            parse(r#"{"healthchecks": {"web": [{"command": ["/bin/check", "a b", "$(x)"]}]}}"#);
        let o = Overrides {
            attempts: Some(2),
            timeout: Some(1),
            wait: Some(1),
        };
        let h = translate(&checks, &o, 5000, 10);
        let check = h.check.expect("check");
        assert_eq!(
            check.test[1],
            "{ '/bin/check' 'a b' '$(x)'; } >/dev/null 2>&1"
        );
        assert_eq!((check.retries, check.timeout, check.interval), (2, 1, 1));
        assert_eq!(h.monitor, 10);
    }

    #[test]
    fn no_checks_keep_the_fallback_wait_and_uptime_extends_it() {
        assert_eq!(
            translate(&[], &Overrides::default(), 5000, 10),
            Health {
                monitor: 10,
                ..Health::default()
            }
        );
        let h = translate(
            &parse(
                r#"{"healthchecks": {"web": [{"uptime": 20}, {"listening": true, "name": "l"}]}}"#,
            ),
            &Overrides::default(),
            5000,
            10,
        );
        assert_eq!((h.check, h.monitor), (None, 20));
        assert_eq!(h.untranslated, vec!["l".to_string()]);
    }

    #[test]
    fn disabled_lists_name_types_or_all() {
        assert!(listed("_all_", "web"));
        assert!(listed("worker,web", "web"));
        assert!(!listed("worker", "web"));
        assert!(!listed("", "web"));
    }
}
