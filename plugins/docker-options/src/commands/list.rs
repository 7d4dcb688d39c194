//! `docker-options:list <app> [--process PROC] --phase PHASE`: one stored
//! option per line.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::{cmdline, ops, store};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let c = cmdline::parse(argv, usize::MAX, true)?;
    let app = apps::require(&ctx.paths, c.positional.first().map(String::as_str))?;
    let phase = c.phase.ok_or_else(|| Error::fail("--phase is required"))?;
    store::check_phase(&phase)?;
    if c.processes.len() > 1 {
        return Err(Error::fail(format!(
            "--process accepts a single value, got {}",
            c.processes.len()
        )));
    }
    ops::check_process_phases(&c.processes, std::slice::from_ref(&phase))?;
    let mut s = String::new();
    for o in store::get(
        &ctx.paths,
        &app,
        c.processes.first().map(String::as_str),
        &phase,
    )? {
        s.push_str(&o);
        s.push('\n');
    }
    ctx.out.write_out(&s);
    Ok(())
}
