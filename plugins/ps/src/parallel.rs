//! `--all` and `--parallel N` of the `ps:*` lifecycle commands: run an
//! operation for one app, or for every app serially or on N workers. On
//! workers, each app's output is held until the app is done, so the lines
//! of one app stay together.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The apps to act on.
    pub apps: Vec<String>,
    /// Whether `--all` was given.
    pub all: bool,
    /// Workers to use (1: serial).
    pub workers: usize,
    /// Positional arguments after the app.
    pub rest: Vec<String>,
}

/// The number of workers a `--parallel` value means; `-1` is the CPU count.
pub fn workers(ctx: &Ctx, value: Option<&str>) -> Result<usize> {
    let Some(v) = value else { return Ok(1) };
    let n: i64 = v
        .trim()
        .parse()
        .map_err(|_| Error::fail(format!("Invalid value {v} for --parallel flag")))?;
    match n {
        -1 => {
            let cpus = std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1);
            ctx.out.warn(&format!(
                "Setting --parallel=-1 value to CPU count of {cpus}"
            ));
            Ok(cpus)
        }
        n if n >= 1 => Ok(usize::try_from(n).unwrap_or(1)),
        n => Err(Error::fail(format!(
            "Invalid value {n} for --parallel flag"
        ))),
    }
}

/// Parse `[--parallel N] [--all|<app>] [rest...]`.
pub fn select(ctx: &Ctx, argv: &[String]) -> Result<Selection> {
    let p = args::parse(argv, args::Spec::new(&["--all"], &["--parallel"]))?;
    let workers = workers(ctx, p.value("--parallel"))?;
    if p.has("--all") {
        let list = apps::list(&ctx.paths);
        if list.is_empty() {
            return Err(Error::fail(apps::NO_APPS));
        }
        return Ok(Selection {
            apps: list,
            all: true,
            workers,
            rest: p.positional.clone(),
        });
    }
    let app = apps::require(&ctx.paths, p.arg(0))?;
    Ok(Selection {
        apps: vec![app],
        all: false,
        workers,
        rest: p
            .positional
            .get(1..)
            .map(<[String]>::to_vec)
            .unwrap_or_default(),
    })
}

/// Run `f` for every selected app; failures of single apps are reported
/// and counted, and make the whole command fail. With more than one app
/// this is a batch: the proxies of all apps are validated and reloaded
/// once at the end (old containers keep serving until then).
pub fn run(
    ctx: &Ctx,
    command: &str,
    sel: &Selection,
    f: &(dyn Fn(&Ctx, &str) -> Result<()> + Sync),
) -> Result<()> {
    if !sel.all {
        return f(ctx, &sel.apps[0]);
    }
    let batch = sel.apps.len() > 1;
    if batch {
        ctx.begin_batch();
    }
    let done = run_all(ctx, command, sel, f);
    let finished = if batch { ctx.end_batch() } else { Ok(()) };
    done.and(finished)
}

fn run_all(
    ctx: &Ctx,
    command: &str,
    sel: &Selection,
    f: &(dyn Fn(&Ctx, &str) -> Result<()> + Sync),
) -> Result<()> {
    let errors = AtomicUsize::new(0);
    let report = |app: &str, r: Result<()>| {
        if let Err(e) = r {
            errors.fetch_add(1, Ordering::Relaxed);
            let msg = e.to_string();
            if !msg.is_empty() {
                ctx.out.warn(&format!("{app}: {msg}"));
            }
        }
    };
    if sel.workers <= 1 {
        for app in &sel.apps {
            report(app, f(ctx, app));
        }
        let n = errors.load(Ordering::Relaxed);
        if n > 0 {
            return Err(Error::fail(format!(
                "{command} command returned {n} errors"
            )));
        }
        return Ok(());
    }
    let queue = Mutex::new(sel.apps.iter());
    std::thread::scope(|s| {
        for _ in 0..sel.workers.min(sel.apps.len()) {
            s.spawn(|| loop {
                let next = match queue.lock() {
                    Ok(mut q) => q.next().cloned(),
                    Err(_) => None,
                };
                let Some(app) = next else { break };
                // Each app's lines come out together, once it is done.
                let (out, cap) = dokku_output::Output::captured(ctx.out.is_quiet());
                let mut own = ctx.clone();
                own.out = out;
                let r = f(&own, &app);
                ctx.out.write_out(&cap.stdout());
                ctx.out.write_err(&cap.stderr());
                report(&app, r);
            });
        }
    });
    let n = errors.load(Ordering::Relaxed);
    if n > 0 {
        return Err(Error::fail(format!(
            "Encountered {n} errors during parallel run"
        )));
    }
    Ok(())
}
