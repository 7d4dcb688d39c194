//! `run [-e|--env KEY=VALUE]... [--no-tty] [--force-tty] [--cron-id ID]
//! [--ttl-seconds N] <app> <cmd>...`: a command in a new container of the
//! app, attached; its exit code is ours.

use dokku_core::{apps, Error, Result};
use dokku_trigger::deploy::{scheduler_of, RunOptions, SchedulerRun};
use dokku_trigger::Ctx;

/// The options given before the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunRequest {
    /// `KEY=VALUE` pairs of `-e` / `--env`.
    pub env: Vec<String>,
    /// `--no-tty`.
    pub no_tty: bool,
    /// `--force-tty`.
    pub force_tty: bool,
    /// `--cron-id`.
    pub cron_id: Option<String>,
    /// `--ttl-seconds`.
    pub ttl_seconds: Option<String>,
    /// The app (the first word that is not an option).
    pub app: String,
    /// The command.
    pub cmd: Vec<String>,
}

/// Parse the arguments as Dokku's run does: options first, up to the first
/// other word, which is the app. An option missing its value is warned
/// about and ends the options.
pub fn parse(ctx: &Ctx, argv: &[String]) -> RunRequest {
    let mut r = RunRequest::default();
    let mut i = 0;
    while i < argv.len() {
        let a = argv[i].as_str();
        let inline = |prefixes: &[&str]| {
            prefixes
                .iter()
                .find_map(|p| a.strip_prefix(p))
                .map(str::to_string)
        };
        let valued = matches!(a, "-e" | "--env" | "--cron-id" | "--ttl-seconds");
        if valued {
            let Some(v) = argv.get(i + 1).filter(|v| !v.is_empty()) else {
                ctx.out.warn(&format!("expected {a} to have an argument"));
                break;
            };
            match a {
                "-e" | "--env" => r.env.push(v.clone()),
                "--cron-id" => r.cron_id = Some(v.clone()),
                _ => r.ttl_seconds = Some(v.clone()),
            }
            i += 2;
            continue;
        }
        if let Some(v) = inline(&["-e=", "--env="]) {
            r.env.push(v);
        } else if let Some(v) = inline(&["--cron-id="]) {
            r.cron_id = Some(v);
        } else if let Some(v) = inline(&["--ttl-seconds="]) {
            r.ttl_seconds = Some(v);
        } else if a == "--no-tty" {
            r.no_tty = true;
        } else if a == "--force-tty" {
            r.force_tty = true;
        } else {
            break;
        }
        i += 1;
    }
    if let Some(app) = argv.get(i) {
        r.app = app.clone();
        r.cmd = argv[i + 1..].to_vec();
    }
    r
}

/// Validate the request, hand the options to the scheduler the way Dokku
/// does (exported variables) and run `scheduler-run`.
pub fn execute(ctx: &Ctx, r: &RunRequest, detach: bool) -> Result<()> {
    if r.no_tty && r.force_tty {
        return Err(Error::fail("Cannot specify both --force-tty and --no-tty"));
    }
    if let Some(ttl) = &r.ttl_seconds {
        if !ttl.parse::<u64>().is_ok_and(|n| n > 0) {
            return Err(Error::fail("--ttl-seconds must be a positive integer"));
        }
    }
    apps::require(&ctx.paths, Some(&r.app))?;
    let scheduler = scheduler_of(ctx, &r.app)?;
    let options = RunOptions {
        detach: detach || ctx.flags.detach,
        force_tty: r.force_tty,
        no_tty: r.no_tty,
        cron_id: r.cron_id.clone(),
        ttl_seconds: r.ttl_seconds.as_deref().and_then(|t| t.parse().ok()),
        concurrency_policy: None,
    };
    let mut args = vec![r.env.len().to_string()];
    args.extend(r.env.iter().cloned());
    args.extend(r.cmd.iter().cloned());
    let t = SchedulerRun {
        scheduler,
        app: r.app.clone(),
        args,
        options,
    };
    ctx.bus.select(ctx, &t)?;
    Ok(())
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let r = parse(ctx, argv);
    execute(ctx, &r, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_output::Output;
    use std::sync::Arc;

    fn check(args: &[&str], expected: &str) {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = dokku_core::Paths::for_roots(&d.path().join("h"), &d.path().join("l"));
        let (out, cap) = Output::captured(false);
        let ctx = Ctx::new(
            paths,
            out,
            Default::default(),
            Arc::new(dokku_trigger::Bus::new()),
        );
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let r = parse(&ctx, &args);
        assert_eq!(format!("{}{r:?}", cap.stderr()), expected);
    }

    #[test]
    fn options_stop_at_the_app() {
        check(
            &[
                "-e",
                "A=1",
                "--env=B=2",
                "--no-tty",
                "app",
                "env",
                "-e",
                "x",
            ],
            r#"RunRequest { env: ["A=1", "B=2"], no_tty: true, force_tty: false, cron_id: None, ttl_seconds: None, app: "app", cmd: ["env", "-e", "x"] }"#,
        );
        check(
            &["--ttl-seconds", "60", "--cron-id=c1", "app"],
            r#"RunRequest { env: [], no_tty: false, force_tty: false, cron_id: Some("c1"), ttl_seconds: Some("60"), app: "app", cmd: [] }"#,
        );
        check(
            &["--env"],
            " !     expected --env to have an argument\nRunRequest { env: [], no_tty: false, force_tty: false, cron_id: None, ttl_seconds: None, app: \"--env\", cmd: [] }",
        );
    }
}
