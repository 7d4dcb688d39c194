//! `docker-options:add [--process PROC...] <app> <phase(s)> OPTION...`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::deploy::{first_answer, ProcfileExists, ProcfileGetCommand};
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
    ops::add(&ctx.paths, &c)?;
    warn_undeclared(ctx, &c.app, &c.processes)
}

/// Warn about `--process` values the app's Procfile does not declare; the
/// options are kept, for a deploy that adds the process type later. An app
/// without a Procfile declares nothing yet and gets no warning.
fn warn_undeclared(ctx: &Ctx, app: &str, processes: &[String]) -> Result<()> {
    if processes.is_empty() {
        return Ok(());
    }
    let exists = ctx.bus.collect(ctx, &ProcfileExists { app: app.into() })?;
    if !exists.into_iter().any(|e| e) {
        return Ok(());
    }
    for p in processes {
        let t = ProcfileGetCommand {
            app: app.into(),
            process_type: p.clone(),
            port: "5000".into(),
        };
        if first_answer(ctx.bus.collect(ctx, &t)?).is_none() {
            ctx.out.warn(&format!(
                "Process type {p:?} is not declared in the Procfile for {app}"
            ));
        }
    }
    Ok(())
}
