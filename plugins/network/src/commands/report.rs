//! `network:report [<app>] [--format stdout|json] [--<flag>]`.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::report::{self, ReportSpec, Rows};
use dokku_core::{Paths, Result};
use dokku_trigger::Ctx;

use crate::store::{self, PLUGIN, PROPERTIES, STATIC_WEB_LISTENER};

/// How the network report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "network",
    prefix: "network",
    legacy_json_keys: true,
};

/// One app's rows, sorted by flag.
pub fn rows(paths: &Paths, app: &str) -> Rows {
    let props = Properties::new(paths, PLUGIN);
    let mut rows: Rows = Vec::new();
    for (key, _) in PROPERTIES {
        rows.push((format!("--network-{key}"), props.get_str(app, key)));
        rows.push((
            format!("--network-global-{key}"),
            props.get_str(GLOBAL, key),
        ));
        rows.push((
            format!("--network-computed-{key}"),
            store::computed(paths, app, key),
        ));
    }
    rows.push((
        format!("--network-{STATIC_WEB_LISTENER}"),
        props.get_str(app, STATIC_WEB_LISTENER),
    ));
    rows.push((
        "--network-web-listeners".into(),
        store::listeners(paths, app, "web").join(" "),
    ));
    rows.sort();
    rows
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| {
        Ok(rows(&ctx.paths, app))
    })
}
