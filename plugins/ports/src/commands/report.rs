//! `ports:report [<app>] [--format stdout|json] [--<flag>]`; the
//! `--ports-map-json` and `--ports-map-detected-json` flags print the
//! mappings as a JSON array.

use dokku_core::report::{self, ReportSpec, Rows};
use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::{portmap, store};

/// How the ports report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "ports",
    prefix: "ports",
    legacy_json_keys: true,
};

/// One app's rows, in Dokku's order.
pub fn rows(ctx: &Ctx, app: &str) -> Rows {
    vec![
        (
            "--ports-map-detected".into(),
            portmap::join(&store::detected(ctx, app)),
        ),
        (
            "--ports-map".into(),
            portmap::join(&store::configured(&ctx.paths, app)),
        ),
    ]
}

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
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| Ok(rows(ctx, app)))
}
