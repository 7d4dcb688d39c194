//! `docker-container-healthchecker`, the program Dokku's packages install
//! at `/usr/bin/docker-container-healthchecker` and let the system user run
//! through sudo: here the checks plugin's own runner under that name.
//!
//! - `check <container> [--app-json F] [--process-type T] [--port N] [--network N]`
//!   runs the app.json healthchecks of the process type (default `web`)
//!   against the container (default port 5000; its address on the named
//!   network, else on its first network), or the default uptime check
//!   (`checks` `default-wait`) when there are none; fails when any non-warn-only check fails.
//! - `exists <process-type> --app-json F` succeeds when the file declares
//!   healthchecks for that process type.
//! - `version` prints the version of the tool Dokku 0.38 pins (0.16.0).
//!
//! The reference names these calls, not their flags or output: the flag
//! names above and the version line are our guesses. `add` and `convert`
//! (app.json editing) are not provided.

use std::time::Duration;

use dokku_checks::runner::{self, Target};
use dokku_checks::spec::{self, Overrides};
use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

/// The tool's version Dokku 0.38 depends on.
const VERSION: &str = "0.16.0";

/// Run the helper with `argv` (without the program name).
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let sub = argv.first().map(String::as_str).unwrap_or("");
    let rest = argv.get(1..).unwrap_or(&[]);
    match sub {
        "version" | "--version" => {
            ctx.out
                .line(&format!("docker-container-healthchecker {VERSION}"));
            Ok(())
        }
        "exists" => exists(rest),
        "check" => check(ctx, rest),
        "" => Err(Error::fail(
            "usage: docker-container-healthchecker check|exists|version ...",
        )),
        other => Err(Error::fail(format!(
            "docker-container-healthchecker: unsupported command {other}"
        ))),
    }
}

const SPEC: args::Spec<'static> = args::Spec::new(
    &[],
    &["--app-json", "--process-type", "--port", "--network"],
);

fn checks_of(app_json: Option<&str>, proc_type: &str) -> Result<Vec<spec::Check>> {
    let content = match app_json {
        Some(f) => {
            std::fs::read_to_string(f).map_err(|e| Error::fail(format!("cannot read {f}: {e}")))?
        }
        None => String::new(),
    };
    spec::from_app_json(&content, proc_type, Overrides::default()).map_err(Error::fail)
}

fn exists(argv: &[String]) -> Result<()> {
    let p = args::parse(argv, SPEC)?;
    let proc_type = p.arg(0).unwrap_or("web");
    if checks_of(p.value("--app-json"), proc_type)?.is_empty() {
        return Err(Error::exit(1));
    }
    Ok(())
}

fn check(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, SPEC)?;
    let container = p
        .arg(0)
        .ok_or_else(|| Error::fail("check: a container id is required"))?;
    let proc_type = p.value("--process-type").unwrap_or("web");
    let port = match p.value("--port") {
        Some(v) => v
            .parse::<u16>()
            .map_err(|_| Error::fail(format!("check: invalid port {v}")))?,
        None => 5000,
    };
    let engine = ctx.engine()?;
    let info = engine
        .inspect_container(container)
        .map_err(|e| Error::fail(format!("check: {e}")))?;
    let ip = match p.value("--network") {
        Some(n) => info.networks.get(n).and_then(|n| n.ip_address.clone()),
        None => info.networks.values().find_map(|n| n.ip_address.clone()),
    }
    .unwrap_or_default();
    let target = Target {
        app: String::new(),
        container_id: info.id.clone(),
        proc_type: proc_type.to_string(),
        dyno: format!("{proc_type}.1"),
        ip,
        port,
    };
    let mut checks = checks_of(p.value("--app-json"), proc_type)?;
    let fallback = checks.is_empty();
    if fallback {
        checks.push(spec::default_uptime(Duration::from_secs(
            dokku_checks::store::default_wait(&ctx.paths),
        )));
    }
    let failed = runner::run_each(&ctx.out, engine, &target, &checks, fallback);
    if failed > 0 {
        return Err(Error::fail(format!(
            "Could not start due to {failed} failed checks ({})",
            target.dyno
        )));
    }
    Ok(())
}
