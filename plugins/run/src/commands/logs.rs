//! `run:logs <app|--container CONTAINER> [-t|--tail] [-n|--num N]
//! [-q|--quiet]`: the output of the app's one-off containers, or of one.

use dokku_core::{args, Error, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerRunLogs};
use dokku_trigger::Ctx;

use crate::container;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let argv: Vec<String> = argv
        .iter()
        .map(|a| match a.as_str() {
            "-t" => "--tail".to_string(),
            "-q" => "--quiet".to_string(),
            "-n" => "--num".to_string(),
            _ => a.clone(),
        })
        .collect();
    let p = args::parse(
        &argv,
        args::Spec::new(
            &["--tail", "--quiet", "-h", "--help"],
            &["--container", "--num"],
        ),
    )?;
    let num = match p.value("--num") {
        None => 100,
        Some(n) => n
            .parse::<i64>()
            .map_err(|_| Error::fail(format!("invalid argument for flag --num: {n}")))?,
    };
    let sel = container::select(ctx, p.arg(0), p.value("--container"))?;
    let t = SchedulerRunLogs {
        scheduler: scheduler_of(ctx, &sel.app)?,
        app: sel.app,
        container: sel.container,
        tail: p.has("--tail").to_string(),
        pretty_print: p.has("--quiet").to_string(),
        num: num.to_string(),
    };
    ctx.bus.select(ctx, &t)?;
    Ok(())
}
