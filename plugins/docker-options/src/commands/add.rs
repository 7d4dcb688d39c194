//! `docker-options:add [--process PROC...] <app> <phase(s)> OPTION...`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::{cmdline, ops, store};

/// Turn argv into a [`ops::Change`]: app, phases, processes and words.
pub fn change(ctx: &Ctx, argv: &[String], missing: &str) -> Result<ops::Change> {
    let c = cmdline::parse(argv, 2, false)?;
    let app = apps::require(&ctx.paths, c.positional.first().map(String::as_str))?;
    let phases = match c.positional.get(1) {
        Some(p) => store::parse_phases(p)?,
        None => return Err(Error::fail(missing.to_string())),
    };
    Ok(ops::Change {
        app,
        phases,
        processes: c.processes,
        option_words: c.option_words,
    })
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let c = change(
        ctx,
        argv,
        "Please specify docker options to add to the phase",
    )?;
    ops::add(&ctx.paths, &c)
}
