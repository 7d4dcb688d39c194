//! Running an app's checks against one of its containers: what the
//! `check-deploy` trigger and `checks:run` do.

use std::thread::sleep;
use std::time::{Duration, Instant};

use dokku_core::{Error, Result};
use dokku_docker::{ContainerEngine, ExecSpec};
use dokku_output::Output;
use dokku_trigger::deploy::AppJsonGetContent;
use dokku_trigger::Ctx;

use crate::http;
use crate::spec::{self, Check, Overrides, Probe};
use crate::store;

/// The container being checked.
#[derive(Debug, Clone)]
pub struct Target {
    /// The app.
    pub app: String,
    /// The container id.
    pub container_id: String,
    /// Its process type.
    pub proc_type: String,
    /// `web.1`: process type and index.
    pub dyno: String,
    /// Its address.
    pub ip: String,
    /// Its port.
    pub port: u16,
}

/// The `checks:set` overrides of an app.
pub fn overrides(ctx: &Ctx, app: &str) -> Overrides {
    let n = |k| store::computed_number(&ctx.paths, app, k);
    Overrides {
        attempts: n("attempts").map(|v| v as u32),
        timeout: n("timeout"),
        wait: n("wait"),
    }
}

/// The app's app.json content, empty when none.
pub fn app_json(ctx: &Ctx, app: &str) -> Result<String> {
    AppJsonGetContent::get(ctx, app)
}

/// Run the checks that apply to the target; fails with Dokku's `Could not
/// start due to N failed checks (web.1)` line.
pub fn run(ctx: &Ctx, engine: &dyn ContainerEngine, t: &Target) -> Result<()> {
    let out = &ctx.out;
    let who = format!("{}.{}", t.app, t.dyno);
    if store::disabled(&ctx.paths, &t.app).contains(&t.proc_type) {
        out.info2_quiet(&format!("Zero downtime checks disabled for app ({who})"));
        return Ok(());
    }
    if store::skipped(&ctx.paths, &t.app).contains(&t.proc_type) {
        out.info2_quiet(&format!("Zero downtime checks skipped for app ({who})"));
        return Ok(());
    }
    let o = overrides(ctx, &t.app);
    let mut checks =
        spec::from_app_json(&app_json(ctx, &t.app)?, &t.proc_type, o).map_err(Error::fail)?;
    let mut fallback = false;
    if checks.is_empty() && t.proc_type == "web" {
        if let Some(content) = read_checks_file(engine, &t.container_id) {
            out.warn("Deprecated: Usage of the CHECKS file is deprecated in favor of healthchecks in app.json");
            out.warn("Please move your healthchecks to app.json.");
            checks = spec::from_checks_file(&content, o);
        }
    }
    if checks.is_empty() {
        fallback = true;
        out.verbose("For more efficient zero downtime deployments, create a file CHECKS.");
        out.verbose("See https://dokku.com/docs/deployment/zero-downtime-deploys/ for examples");
        out.verbose("CHECKS file not found in container: Running simple container check...");
        checks.push(spec::default_uptime(Duration::from_secs(
            store::default_wait(&ctx.paths),
        )));
    } else {
        out.info1(&format!(
            "Executing {} healthchecks ({})",
            checks.len(),
            t.dyno
        ));
    }
    let failed = run_each(out, engine, t, &checks, fallback);
    if failed > 0 {
        return Err(Error::fail(format!(
            "Could not start due to {failed} failed checks ({})",
            t.dyno
        )));
    }
    if fallback {
        out.info1("Default container check successful!");
    } else {
        out.verbose(&format!("All checks successful ({})", t.dyno));
    }
    Ok(())
}

/// Run `checks` one after the other against the target; the number that
/// failed (warn-only checks never count). `fallback` marks the default
/// uptime check, which reports in fewer words.
pub fn run_each(
    out: &Output,
    engine: &dyn ContainerEngine,
    t: &Target,
    checks: &[Check],
    fallback: bool,
) -> usize {
    checks
        .iter()
        .filter(|c| !run_check(out, engine, t, c, fallback) && !c.warn_only)
        .count()
}

/// The legacy CHECKS file from the container's working directory.
fn read_checks_file(engine: &dyn ContainerEngine, container: &str) -> Option<String> {
    let o = engine
        .exec(container, &ExecSpec::new(["cat", "CHECKS"]))
        .ok()?;
    if o.success() {
        Some(o.stdout_lossy())
    } else {
        None
    }
}

/// Whether the container still runs unrestarted; `Err` says why not.
fn alive(engine: &dyn ContainerEngine, container: &str) -> std::result::Result<(), String> {
    match engine.inspect_container(container) {
        Ok(i) if i.running && i.restart_count == 0 && i.status != "restarting" => Ok(()),
        Ok(i) if i.running => Err(format!("container restarted {} times", i.restart_count)),
        Ok(i) => Err(format!("container exited with code {}", i.exit_code)),
        Err(e) => Err(format!("container is gone: {e}")),
    }
}

/// One check with its attempts; true when it passed.
fn run_check(
    out: &Output,
    engine: &dyn ContainerEngine,
    t: &Target,
    c: &Check,
    fallback: bool,
) -> bool {
    let port = c.port.unwrap_or(t.port);
    if !fallback {
        out.verbose(&format!("Running healthcheck {}", c.describe(port)));
    }
    if !c.initial_delay.is_zero() {
        sleep(c.initial_delay);
    }
    let mut reason = String::new();
    for attempt in 1..=c.attempts {
        match probe(out, engine, t, c, port, fallback) {
            Ok(()) => {
                if !fallback {
                    out.verbose(&format!("Healthcheck succeeded name='{}'", c.name));
                }
                return true;
            }
            Err(r) => {
                reason = r;
                if !fallback {
                    out.verbose(&format!(
                        "Healthcheck failed name='{}' attempt={attempt}/{}: {reason}",
                        c.name, c.attempts
                    ));
                }
            }
        }
        if alive(engine, &t.container_id).is_err() {
            break;
        }
        if attempt < c.attempts {
            sleep(c.wait);
        }
    }
    if fallback {
        out.warn(&format!(
            "App container failed to start ({}): {reason}",
            t.dyno
        ));
    } else if c.warn_only {
        out.warn(&format!("Warning in name='{}': {reason}", c.name));
    } else {
        out.warn(&format!("Failure in name='{}': {reason}", c.name));
    }
    false
}

fn probe(
    out: &Output,
    engine: &dyn ContainerEngine,
    t: &Target,
    c: &Check,
    port: u16,
    fallback: bool,
) -> std::result::Result<(), String> {
    match &c.probe {
        Probe::Uptime(d) => {
            if fallback {
                out.info1(&format!("Waiting for {} seconds ...", d.as_secs()));
            }
            let until = Instant::now() + *d;
            loop {
                alive(engine, &t.container_id)?;
                let now = Instant::now();
                if now >= until {
                    return Ok(());
                }
                sleep((until - now).min(Duration::from_millis(250)));
            }
        }
        Probe::Listening => {
            let until = Instant::now() + c.timeout;
            loop {
                match http::connect(host(t), port, c.timeout) {
                    Ok(_) => return Ok(()),
                    Err(e) if Instant::now() >= until => return Err(e.to_string()),
                    Err(_) => {
                        alive(engine, &t.container_id)?;
                        sleep(Duration::from_millis(50));
                    }
                }
            }
        }
        Probe::Http {
            scheme,
            path,
            content,
            headers,
        } => {
            if scheme != "http" {
                return Err(format!("unsupported scheme {scheme}"));
            }
            let until = Instant::now() + c.timeout;
            loop {
                let left = until
                    .saturating_duration_since(Instant::now())
                    .max(Duration::from_millis(100));
                match http::get(host(t), port, path, host(t), headers, left) {
                    Ok(a) if (200..400).contains(&a.status) => {
                        if content.is_empty() || a.body.contains(content.as_str()) {
                            return Ok(());
                        }
                        return Err(format!(
                            "expected content {content:?} not found in answer of {path}"
                        ));
                    }
                    Ok(a) => return Err(format!("{path} answered with status {}", a.status)),
                    // Nothing listening yet: ask again at once, so the
                    // container goes live as soon as it answers.
                    Err(http::Failure::Connect(e)) => {
                        if Instant::now() >= until {
                            return Err(e);
                        }
                        alive(engine, &t.container_id)?;
                        sleep(Duration::from_millis(50));
                    }
                    Err(e) => return Err(e.to_string()),
                }
            }
        }
        Probe::Command { cmd, content } => {
            let o = engine
                .exec(&t.container_id, &ExecSpec::new(cmd.clone()))
                .map_err(|e| e.to_string())?;
            if !o.success() {
                return Err(format!("command exited with code {}", o.exit_code));
            }
            let text = format!("{}{}", o.stdout_lossy(), o.stderr_lossy());
            if !content.is_empty() && !text.contains(content.as_str()) {
                return Err(format!(
                    "expected content {content:?} not found in command output"
                ));
            }
            Ok(())
        }
    }
}

fn host(t: &Target) -> &str {
    if t.ip.is_empty() {
        "127.0.0.1"
    } else {
        &t.ip
    }
}
