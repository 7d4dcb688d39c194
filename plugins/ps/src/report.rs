//! The rows of `ps:report`.

use dokku_core::property::GLOBAL;
use dokku_core::report::{ReportSpec, Rows};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::{pipeline, store};

/// How the report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "ps",
    prefix: "ps",
    legacy_json_keys: true,
};

/// One app's report rows, sorted by flag.
pub fn rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    let paths = &ctx.paths;
    let p = store::props(paths);
    let trio = |rows: &mut Rows, key: &str| {
        rows.push((format!("--ps-{key}"), p.get_str(app, key)));
        rows.push((format!("--ps-global-{key}"), p.get_str(GLOBAL, key)));
        rows.push((
            format!("--ps-computed-{key}"),
            store::property(paths, app, key),
        ));
    };
    let mut rows: Rows = Vec::new();
    for key in [
        "procfile-path",
        "restart-policy",
        "skip-deploy",
        "stop-timeout-seconds",
    ] {
        trio(&mut rows, key);
    }
    for key in ["dockerfile-start-cmd", "start-cmd"] {
        rows.push((format!("--ps-{key}"), p.get_str(app, key)));
        rows.push((format!("--ps-computed-{key}"), p.get_str(app, key)));
    }
    let scale = store::scale(paths, app).unwrap_or_default();
    let status = pipeline::app_status(ctx, app).unwrap_or_default();
    let running = status.iter().filter(|(_, s, _)| s == "running").count();
    let running = match (running, status.len()) {
        (0, _) => "false",
        (r, t) if r == t => "true",
        _ => "mixed",
    };
    rows.push((
        "--deployed".into(),
        pipeline::is_deployed(ctx, app).unwrap_or(false).to_string(),
    ));
    rows.push((
        "--processes".into(),
        scale
            .iter()
            .map(|(_, n)| *n as u64)
            .sum::<u64>()
            .to_string(),
    ));
    rows.push((
        "--ps-can-scale".into(),
        store::property(paths, app, "can-scale"),
    ));
    rows.push(("--restore".into(), store::property(paths, app, "restore")));
    rows.push(("--running".into(), running.to_string()));
    for (dyno, st, cid) in status {
        let short: String = cid.chars().take(12).collect();
        rows.push((
            format!("--status-{}", dyno.replace('.', "-")),
            format!("{st} (CID: {short})"),
        ));
    }
    rows.sort();
    Ok(rows)
}
