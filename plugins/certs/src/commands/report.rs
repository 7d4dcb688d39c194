//! `certs:report [<app>] [--format stdout|json] [--<flag>]`.

use dokku_core::report::{self, ReportSpec, Rows};
use dokku_core::{Paths, Result};
use dokku_trigger::Ctx;

use crate::{openssl, store};

/// How the certs report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "ssl",
    prefix: "ssl",
    legacy_json_keys: true,
};

/// One app's rows, in Dokku's order.
pub fn rows(paths: &Paths, app: &str) -> Rows {
    let enabled = store::exists(paths, app);
    let info = if enabled {
        openssl::inspect(&store::crt(paths, app))
    } else {
        openssl::CertInfo::default()
    };
    vec![
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
    ]
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| {
        Ok(rows(&ctx.paths, app))
    })
}
