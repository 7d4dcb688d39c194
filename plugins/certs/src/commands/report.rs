//! `certs:report [<app>] [--format stdout|json] [--<flag>]`.

use dokku_core::report::Rows;
use dokku_core::schema::Schema;
use dokku_core::Result;
use dokku_trigger::{Ctx, ReportDef};

use crate::{openssl, store};

/// The report's names; it has no settable properties.
pub static SCHEMA: Schema = Schema::named("certs", &[]).reported_as("ssl", "ssl");

/// One app's rows.
fn rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    let paths = &ctx.paths;
    let enabled = store::exists(paths, app);
    let info = if enabled {
        openssl::inspect(&store::crt(paths, app))
    } else {
        openssl::CertInfo::default()
    };
    Ok(vec![
        (
            "--ssl-dir".into(),
            store::dir(paths, app).display().to_string(),
        ),
        ("--ssl-enabled".into(), enabled.to_string()),
        ("--ssl-hostnames".into(), info.hostnames),
        ("--ssl-expires-at".into(), info.expires_at),
        ("--ssl-issuer".into(), info.issuer),
        ("--ssl-starts-at".into(), info.starts_at),
        ("--ssl-subject".into(), info.subject),
        ("--ssl-verified".into(), info.verified),
    ])
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(rows);

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}
