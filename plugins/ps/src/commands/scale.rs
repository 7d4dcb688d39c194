//! `ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]`.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

use crate::scale::{self, Scale};
use crate::store;

fn show(ctx: &Ctx, app: &str, s: &Scale, json: bool) {
    let s = scale::sorted(s);
    if json {
        ctx.out.line(&scale::to_json(&s));
        return;
    }
    ctx.out.info1_quiet(&format!("Scaling for {app}"));
    // Columns aligned as Dokku's columnize does; the header rows count for
    // the width only when they are shown.
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !ctx.out.is_quiet() {
        rows.push(vec!["proctype".into(), "qty".into()]);
        rows.push(vec!["--------".into(), "---".into()]);
    }
    for (p, n) in s {
        rows.push(vec![p, n.to_string()]);
    }
    ctx.out.write_out(&dokku_output::columnize(&rows, "", ": "));
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--skip-deploy"], &["--format"]))?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    let json = match p.value("--format") {
        None | Some("stdout") => false,
        Some("json") => true,
        Some(other) => {
            return Err(Error::fail(format!(
                "Invalid --format value specified: {other}"
            )))
        }
    };
    let tuples = &p.positional[1..];
    if tuples.is_empty() {
        return {
            show(ctx, &app, &store::scale(&ctx.paths, &app)?, json);
            Ok(())
        };
    }
    crate::pipeline::set_scale(ctx, &app, tuples, p.has("--skip-deploy"), false, true)
}
