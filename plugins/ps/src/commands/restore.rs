//! `ps:restore [<app>]`: what the boot-time unit runs; without an app,
//! every app, on as many workers as there are CPUs unless `--parallel`
//! says otherwise. At boot the Docker engine may still be starting: the
//! restore waits for it (up to two minutes) rather than failing. The
//! apps' proxy configs are rebuilt as one batch (one check, one reload).

use std::time::{Duration, Instant};

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

use crate::parallel::{self, Selection};
use crate::pipeline;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--all"], &["--parallel"]))?;
    let workers = match p.value("--parallel") {
        Some(v) => parallel::workers(ctx, Some(v))?,
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    let sel = match p.arg(0) {
        Some(app) if !p.has("--all") => Selection {
            apps: vec![apps::require(&ctx.paths, Some(app))?],
            all: false,
            workers,
            rest: Vec::new(),
        },
        _ => {
            if !p.has("--all") {
                ctx.out
                    .warn("Restore specified without app, assuming --all");
            }
            ctx.bus
                .notify(ctx, &dokku_trigger::helpers::PreRestore {})?;
            let list = apps::list(&ctx.paths);
            if list.is_empty() {
                return Ok(());
            }
            Selection {
                apps: list,
                all: true,
                workers,
                rest: Vec::new(),
            }
        }
    };
    wait_for_engine(ctx, Duration::from_secs(120))?;
    // More than one app makes a batch: one proxy reload at the end.
    parallel::run(ctx, "ps:restore", &sel, &|ctx, app| {
        pipeline::restore(ctx, app)
    })
}

/// Wait until the engine answers, trying again every second.
fn wait_for_engine(ctx: &Ctx, limit: Duration) -> Result<()> {
    let until = Instant::now() + limit;
    let mut said = false;
    loop {
        let answer = ctx.try_engine().and_then(|e| e.ping());
        match answer {
            Ok(()) => return Ok(()),
            Err(e) if Instant::now() >= until => {
                return Err(Error::other("docker engine", e));
            }
            Err(_) => {
                if !said {
                    ctx.out.info1("Waiting for the Docker engine to start");
                    said = true;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
}
