//! `domains:report [<app>|--global] [--format stdout|json] [--<flag>]`.

use dokku_core::args::{self, Spec};
use dokku_core::report::{self, Format, ReportSpec, Rows};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::store;

/// How the domains report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "domains",
    prefix: "domains",
    legacy_json_keys: true,
};

fn global_rows(ctx: &Ctx) -> Rows {
    let global = store::global(&ctx.paths);
    vec![
        (
            "--domains-global-enabled".into(),
            (!global.is_empty()).to_string(),
        ),
        ("--domains-global-vhosts".into(), global.join(" ")),
    ]
}

/// One app's rows, in Dokku's order.
pub fn rows(ctx: &Ctx, app: &str) -> Rows {
    let mut rows: Rows = vec![
        (
            "--domains-app-enabled".into(),
            store::vhost_enabled(ctx, app).to_string(),
        ),
        (
            "--domains-app-vhosts".into(),
            store::app_domains(ctx, app).join(" "),
        ),
    ];
    rows.extend(global_rows(ctx));
    rows
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    if argv.iter().any(|a| a == "--global") {
        let rest: Vec<String> = argv.iter().filter(|a| *a != "--global").cloned().collect();
        let parsed = args::parse(
            &rest,
            Spec {
                switches: &[],
                options: &["--format"],
                allow_unknown: true,
            },
        )?;
        let format = Format::parse(parsed.value("--format"))?;
        if parsed.unknown.len() > 1 {
            return Err(Error::fail(
                "domains:report command allows only a single flag",
            ));
        }
        let rows = global_rows(ctx);
        return report::render(
            &SPEC,
            "global",
            &rows,
            parsed.unknown.first().map(String::as_str),
            format,
            &ctx.out,
        );
    }
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| Ok(rows(ctx, app)))
}
