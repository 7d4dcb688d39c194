//! `plugin:update`: bring a git-backed plugin up to date (or to a given
//! branch, tag or commit, which is remembered for later updates), then run
//! the `update` trigger.

use dokku_core::{Error, Result};
use dokku_trigger::triggers::Update;
use dokku_trigger::Ctx;

use crate::fire::fire_tolerant;
use crate::{git, manage, name};

/// Run `plugin:update [name [committish]]`.
pub fn update(ctx: &Ctx, plugin: Option<&str>, committish: Option<&str>) -> Result<()> {
    let Some(plugin) = plugin.filter(|p| !p.is_empty()) else {
        return fire_tolerant(ctx, &Update {}, None);
    };
    name::check(plugin)?;
    if manage::is_core(&ctx.paths, plugin) {
        return Err(Error::fail(
            "Cannot trigger plugin:update against core plugin, please update Dokku instead",
        ));
    }
    if !manage::is_installed(&ctx.paths, plugin) {
        return Err(Error::fail("Specified plugin not enabled or installed"));
    }
    let committish = committish.filter(|c| !c.is_empty());
    if let Some(c) = committish {
        if !git::is_valid_committish(c) {
            return Err(Error::fail("Invalid committish specified"));
        }
    }
    let dir = manage::available(&ctx.paths, plugin);
    if git::git_dir(&dir).is_none() {
        return Err(Error::fail(format!(
            "Plugin ({plugin}) is not a git-backed plugin and cannot be updated"
        )));
    }
    git::fetch(&dir)?;
    match committish.map(str::to_string).or_else(|| git::pinned(&dir)) {
        Some(c) => {
            git::checkout(&dir, &c)?;
            if git::is_remote_branch(&dir, &c)? {
                git::fast_forward(&dir, &format!("origin/{c}"))?;
            }
            if committish.is_some() {
                git::pin(&dir, &c)?;
            }
        }
        None => {
            if let Some(up) = git::upstream(&dir)? {
                git::fast_forward(&dir, &up)?;
            }
        }
    }
    ctx.out.line(&format!("Plugin ({plugin}) updated"));
    fire_tolerant(ctx, &Update {}, Some(plugin))
}
