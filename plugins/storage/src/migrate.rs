//! The drain of legacy `-v` docker options (deploy and run phases) into
//! storage entries and attachments. Each host path becomes the entry
//! registered for it, or a `legacy-<hash>` entry; options are removed from
//! docker-options only once their attachment is saved. Build-phase `-v`
//! options stay in docker-options, the only way to mount during builds.
//!
//! A scan leaves `$DOKKU_LIB_ROOT/config/storage/.migrated/<app>` behind so
//! the install trigger does not scan the app again; an app with at least
//! one drained option also gets the `legacy-mounts-migrated` property.

use std::path::PathBuf;

use dokku_core::lock::StateLock;
use dokku_core::property::Properties;
use dokku_core::{apps, fsutil, Error, Paths, Result};
use dokku_trigger::triggers::{DockerOptionsRemove, DockerOptionsVolumes, ScopedOption};
use dokku_trigger::Ctx;

use crate::attach;
use crate::attachment::{self, Attachment, PLUGIN};
use crate::entry;
use crate::spec::{self, LegacySpec};

/// The per-app property set when options were drained.
pub const MARKER: &str = "legacy-mounts-migrated";

/// `$DOKKU_LIB_ROOT/config/storage/.migrated/<app>`.
pub fn flag_file(paths: &Paths, app: &str) -> Result<PathBuf> {
    apps::validate_name(app)?;
    Ok(paths.plugin_config_dir(PLUGIN).join(".migrated").join(app))
}

/// Whether the app has been scanned.
pub fn scanned(paths: &Paths, app: &str) -> bool {
    flag_file(paths, app).map(|f| f.is_file()).unwrap_or(false)
}

struct Found {
    spec: LegacySpec,
    process_type: String,
    phases: Vec<String>,
    options: Vec<ScopedOption>,
}

/// Migrate one app; returns the mounts drained, as `(spec, entry)`.
pub fn app(ctx: &Ctx, app: &str) -> Result<Vec<(String, String)>> {
    inner(ctx, app).map_err(|e| match e {
        Error::Fail(m) => Error::fail(format!("storage migration failed for app {app:?}: {m}")),
        other => Error::fail(format!("storage migration failed for app {app:?}: {other}")),
    })
}

fn inner(ctx: &Ctx, app: &str) -> Result<Vec<(String, String)>> {
    apps::verify(&ctx.paths, app)?;
    let answers = ctx.bus.collect(
        ctx,
        &DockerOptionsVolumes {
            app: app.to_string(),
        },
    )?;
    let mut found: Vec<Found> = Vec::new();
    for o in answers.into_iter().flatten() {
        if o.phase != "deploy" && o.phase != "run" {
            continue;
        }
        let Some(s) = spec::parse_volume_option(&o.option) else {
            continue;
        };
        match found
            .iter_mut()
            .find(|f| f.spec == s && f.process_type == o.process_type)
        {
            Some(f) => {
                if !f.phases.contains(&o.phase) {
                    f.phases.push(o.phase.clone());
                }
                f.options.push(o);
            }
            None => found.push(Found {
                spec: s,
                process_type: o.process_type.clone(),
                phases: vec![o.phase.clone()],
                options: vec![o],
            }),
        }
    }
    let mut done = Vec::new();
    let mut to_remove: Vec<ScopedOption> = Vec::new();
    if !found.is_empty() {
        let _reg = entry::lock(&ctx.paths)?;
        let _lock = StateLock::acquire(&ctx.paths, app)?;
        let mut list = attachment::load(&ctx.paths, app)?;
        for f in found {
            let (e, new) = attach::resolve_legacy(ctx, &f.spec.source)?;
            if new {
                entry::save(&ctx.paths, &e)?;
            }
            let mut phases: Vec<String> = attachment::PHASES
                .iter()
                .filter(|p| f.phases.iter().any(|x| x == *p))
                .map(|p| p.to_string())
                .collect();
            match list.iter_mut().find(|a| {
                a.entry_name == e.name
                    && a.container_path == f.spec.target
                    && a.process_type == f.process_type
            }) {
                Some(a) => {
                    for p in &a.phases {
                        if !phases.contains(p) {
                            phases.push(p.clone());
                        }
                    }
                    a.phases = attachment::PHASES
                        .iter()
                        .filter(|p| phases.contains(&p.to_string()))
                        .map(|p| p.to_string())
                        .collect();
                }
                None => list.push(Attachment {
                    entry_name: e.name.clone(),
                    container_path: f.spec.target.clone(),
                    phases,
                    process_type: f.process_type.clone(),
                    subpath: String::new(),
                    readonly: f.spec.readonly,
                    volume_options: f.spec.options.clone(),
                    volume_chown: String::new(),
                }),
            }
            done.push((f.spec.display(), e.name.clone()));
            to_remove.extend(f.options);
        }
        attachment::save(&ctx.paths, app, &list)?;
    }
    for o in to_remove {
        ctx.bus.notify(
            ctx,
            &DockerOptionsRemove {
                app: app.to_string(),
                phase: o.phase,
                process_type: o.process_type,
                options: vec![o.option],
            },
        )?;
    }
    if !done.is_empty() {
        Properties::new(&ctx.paths, PLUGIN).write(app, MARKER, "true")?;
    }
    fsutil::write_atomic(&flag_file(&ctx.paths, app)?, b"", 0o644)?;
    Ok(done)
}

/// `storage:migrate`: print what was drained.
pub fn run(ctx: &Ctx, apps_to_scan: &[String]) -> Result<()> {
    for a in apps_to_scan {
        let done = app(ctx, a)?;
        if done.is_empty() {
            ctx.out
                .info1_quiet(&format!("No legacy mounts to migrate for {a}"));
            continue;
        }
        ctx.out.info1(&format!("Migrated legacy mounts for {a}"));
        for (s, e) in done {
            ctx.out.verbose(&format!("{s} -> storage entry {e}"));
        }
    }
    Ok(())
}

/// The install trigger: scan every app not scanned yet.
pub fn on_install(ctx: &Ctx) -> Result<()> {
    for a in apps::list(&ctx.paths) {
        if !scanned(&ctx.paths, &a) {
            app(ctx, &a).map_err(|e| Error::fail(format!("storage migration failed: {e}")))?;
        }
    }
    Ok(())
}
