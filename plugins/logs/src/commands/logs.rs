//! `logs <app> [-t|--tail] [-n|--num N] [-p|--ps PROCESS] [-q|--quiet]`:
//! recent output of the app's containers, merged, each line marked with
//! its time and container unless quiet.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerIsDeployed, SchedulerLogs};
use dokku_trigger::Ctx;

/// Lines per container when `--num` is not given.
pub const DEFAULT_NUM: i64 = 100;

/// The request, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsRequest {
    /// The app.
    pub app: String,
    /// Keep streaming.
    pub tail: bool,
    /// Raw lines.
    pub quiet: bool,
    /// Lines per container.
    pub num: i64,
    /// Only this process type (or dyno), empty for all.
    pub process: String,
}

/// Parse the arguments; flags may stand anywhere.
pub fn parse(argv: &[String]) -> Result<LogsRequest> {
    let argv = args::expand_short(
        argv,
        &[
            ("-t", "--tail"),
            ("-q", "--quiet"),
            ("-n", "--num"),
            ("-p", "--ps"),
        ],
    );
    let p = args::parse(
        &argv,
        args::Spec::new(&["--tail", "--quiet"], &["--num", "--ps"]),
    )?;
    let num = p.number("--num", DEFAULT_NUM)?;
    Ok(LogsRequest {
        app: p.arg(0).unwrap_or_default().to_string(),
        tail: p.has("--tail"),
        quiet: p.has("--quiet"),
        num,
        process: p.value("--ps").unwrap_or_default().to_string(),
    })
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let r = parse(argv)?;
    let app = apps::require(&ctx.paths, Some(&r.app))?;
    let scheduler = scheduler_of(ctx, &app)?;
    if !SchedulerIsDeployed::ask_scheduler(ctx, &scheduler, &app)? {
        return Err(Error::fail(format!("App {app} has not been deployed")));
    }
    let t = SchedulerLogs {
        scheduler,
        app,
        process_type: r.process,
        tail: r.tail.to_string(),
        pretty_print: r.quiet.to_string(),
        num: r.num.to_string(),
    };
    ctx.bus.select(ctx, &t)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_anywhere() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse(&v(&["app", "-t", "-p", "web", "-n", "5", "-q"])).expect("parse"),
            LogsRequest {
                app: "app".into(),
                tail: true,
                quiet: true,
                num: 5,
                process: "web".into()
            }
        );
        assert_eq!(parse(&v(&["--num=7", "app"])).expect("parse").num, 7);
        assert_eq!(parse(&v(&["app"])).expect("parse").num, DEFAULT_NUM);
        assert!(parse(&v(&["app", "-n", "x"])).is_err());
    }
}
