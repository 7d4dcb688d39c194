//! `docker-options:clear [--process PROC...] <app> [<phase(s)>...]`.

use dokku_core::{apps, Result};
use dokku_trigger::Ctx;

use crate::{cmdline, ops, store};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let c = cmdline::parse(argv, usize::MAX, false)?;
    let app = apps::require(&ctx.paths, c.positional.first().map(String::as_str))?;
    let mut phases: Vec<String> = Vec::new();
    for p in c.positional.iter().skip(1) {
        for ph in store::parse_phases(p)? {
            if !phases.contains(&ph) {
                phases.push(ph);
            }
        }
    }
    let chosen = if phases.is_empty() {
        None
    } else {
        Some(phases.as_slice())
    };
    ops::clear(&ctx.paths, &ctx.out, &app, chosen, &c.processes)
}
