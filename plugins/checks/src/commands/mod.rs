//! One module per `checks:*` command.

pub mod disable;
pub mod enable;
pub mod report;
pub mod run;
pub mod set;
pub mod skip;

use dokku_core::{apps, args, Result};
use dokku_trigger::deploy::PsCurrentScale;
use dokku_trigger::Ctx;

use crate::store::ProcList;

/// `<app> [proc,proc...]`: the app and the listed process types (`None`
/// for all).
pub fn app_and_procs(ctx: &Ctx, argv: &[String]) -> Result<(String, Option<Vec<String>>)> {
    let p = args::parse(argv, args::Spec::default())?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    let procs: Option<Vec<String>> = p.arg(1).map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    });
    Ok((app, procs.filter(|v| !v.is_empty())))
}

/// The process types of the app's scale (for turning `_all_` into a list).
pub fn known_procs(ctx: &Ctx, app: &str) -> Vec<String> {
    ctx.bus
        .collect(
            ctx,
            &PsCurrentScale {
                app: app.to_string(),
            },
        )
        .ok()
        .and_then(|answers| answers.into_iter().next())
        .map(|s| s.process_types().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Dokku's line for a change: the whole app, or some process types.
pub fn announce(ctx: &Ctx, verb: &str, app: &str, procs: &Option<Vec<String>>) {
    match procs {
        None => ctx
            .out
            .info1(&format!("{verb} zero downtime for app ({app})")),
        Some(p) => ctx.out.info1(&format!(
            "{verb} zero downtime for app's ({app}) proctypes ({})",
            p.join(",")
        )),
    }
}

/// What `checks:disable`, `:enable` or `:skip` does to one of the app's
/// lists (disabled, skipped) for the process types named.
#[derive(Debug, Clone, Copy)]
pub enum Change {
    /// They join the list.
    Add,
    /// They leave it.
    Remove,
}

/// `checks:disable`, `:enable` or `:skip <app> [proc,...]`: announce it
/// with `verb`, then change the app's disabled and skipped lists.
pub fn change(
    ctx: &Ctx,
    argv: &[String],
    verb: &str,
    disabled: Change,
    skipped: Change,
) -> Result<()> {
    let (app, procs) = app_and_procs(ctx, argv)?;
    let known = known_procs(ctx, &app);
    announce(ctx, verb, &app, &procs);
    let apply = |list: ProcList, change: Change| match change {
        Change::Add => list.with(procs.as_deref()),
        Change::Remove => list.without(procs.as_deref(), &known),
    };
    crate::store::update(&ctx.paths, &app, |d, s| {
        (apply(d, disabled), apply(s, skipped))
    })
}
