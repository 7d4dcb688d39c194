//! `storage:report`: per app, the `-v` mounts of each phase (attachments
//! plus volume options kept in docker-options) and one key per attachment
//! field; with `--global`, an inventory of every entry.

use dokku_core::report::Rows;
use dokku_core::schema::Schema;
use dokku_core::Result;
use dokku_trigger::triggers::{DockerOptionsVolumes, DEFAULT_PROCESS_TYPE};
use dokku_trigger::{Ctx, ReportDef};

use crate::attachment;
use crate::entry;
use crate::mounts;
use crate::spec;

/// The report's names; storage has no settable properties.
pub static SCHEMA: Schema = Schema::named("storage", &[]).legacy_json();

/// The report: per app its mounts and attachments, with `--global` the
/// inventory of entries.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA)
    .extra(rows)
    .global_extra(global_rows);

/// One app's rows, sorted by flag as Dokku's Go reports are.
pub fn rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    let resolved = mounts::resolve(&ctx.paths, app)?;
    let docker_options: Vec<_> = ctx
        .bus
        .collect(
            ctx,
            &DockerOptionsVolumes {
                app: app.to_string(),
            },
        )?
        .into_iter()
        .flatten()
        .filter(|o| o.process_type == DEFAULT_PROCESS_TYPE)
        .collect();
    let mut rows: Rows = Vec::new();
    for phase in ["build", "deploy", "run"] {
        let mut words: Vec<String> = Vec::new();
        for (a, e) in &resolved {
            if let (true, true, Ok(e)) = (
                a.has_phase(phase),
                a.process_type == DEFAULT_PROCESS_TYPE,
                e,
            ) {
                words.push(format!("-v {}", mounts::volume_mount(a, e).to_volume_arg()));
            }
        }
        for o in docker_options.iter().filter(|o| o.phase == phase) {
            match spec::parse_volume_option(&o.option) {
                Some(s) => words.push(format!("-v {}", s.display())),
                None => words.push(o.option.clone()),
            }
        }
        rows.push((format!("--storage-{phase}-mounts"), words.join(" ")));
    }
    // An attachment whose entry file is gone is skipped (with a warning);
    // the numbering only counts the attachments shown.
    let mut n = 0;
    for (a, e) in &resolved {
        let host = match e {
            Ok(e) => e.host_path.clone(),
            Err(why) => {
                mounts::warn_missing(&ctx.out, app, a, why);
                continue;
            }
        };
        n += 1;
        let fields = [
            ("entry-name", a.entry_name.clone()),
            ("host-path", host),
            ("container-path", a.container_path.clone()),
            ("phases", a.phases.join(",")),
            ("process-type", a.process_type.clone()),
            ("subpath", a.subpath.clone()),
            ("readonly", a.readonly.to_string()),
            ("volume-options", a.volume_options.clone()),
            ("volume-chown", a.volume_chown.clone()),
        ];
        for (k, v) in fields {
            rows.push((format!("--storage-attachment.{n}.{k}"), v));
        }
    }
    Ok(rows)
}

/// The `--global` inventory rows.
pub fn global_rows(ctx: &Ctx) -> Result<Rows> {
    let entries = entry::list(&ctx.paths, &ctx.out);
    let mut rows: Rows = vec![(
        "--storage-entries".to_string(),
        entries
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(","),
    )];
    for e in &entries {
        let mounted = attachment::apps_mounting(&ctx.paths, &e.name)?;
        rows.push((
            format!("--storage-entry.{}.scheduler", e.name),
            e.scheduler.clone(),
        ));
        rows.push((
            format!("--storage-entry.{}.host-path", e.name),
            e.host_path.clone(),
        ));
        rows.push((
            format!("--storage-entry.{}.mounted-by", e.name),
            mounted.join(","),
        ));
    }
    Ok(rows)
}

/// The command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}
