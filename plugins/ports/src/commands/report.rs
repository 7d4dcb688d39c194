//! `ports:report [<app>] [--format stdout|json] [--<flag>]`; the
//! `--ports-map-json` and `--ports-map-detected-json` flags print the
//! mappings as a JSON array.

use dokku_core::report::Rows;
use dokku_core::schema::Schema;
use dokku_core::{apps, Error, Result};
use dokku_trigger::{Ctx, ReportDef};

use crate::{portmap, store};

/// The report's names; it has no settable properties.
pub static SCHEMA: Schema = Schema::named("ports", &[]).legacy_json();

/// One app's rows.
fn rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    Ok(vec![
        (
            "--ports-map-detected".into(),
            portmap::join(&store::detected(ctx, app)),
        ),
        (
            "--ports-map".into(),
            portmap::join(&store::configured(&ctx.paths, app)),
        ),
    ])
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(rows);

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let json_flag = argv
        .iter()
        .find(|a| *a == "--ports-map-json" || *a == "--ports-map-detected-json");
    if let Some(flag) = json_flag {
        if argv.iter().filter(|a| a.starts_with("--")).count() > 1 {
            return Err(Error::fail(
                "ports:report command allows only a single flag",
            ));
        }
        let app = apps::require(
            &ctx.paths,
            argv.iter()
                .find(|a| !a.starts_with("--"))
                .map(String::as_str),
        )?;
        let maps = if flag == "--ports-map-json" {
            store::configured(&ctx.paths, &app)
        } else {
            store::detected(ctx, &app)
        };
        ctx.out.line(&portmap::to_json(&maps));
        return Ok(());
    }
    REPORT.command(ctx, argv)
}
