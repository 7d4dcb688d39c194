//! `ps:restore [<app>]`: what the boot-time unit runs; without an app,
//! every app.

use dokku_core::{apps, args, Result};
use dokku_trigger::Ctx;

use crate::parallel::{self, Selection};
use crate::pipeline;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--all"], &["--parallel"]))?;
    let workers = parallel::workers(ctx, p.value("--parallel"))?;
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
    parallel::run(ctx, "ps:restore", &sel, &|ctx, app| {
        pipeline::restore(ctx, app)
    })
}
