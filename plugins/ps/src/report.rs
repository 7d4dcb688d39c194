//! The ps properties, declared once, and the rows of `ps:report` that come
//! from the app's containers.

use dokku_core::report::Rows;
use dokku_core::schema::{check, Keys, Prop, Schema};
use dokku_core::{Error, Result};
use dokku_docker::RestartPolicy;
use dokku_trigger::{Ctx, ReportDef};

use crate::store::{self, DEFAULT_PROCFILE_PATH, DEFAULT_RESTART_POLICY, DEFAULT_STOP_TIMEOUT};

fn restart_policy(_: &str, value: &str) -> Result<()> {
    value
        .parse::<RestartPolicy>()
        .map(drop)
        .map_err(|_| Error::fail("Invalid restart-policy specified"))
}

/// Per-app start commands are reported raw and "computed" (the same).
const START_CMD: Keys = Keys::RAW.with(Keys::COMPUTED);

/// The properties. `restore` is reported as `--restore`, with the rows
/// from the containers.
pub static SCHEMA: Schema = Schema::named(
    "ps",
    &[
        Prop::app("dockerfile-start-cmd").keys(START_CMD),
        Prop::both("procfile-path", DEFAULT_PROCFILE_PATH),
        Prop::both("restart-policy", DEFAULT_RESTART_POLICY).check(restart_policy),
        Prop::app("restore").hidden().check(check::true_or_false),
        Prop::both("skip-deploy", "false").check(check::true_or_false),
        Prop::app("start-cmd").keys(START_CMD),
        Prop::both("stop-timeout-seconds", DEFAULT_STOP_TIMEOUT).check(check::non_negative),
    ],
)
.stored_as(store::PLUGIN)
.legacy_json();

/// Whether the app is deployed and running, its process count and the
/// status of each container.
fn containers(ctx: &Ctx, app: &str) -> Result<Rows> {
    let paths = &ctx.paths;
    let status = crate::pipeline::app_status(ctx, app).unwrap_or_default();
    let running = status.iter().filter(|(_, s, _)| s == "running").count();
    let running = match (running, status.len()) {
        (0, _) => "false",
        (r, t) if r == t => "true",
        _ => "mixed",
    };
    let mut rows: Rows = vec![
        (
            "--deployed".into(),
            crate::pipeline::is_deployed(ctx, app)
                .unwrap_or(false)
                .to_string(),
        ),
        // Containers the scheduler knows of, not the wanted scale: a new app
        // wants web=1 but runs nothing.
        ("--processes".into(), status.len().to_string()),
        (
            "--ps-can-scale".into(),
            store::property(paths, app, "can-scale"),
        ),
        ("--restore".into(), store::property(paths, app, "restore")),
        ("--running".into(), running.to_string()),
    ];
    for (dyno, st, cid) in status {
        let short: String = cid.chars().take(12).collect();
        rows.push((
            format!("--status-{}", dyno.replace('.', "-")),
            format!("{st} (CID: {short})"),
        ));
    }
    Ok(rows)
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(containers);
