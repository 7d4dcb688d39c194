//! What the apps commands do, as library functions.

use std::fs;
use std::io::BufRead;
use std::time::{SystemTime, UNIX_EPOCH};

use dokku_core::lock::StateLock;
use dokku_core::property::Properties;
use dokku_core::{apps, fsutil, Error, Paths, Result};
use dokku_trigger::triggers::{
    AppRebuild, PostAppClone, PostAppCloneSetup, PostAppRename, PostAppRenameSetup, PostCreate,
    PostDelete, PreDelete,
};
use dokku_trigger::Ctx;

/// The plugin's property namespace.
pub const PLUGIN: &str = "apps";

/// Dokku's error when the target name is in use.
pub const NAME_TAKEN: &str = "Name is already taken";

fn now() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string()
}

/// Make the app's directory and record when; no output, no trigger.
fn make_app(paths: &Paths, app: &str) -> Result<()> {
    apps::validate_name(app)?;
    let _lock = StateLock::acquire(paths, app)?;
    let dir = paths.app_dir(app);
    fsutil::ensure_dir(&paths.dokku_root)?;
    match fs::create_dir(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::fail(NAME_TAKEN))
        }
        Err(e) => return Err(Error::io("create app directory", &dir, e)),
    }
    dokku_core::system::chown_to_system(&dir);
    fsutil::ensure_dir(&paths.plugin_data_dir(PLUGIN).join(app))?;
    Properties::new(paths, PLUGIN).write(app, "created-at", &now())
}

/// `apps:create`: a new, empty app.
pub fn create(ctx: &Ctx, app: &str) -> Result<()> {
    apps::validate_name(app)?;
    if ctx.paths.app_dir(app).exists() {
        return Err(Error::fail(NAME_TAKEN));
    }
    make_app(&ctx.paths, app)?;
    post_create(ctx, app)?;
    ctx.out.line(&format!("Creating {app}... done"));
    Ok(())
}

/// Run `post-create`; when a subscriber fails, take the app away again
/// (its directory and every plugin's properties) so the name stays free,
/// and return the failure.
fn post_create(ctx: &Ctx, app: &str) -> Result<()> {
    let result = ctx.bus.notify(
        ctx,
        &PostCreate {
            app: app.to_string(),
        },
    );
    if let Err(e) = result {
        // Plugins that did their part take it back as for a destroyed app;
        // what they fail to remove is removed below regardless.
        let _ = ctx.bus.notify(
            ctx,
            &dokku_trigger::triggers::PostDelete {
                app: app.to_string(),
                image_tag: String::new(),
            },
        );
        undo_create(&ctx.paths, app)?;
        return Err(e);
    }
    Ok(())
}

fn undo_create(paths: &Paths, app: &str) -> Result<()> {
    let _lock = StateLock::acquire(paths, app)?;
    for plugin in property_plugins(paths) {
        Properties::new(paths, &plugin).destroy(app)?;
    }
    fsutil::remove_dir_all(&paths.plugin_data_dir(PLUGIN).join(app))?;
    fsutil::remove_dir_all(&paths.app_dir(app))
}

/// Create the app on first push unless `disable-autocreation` is set
/// globally. Prints nothing on stdout: during a push it carries git's
/// protocol.
pub fn maybe_create(ctx: &Ctx, app: &str) -> Result<()> {
    apps::validate_name(app)?;
    if ctx.paths.app_dir(app).is_dir() {
        return Ok(());
    }
    let disabled = Properties::new(&ctx.paths, PLUGIN)
        .get_str(dokku_core::property::GLOBAL, "disable-autocreation");
    if disabled == "true" {
        ctx.out.warn("App auto-creation disabled.");
        return Err(Error::fail(format!(
            "Re-enable app auto-creation or create an app with 'dokku apps:create {app}'"
        )));
    }
    match make_app(&ctx.paths, app) {
        Ok(()) => {}
        // Two pushes racing: the other one created it.
        Err(Error::Fail(m)) if m == NAME_TAKEN => return Ok(()),
        Err(e) => return Err(e),
    }
    post_create(ctx, app)
}

/// Whether the app's deploy lock file exists.
pub fn is_locked(paths: &Paths, app: &str) -> bool {
    apps::deploy_lock_path(paths, app).exists()
}

/// Fail the way Dokku does when an app holds a deploy lock.
pub fn refuse_locked(ctx: &Ctx, app: &str) -> Result<()> {
    if is_locked(&ctx.paths, app) {
        ctx.out.warn(&format!(
            "{app} currently has a deploy lock in place. Exiting..."
        ));
        return Err(Error::fail(
            "Run 'apps:unlock' to release the existing deploy lock",
        ));
    }
    Ok(())
}

/// Ask the user to type the app's name; anything else aborts.
pub fn confirm_destroy(ctx: &Ctx, app: &str, input: &mut dyn BufRead) -> Result<()> {
    ctx.out.warn("WARNING: Potentially Destructive Action");
    ctx.out.warn(&format!(
        "This command will destroy {app} (including all add-ons)."
    ));
    ctx.out.warn(&format!("To proceed, type \"{app}\""));
    ctx.out.line("");
    ctx.confirm_typed(app, input)
}

/// Every plugin directory of the property tree (`$DOKKU_LIB_ROOT/config/*`).
fn property_plugins(paths: &Paths) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(paths.lib_root.join("config"))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Remove the app: triggers, properties of every plugin, its directory.
/// The caller has confirmed and checked the lock.
pub fn destroy(ctx: &Ctx, app: &str) -> Result<()> {
    ctx.out
        .line(&format!("Destroying {app} (including all add-ons)"));
    let image_tag = String::new();
    let scheduler_name = dokku_trigger::deploy::scheduler_of(ctx, app)?;
    ctx.bus.notify(
        ctx,
        &PreDelete {
            app: app.to_string(),
            image_tag: image_tag.clone(),
        },
    )?;
    ctx.bus.notify(
        ctx,
        &PostDelete {
            app: app.to_string(),
            image_tag,
        },
    )?;
    ctx.bus.notify(
        ctx,
        &dokku_trigger::cron::SchedulerCronWrite {
            scheduler: scheduler_name,
            app: app.to_string(),
        },
    )?;
    let _lock = StateLock::acquire(&ctx.paths, app)?;
    for plugin in property_plugins(&ctx.paths) {
        Properties::new(&ctx.paths, &plugin).destroy(app)?;
    }
    fsutil::remove_dir_all(&ctx.paths.plugin_data_dir(PLUGIN).join(app))?;
    fsutil::remove_dir_all(&ctx.paths.app_dir(app))
}

/// Copy an app's directory (not its deploy lock) and every plugin's
/// properties to a new app.
fn copy_state(paths: &Paths, from: &str, to: &str) -> Result<()> {
    let src = paths.app_dir(from);
    let dst = paths.app_dir(to);
    if let Ok(rd) = fs::read_dir(&src) {
        for e in rd.flatten() {
            let name = e.file_name();
            if name == ".deploy.lock" {
                continue;
            }
            let target = dst.join(&name);
            if e.path().is_dir() && !e.path().is_symlink() {
                fsutil::copy_dir_all(&e.path(), &target)?;
            } else if e.path().is_symlink() {
                let link =
                    fs::read_link(e.path()).map_err(|err| Error::io("readlink", e.path(), err))?;
                std::os::unix::fs::symlink(link, &target)
                    .map_err(|err| Error::io("symlink", &target, err))?;
            } else {
                fs::copy(e.path(), &target).map_err(|err| Error::io("copy", e.path(), err))?;
                dokku_core::system::chown_to_system(&target);
            }
        }
    }
    for plugin in property_plugins(paths) {
        Properties::new(paths, &plugin).clone_app(from, to)?;
    }
    Ok(())
}

fn check_pair(paths: &Paths, old: Option<&str>, new: Option<&str>) -> Result<(String, String)> {
    let old = old
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    let new = new
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::fail("Please specify an new app name"))?;
    apps::verify(paths, old)?;
    apps::validate_name(new)?;
    Ok((old.to_string(), new.to_string()))
}

/// `apps:rename`.
pub fn rename(ctx: &Ctx, old: Option<&str>, new: Option<&str>, skip_deploy: bool) -> Result<()> {
    let (old, new) = check_pair(&ctx.paths, old, new)?;
    if ctx.paths.app_dir(&new).exists() {
        return Err(Error::fail(NAME_TAKEN));
    }
    refuse_locked(ctx, &old)?;
    make_app(&ctx.paths, &new)?;
    let created = Properties::new(&ctx.paths, PLUGIN).get_str(&old, "created-at");
    copy_state(&ctx.paths, &old, &new)?;
    if !created.is_empty() {
        Properties::new(&ctx.paths, PLUGIN).write(&new, "created-at", &created)?;
    }
    ctx.bus.notify(
        ctx,
        &PostAppRenameSetup {
            old_app: old.clone(),
            new_app: new.clone(),
        },
    )?;
    destroy(ctx, &old)?;
    if !skip_deploy {
        ctx.bus.notify(ctx, &AppRebuild { app: new.clone() })?;
    }
    ctx.bus.notify(
        ctx,
        &PostAppRename {
            old_app: old.clone(),
            new_app: new.clone(),
        },
    )?;
    ctx.out.line(&format!("Renaming {old} to {new}... done"));
    Ok(())
}

/// `apps:clone`.
pub fn clone(
    ctx: &Ctx,
    old: Option<&str>,
    new: Option<&str>,
    skip_deploy: bool,
    ignore_existing: bool,
) -> Result<()> {
    let (old, new) = check_pair(&ctx.paths, old, new)?;
    if ctx.paths.app_dir(&new).exists() {
        if ignore_existing {
            ctx.out.warn(NAME_TAKEN);
            return Ok(());
        }
        return Err(Error::fail(NAME_TAKEN));
    }
    make_app(&ctx.paths, &new)?;
    let created = Properties::new(&ctx.paths, PLUGIN).get_str(&new, "created-at");
    copy_state(&ctx.paths, &old, &new)?;
    let props = Properties::new(&ctx.paths, PLUGIN);
    props.write(&new, "created-at", &created)?;
    props.delete(&new, "deploy-source")?;
    props.delete(&new, "deploy-source-metadata")?;
    ctx.bus.notify(
        ctx,
        &PostAppCloneSetup {
            old_app: old.clone(),
            new_app: new.clone(),
        },
    )?;
    if !skip_deploy {
        ctx.bus.notify(ctx, &AppRebuild { app: new.clone() })?;
    }
    ctx.bus.notify(
        ctx,
        &PostAppClone {
            old_app: old.clone(),
            new_app: new.clone(),
        },
    )?;
    ctx.out.line(&format!("Cloning {old} to {new}... done"));
    Ok(())
}

/// `apps:lock`.
pub fn lock(ctx: &Ctx, app: &str) -> Result<()> {
    fsutil::write_atomic(&apps::deploy_lock_path(&ctx.paths, app), b"", 0o644)?;
    ctx.out.info1("Deploy lock created");
    Ok(())
}

/// `apps:unlock`.
pub fn unlock(ctx: &Ctx, app: &str) -> Result<()> {
    let path = apps::deploy_lock_path(&ctx.paths, app);
    if path.exists() {
        ctx.out.warn("A deploy may be in progress.");
        ctx.out
            .warn("Removing the app lock will not stop in progress deploys.");
    }
    fsutil::remove_file(&path)?;
    ctx.out.info1("Deploy lock removed.");
    Ok(())
}

/// Record how the app was last deployed (the `deploy-source-set` trigger):
/// read back by `apps:report`.
pub fn set_deploy_source(
    paths: &Paths,
    app: &str,
    source_type: &str,
    metadata: &str,
) -> Result<()> {
    apps::verify(paths, app)?;
    let _lock = StateLock::acquire(paths, app)?;
    let props = Properties::new(paths, PLUGIN);
    props.write(app, "deploy-source", source_type)?;
    props.write(app, "deploy-source-metadata", metadata)
}
