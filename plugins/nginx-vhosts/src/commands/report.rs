//! `nginx:report [<app>] [--format stdout|json] [--<flag>]`.

use dokku_core::report::{self, ReportSpec, Rows};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::build;
use crate::props::{Props, KEYS};

/// How the nginx report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "nginx",
    prefix: "nginx",
    legacy_json_keys: true,
};

/// One app's rows, sorted by flag.
pub fn rows(ctx: &Ctx, app: &str) -> Rows {
    let srv = build::server(ctx);
    let props = Props::new(&ctx.paths, &srv.log_root);
    let mut rows: Rows = Vec::new();
    for key in KEYS {
        rows.push((format!("--nginx-{key}"), props.app(app, key)));
        rows.push((format!("--nginx-global-{key}"), props.global(key)));
        rows.push((format!("--nginx-computed-{key}"), props.computed(app, key)));
    }
    rows.push((
        "--nginx-last-visited-at".into(),
        props.app(app, "last-visited-at"),
    ));
    rows.sort();
    rows
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| Ok(rows(ctx, app)))
}
