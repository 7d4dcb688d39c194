//! Enabling, disabling, checking and removing installed plugins, and the
//! questions they rest on (is it installed, enabled, core).

use std::fs;
use std::path::{Path, PathBuf};

use dokku_core::{Error, Paths, Result};
use dokku_trigger::external;
use dokku_trigger::helpers::Uninstall;
use dokku_trigger::{Ctx, Trigger};

use crate::name;

/// `$PLUGIN_AVAILABLE_PATH/<name>`.
pub fn available(paths: &Paths, name: &str) -> PathBuf {
    paths.plugin_available.join(name)
}

/// `$PLUGIN_ENABLED_PATH/<name>`.
pub fn enabled_link(paths: &Paths, name: &str) -> PathBuf {
    paths.plugin_enabled.join(name)
}

/// Whether anything (even a dangling link) sits at `path`.
pub fn occupied(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Whether the plugin is installed: its available directory exists.
pub fn is_installed(paths: &Paths, name: &str) -> bool {
    name::is_valid(name) && available(paths, name).is_dir()
}

/// Whether the plugin is enabled: its enabled entry leads to a directory.
pub fn is_enabled(paths: &Paths, name: &str) -> bool {
    name::is_valid(name) && enabled_link(paths, name).is_dir()
}

/// Whether the plugin is a core plugin: it lives in the core tree.
pub fn is_core(paths: &Paths, name: &str) -> bool {
    name::is_valid(name)
        && (paths.plugin_core_available.join(name).is_dir()
            || external::is_core_dir(paths, &available(paths, name)))
}

/// Point `link` at `target`, replacing an existing link (never a real file
/// or directory) in one rename.
pub fn symlink_replace(target: &Path, link: &Path) -> Result<()> {
    if let Ok(meta) = fs::symlink_metadata(link) {
        if !meta.file_type().is_symlink() {
            return Err(Error::other(
                "link",
                format!("{} exists and is not a symlink", link.display()),
            ));
        }
        if fs::read_link(link).map(|t| t == target).unwrap_or(false) {
            return Ok(());
        }
    }
    let parent = link
        .parent()
        .ok_or_else(|| Error::other("link", format!("{} has no parent", link.display())))?;
    crate::fsroot::create_dir_all(parent)?;
    let file = link
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{file}.link-{}", std::process::id()));
    let _ = fs::remove_file(&tmp);
    std::os::unix::fs::symlink(target, &tmp).map_err(|e| Error::io("symlink", &tmp, e))?;
    if let Err(e) = fs::rename(&tmp, link) {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io("rename", link, e));
    }
    Ok(())
}

/// Create the enabled link of an installed plugin.
pub fn link_enabled(paths: &Paths, name: &str) -> Result<()> {
    let link = enabled_link(paths, name);
    if occupied(&link) && !link.is_dir() {
        // A dangling link left behind: replace it.
        dokku_core::fsutil::remove_file(&link)?;
    }
    symlink_replace(&available(paths, name), &link)
}

fn required<'a>(arg: Option<&'a str>, missing: &str) -> Result<&'a str> {
    match arg {
        Some(n) if !n.is_empty() => name::check(n),
        _ => Err(Error::fail(missing)),
    }
}

/// `plugin:installed <name>`: success when installed, a silent exit 1
/// otherwise.
pub fn installed(ctx: &Ctx, plugin: Option<&str>) -> Result<()> {
    match plugin {
        Some(n) if is_installed(&ctx.paths, n) => Ok(()),
        _ => Err(Error::exit(1)),
    }
}

/// `plugin:enable <name>`.
pub fn enable(ctx: &Ctx, plugin: Option<&str>) -> Result<()> {
    let name = required(plugin, "Please specify a plugin to enable")?;
    if !is_installed(&ctx.paths, name) {
        return Err(Error::fail("Plugin does not exist"));
    }
    if is_enabled(&ctx.paths, name) {
        return Err(Error::fail("Plugin already enabled"));
    }
    link_enabled(&ctx.paths, name)?;
    ctx.out.info1(&format!("Plugin {name} enabled"));
    Ok(())
}

/// `plugin:disable <name>`.
pub fn disable(ctx: &Ctx, plugin: Option<&str>) -> Result<()> {
    let name = required(plugin, "Please specify a plugin to disable")?;
    if is_core(&ctx.paths, name) {
        return Err(Error::fail("Cannot disable a core plugin"));
    }
    if !is_installed(&ctx.paths, name) {
        return Err(Error::fail("Plugin does not exist"));
    }
    let link = enabled_link(&ctx.paths, name);
    if !is_enabled(&ctx.paths, name) {
        return Err(Error::fail("Plugin already disabled"));
    }
    remove_enabled(&link)?;
    ctx.out.info1(&format!("Plugin {name} disabled"));
    Ok(())
}

fn remove_enabled(link: &Path) -> Result<()> {
    match fs::symlink_metadata(link) {
        Ok(m) if m.file_type().is_symlink() || m.is_file() => dokku_core::fsutil::remove_file(link),
        Ok(_) => Err(Error::other(
            "disable",
            format!("{} is a directory, not a link", link.display()),
        )),
        Err(_) => Ok(()),
    }
}

/// Report a plugin's failing `uninstall` trigger without stopping.
fn uninstall_failed(ctx: &Ctx, plugin: &str, e: &Error) {
    if !e.to_string().is_empty() {
        ctx.out.warn(&e.to_string());
    }
    ctx.out.warn(&format!(
        "The uninstall trigger of plugin {plugin} failed (exit code {})",
        e.exit_code()
    ));
}

/// `plugin:uninstall <name>`: tell plugins through the `uninstall` trigger,
/// then remove the enabled link and the plugin directory.
pub fn uninstall(ctx: &Ctx, plugin: Option<&str>) -> Result<()> {
    let name = required(plugin, "Please specify a plugin to uninstall")?;
    if is_core(&ctx.paths, name) {
        return Err(Error::fail("Cannot uninstall a core plugin"));
    }
    let dir = available(&ctx.paths, name);
    if !occupied(&dir) {
        return Err(Error::fail(format!(
            "Plugin ({name}) is not currently installed"
        )));
    }
    // Every plugin hears of it; a plugin whose trigger fails (the one
    // going, most likely) is reported and the uninstall goes on, so a
    // broken plugin can always be removed.
    let t = Uninstall {
        plugin: name.to_string(),
    };
    for (plugin, e) in ctx.bus.notify_each(ctx, &t) {
        uninstall_failed(ctx, &plugin, &e);
    }
    // A disabled plugin is not reached by the trigger; it still gets to
    // clean up after itself.
    let own = dir.join("uninstall");
    if !is_enabled(&ctx.paths, name) && external::is_executable(&own) {
        let ran = external::run(
            &own,
            &t.to_args(),
            &[],
            external::Stdout::Inherit,
            external::Stdin::Inherit,
        );
        match ran {
            Ok((0, _)) => {}
            Ok((code, _)) => uninstall_failed(ctx, name, &Error::exit(code)),
            Err(e) => uninstall_failed(ctx, name, &e),
        }
    }
    remove_enabled(&enabled_link(&ctx.paths, name))?;
    match fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() => dokku_core::fsutil::remove_file(&dir)?,
        Ok(_) => dokku_core::fsutil::remove_dir_all(&dir)?,
        Err(_) => {}
    }
    ctx.out.info1(&format!("Plugin {name} uninstalled"));
    Ok(())
}
