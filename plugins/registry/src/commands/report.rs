//! `registry:report [<app>|--global] [--format stdout|json] [--<flag>]`.

use dokku_core::property::GLOBAL;
use dokku_core::report::Rows;
use dokku_core::Result;
use dokku_trigger::{Ctx, ReportDef};

use crate::store;

/// The computed image repository and server, and the last pushed tag.
fn app_rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    Ok(vec![
        (
            "--registry-computed-image-repo".into(),
            store::image_repo(&ctx.paths, app)?,
        ),
        (
            "--registry-computed-server".into(),
            store::server(&ctx.paths, app),
        ),
        (
            "--registry-tag-version".into(),
            store::tag_version(&ctx.paths, app),
        ),
    ])
}

/// The computed global server.
fn global_rows(ctx: &Ctx) -> Result<Rows> {
    Ok(vec![(
        "--registry-computed-server".into(),
        store::server(&ctx.paths, GLOBAL),
    )])
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&store::SCHEMA)
    .extra(app_rows)
    .global_extra(global_rows);

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}
