//! `network:report [<app>|--global] [--format stdout|json] [--<flag>]`.

use dokku_core::report::Rows;
use dokku_core::Result;
use dokku_trigger::{Ctx, ReportDef};

use crate::store;

/// The addresses the app's web containers listen on.
fn listeners(ctx: &Ctx, app: &str) -> Result<Rows> {
    Ok(vec![(
        "--network-web-listeners".into(),
        store::listeners(&ctx.paths, app, "web").join(" "),
    )])
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&store::SCHEMA).extra(listeners);

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}
