//! `run:logs <app|--container CONTAINER> [-t|--tail] [-n|--num N]
//! [-q|--quiet]`: the output of the app's one-off containers, or of one.

use dokku_core::{args, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerRunLogs};
use dokku_trigger::Ctx;

use crate::container;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let short = [("-t", "--tail"), ("-q", "--quiet"), ("-n", "--num")];
    let argv = args::expand_short(argv, &short);
    let p = args::parse(
        &argv,
        args::Spec::new(
            &["--tail", "--quiet", "-h", "--help"],
            &["--container", "--num"],
        ),
    )?;
    let num: i64 = p.number("--num", 100)?;
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
