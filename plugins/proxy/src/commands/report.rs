//! `proxy:report [<app>] [--format stdout|json] [--<flag>]`.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::report::{self, ReportSpec, Rows};
use dokku_core::{Paths, Result};
use dokku_trigger::Ctx;

use crate::store::{self, PLUGIN};

/// How the proxy report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "proxy",
    prefix: "proxy",
    legacy_json_keys: true,
};

/// One app's rows, sorted by flag.
pub fn rows(paths: &Paths, app: &str) -> Rows {
    let props = Properties::new(paths, PLUGIN);
    let mut rows: Rows = vec![(
        "--proxy-enabled".into(),
        store::is_enabled(paths, app).to_string(),
    )];
    // `disabled` is per app only; `proxy:disable` writes `true`.
    let disabled = props.get_str(app, "disabled").trim().to_string();
    let computed_disabled = if disabled.is_empty() {
        "false".to_string()
    } else {
        disabled.clone()
    };
    rows.push(("--proxy-disabled".into(), disabled));
    rows.push(("--proxy-computed-disabled".into(), computed_disabled));
    for key in ["type", "proxy-port", "proxy-ssl-port"] {
        rows.push((format!("--proxy-{key}"), props.get_str(app, key)));
        rows.push((format!("--proxy-global-{key}"), props.get_str(GLOBAL, key)));
        rows.push((
            format!("--proxy-computed-{key}"),
            store::computed(paths, app, key),
        ));
    }
    rows.sort();
    rows
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| {
        Ok(rows(&ctx.paths, app))
    })
}
