//! The drain of legacy `-v` docker options (deploy and run phases) into
//! storage entries and attachments. Each host path becomes the entry
//! registered for it, or a `legacy-<hash>` entry; options are removed from
//! docker-options only once their attachment is saved. Build-phase `-v`
//! options stay in docker-options, the only way to mount during builds.
//!
//! An app with at least one drained option gets the `legacy-mounts-migrated`
//! property, and the install trigger leaves such apps alone. Earlier
//! releases recorded a scan with a flag file,
//! `$DOKKU_LIB_ROOT/data/storage-registry/migrations/<app>`; a scan turns
//! that file into the property and removes it.

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

/// The flag file of earlier releases:
/// `$DOKKU_LIB_ROOT/data/storage-registry/migrations/<app>`.
pub fn flag_file(paths: &Paths, app: &str) -> Result<PathBuf> {
    apps::validate_name(app)?;
    Ok(paths
        .plugin_data_dir("storage-registry")
        .join("migrations")
        .join(app))
}

/// Whether the app's legacy mounts are recorded as migrated, by the
/// property or by an old flag file.
pub fn migrated(paths: &Paths, app: &str) -> bool {
    Properties::new(paths, PLUGIN).get_str(app, MARKER) == "true"
        || flag_file(paths, app).map(|f| f.is_file()).unwrap_or(false)
}

/// Turn an old flag file into the property.
fn convert_flag(paths: &Paths, app: &str) -> Result<()> {
    let flag = flag_file(paths, app)?;
    if flag.is_file() {
        Properties::new(paths, PLUGIN).write(app, MARKER, "true")?;
        fsutil::remove_file(&flag)?;
    }
    Ok(())
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
    convert_flag(&ctx.paths, app)?;
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

/// The install trigger: old flag files become the property, and apps not
/// recorded as migrated are scanned (a scan without `-v` options changes
/// nothing).
pub fn on_install(ctx: &Ctx) -> Result<()> {
    install_layout(ctx)?;
    for a in apps::list(&ctx.paths) {
        attachment::rename_old_property(&ctx.paths, &a)?;
    }
    for a in apps::list(&ctx.paths) {
        if migrated(&ctx.paths, &a) {
            convert_flag(&ctx.paths, &a)
        } else {
            app(ctx, &a).map(|_| ())
        }
        .map_err(|e| Error::fail(format!("storage migration failed: {e}")))?;
    }
    Ok(())
}

/// The sudoers file letting the system group run Dokku's storage helpers
/// as root, one line per helper plus the kept `DOKKU_LIB_ROOT`.
pub fn sudoers_text(group: &str, plugin_available: &std::path::Path) -> String {
    let mut text = String::new();
    for h in crate::helpers::DOKKU_HELPERS {
        text.push_str(&format!(
            "%{group} ALL=(ALL) NOPASSWD:{} *\n",
            plugin_available.join("storage/bin").join(h).display()
        ));
    }
    text.push_str("Defaults env_keep += \"DOKKU_LIB_ROOT\"\n");
    text
}

/// The directories of the plugin (`data/storage`, `data/storage-registry`
/// with `entries/` and `migrations/`, 0755, the system user's) and, on the
/// host's installation when the distribution is known, the sudoers file.
fn install_layout(ctx: &Ctx) -> Result<()> {
    let registry = ctx.paths.plugin_data_dir("storage-registry");
    for d in [
        crate::entry::storage_root(&ctx.paths),
        registry.clone(),
        registry.join("entries"),
        registry.join("migrations"),
    ] {
        dokku_core::fsutil::ensure_dir(&d)?;
        dokku_core::fsutil::set_permissions(&d, 0o755)?;
    }
    for sub in ["entries", "migrations"] {
        let dir = registry.join(sub);
        if let Ok(rd) = std::fs::read_dir(&dir) {
            for f in rd.flatten() {
                let p = f.path();
                if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
                    dokku_core::system::chown_to_system(&p);
                }
            }
        }
    }
    let sudoers = std::path::Path::new("/etc/sudoers.d");
    let distro = std::env::var("DOKKU_DISTRO").unwrap_or_default();
    if distro.is_empty()
        || !sudoers.is_dir()
        || !dokku_core::system::is_host_install(&ctx.paths.system_user, &ctx.paths.dokku_root)
    {
        return Ok(());
    }
    // The user tree's path (what commands run), even while `plugin:install
    // --core` points PLUGIN_AVAILABLE_PATH at the core tree.
    let available = if ctx.paths.plugin_available == ctx.paths.plugin_core_available {
        ctx.paths.lib_root.join("plugins/available")
    } else {
        ctx.paths.plugin_available.clone()
    };
    dokku_core::system::write_sudoers(
        &sudoers.join("dokku-storage"),
        &sudoers_text(&ctx.paths.system_group, &available),
    )
}

#[cfg(test)]
mod install_tests {
    #[test]
    fn sudoers_lists_each_helper_and_keeps_the_lib_root() {
        assert_eq!(
            super::sudoers_text(
                "dokku",
                std::path::Path::new("/var/lib/dokku/plugins/available")
            ),
            "%dokku ALL=(ALL) NOPASSWD:/var/lib/dokku/plugins/available/storage/bin/chown-storage-dir *\n\
             %dokku ALL=(ALL) NOPASSWD:/var/lib/dokku/plugins/available/storage/bin/chmod-storage-dir *\n\
             %dokku ALL=(ALL) NOPASSWD:/var/lib/dokku/plugins/available/storage/bin/destroy-storage-dir *\n\
             Defaults env_keep += \"DOKKU_LIB_ROOT\"\n"
        );
    }
}
