//! `ps:scale [--skip-deploy] [--format stdout|json] <app> [<proc>=<count>...]`.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::deploy::Deploy;
use dokku_trigger::Ctx;

use crate::scale::{self, Scale};
use crate::{pipeline, store};

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

/// Set the scale of an app from tuples (keeping other types unless
/// `clear`), then deploy it unless told not to. `manual` is a `ps:scale`
/// by a user, refused when app.json manages the formation.
pub fn set_scale(
    ctx: &Ctx,
    app: &str,
    tuples: &[String],
    skip_deploy: bool,
    clear: bool,
    manual: bool,
) -> Result<()> {
    apps::verify(&ctx.paths, app)?;
    if manual && store::property(&ctx.paths, app, "can-scale") == "false" {
        return Err(Error::fail(format!("App {app} contains an app.json file with a formations key and cannot be manually scaled")));
    }
    let wanted = scale::parse_tuples(tuples)?;
    let mut s = if clear {
        Vec::new()
    } else {
        store::scale(&ctx.paths, app)?
    };
    for (p, n) in &wanted {
        scale::set(&mut s, p, *n);
    }
    store::write_scale(&ctx.paths, app, &s)?;
    if manual {
        let list: Vec<String> = wanted.iter().map(|(p, n)| format!("{p}={n}")).collect();
        ctx.out
            .info1(&format!("Scaling {app} processes: {}", list.join(" ")));
    }
    if skip_deploy || !pipeline::is_deployed(ctx, app)? {
        return Ok(());
    }
    let tag = pipeline::deployed_tag(ctx, app);
    let rest = if tag.is_empty() {
        Vec::new()
    } else {
        vec![tag]
    };
    pipeline::locked(ctx, app, || {
        ctx.bus.notify(
            ctx,
            &Deploy {
                app: app.to_string(),
                rest,
            },
        )
    })
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec {
            switches: &["--skip-deploy"],
            options: &["--format"],
            allow_unknown: false,
        },
    )?;
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
    set_scale(ctx, &app, tuples, p.has("--skip-deploy"), false, true)
}
