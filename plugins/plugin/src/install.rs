//! `plugin:install`: fetch a plugin into place, enable it and run the
//! `install` trigger; or lay down the core plugins; or only run the trigger.
//!
//! A plugin is fetched into a hidden staging directory beside its final
//! place and renamed into `PLUGIN_AVAILABLE_PATH/<name>` only when complete,
//! so a failed clone, copy or unpack leaves nothing behind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_core::{Error, Result};
use dokku_trigger::triggers::Install;
use dokku_trigger::Ctx;

use crate::fire::{fire, fire_tolerant, Scope};
use crate::source::Source;
use crate::{archive, git, manage, name, source};

/// What `plugin:install` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct InstallRequest {
    /// Where to fetch the plugin from; `None` runs the trigger only.
    pub url: Option<String>,
    /// `--core`: install the core plugins' metadata instead.
    pub core: bool,
    /// `--committish`: branch, tag or commit to check out (git only).
    pub committish: Option<String>,
    /// `--name`: the plugin name, instead of the one the URL implies.
    pub name: Option<String>,
    /// `--skip-install-trigger`.
    pub skip_install_trigger: bool,
}

/// Removes the staging directory however the install ends.
struct Staging {
    dir: PathBuf,
}

impl Staging {
    fn new(available: &Path, name: &str) -> Result<Self> {
        crate::fsroot::create_dir_all(available)?;
        let dir = available.join(format!(".install-{name}-{}", std::process::id()));
        dokku_core::fsutil::remove_dir_all(&dir)?;
        fs::create_dir(&dir).map_err(|e| Error::io("create directory", &dir, e))?;
        Ok(Staging { dir })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The lines Dokku prints for a source it does not understand.
fn invalid_source(ctx: &Ctx) -> Error {
    ctx.out
        .warn("First argument must be --core or url to plugin");
    ctx.out.warn("Valid prefixes: https:, git:, ssh:, file:");
    ctx.out.warn("Valid suffixes: .tar.gz, .tgz");
    Error::fail("Please retry with valid arguments")
}

/// Run `plugin:install`.
pub fn install(ctx: &Ctx, req: &InstallRequest) -> Result<()> {
    if req.core {
        let list: Vec<(&str, &str)> = ctx.bus.core_plugins().to_vec();
        let exe = std::env::current_exe().ok();
        crate::core::install_core_metadata(&ctx.paths, &list, crate::VERSION, exe.as_deref())?;
        if !req.skip_install_trigger {
            fire(ctx, "install", &[], Scope::Core)?;
        }
        return Ok(());
    }
    let Some(url) = req.url.as_deref() else {
        if !req.skip_install_trigger {
            fire_tolerant(ctx, &Install {}, None)?;
        }
        return Ok(());
    };
    let src = source::classify(url).ok_or_else(|| invalid_source(ctx))?;
    let plugin = match req.name.as_deref() {
        Some(n) => n.to_string(),
        None => name::from_source(url),
    };
    name::check(&plugin)?;
    if let Some(c) = req.committish.as_deref() {
        if !git::is_valid_committish(c) {
            return Err(Error::fail("Invalid committish specified"));
        }
    }
    let dest = manage::available(&ctx.paths, &plugin);
    if manage::occupied(&dest) {
        return Err(Error::fail(format!(
            "Plugin ({plugin}) is already installed"
        )));
    }
    let staging = Staging::new(&ctx.paths.plugin_available, &plugin)?;
    let staged = staging.dir.join(&plugin);
    match &src {
        Source::Git { url } => {
            ctx.out
                .info1(&format!("Cloning plugin repo {url} to {}", dest.display()));
            git::clone(url, &staging.dir, &plugin)?;
            if let Some(c) = req.committish.as_deref() {
                git::checkout(&staged, c)?;
                git::pin(&staged, c)?;
            }
        }
        Source::Dir { path } => copy_dir(path, &staged)?,
        Source::LocalTarball { path } => unpack(path, &staging.dir, &staged)?,
        Source::RemoteTarball { url } => {
            let file = staging.dir.join("download.tar.gz");
            download(url, &file)?;
            unpack(&file, &staging.dir, &staged)?;
        }
    }
    if manage::occupied(&dest) {
        return Err(Error::fail(format!(
            "Plugin ({plugin}) is already installed"
        )));
    }
    fs::rename(&staged, &dest).map_err(|e| Error::io("rename", &dest, e))?;
    drop(staging);
    manage::link_enabled(&ctx.paths, &plugin)?;
    ctx.out.info1(&format!("Plugin {plugin} enabled"));
    if !req.skip_install_trigger {
        fire_tolerant(ctx, &Install {}, Some(&plugin))?;
    }
    Ok(())
}

/// Copy a plugin directory, leaving out its `.git` (a copy is not a
/// git-backed install). The copy belongs to the installing user.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    if !from.is_dir() {
        return Err(Error::fail(format!(
            "Plugin source {} is not a directory",
            from.display()
        )));
    }
    crate::fsroot::copy_tree(from, to, &[".git"])
}

/// Unpack a tarball into `<staging>/tree` and move the plugin root to
/// `staged`.
fn unpack(archive_path: &Path, staging: &Path, staged: &Path) -> Result<()> {
    if !archive_path.is_file() {
        return Err(Error::fail(format!(
            "Plugin archive {} not found",
            archive_path.display()
        )));
    }
    let tree = staging.join("tree");
    fs::create_dir(&tree).map_err(|e| Error::io("create directory", &tree, e))?;
    archive::extract(archive_path, &tree)?;
    let root = archive::plugin_root(&tree)?;
    fs::rename(&root, staged).map_err(|e| Error::io("rename", staged, e))?;
    dokku_core::fsutil::remove_dir_all(&staged.join(".git"))
}

/// Fetch a remote tarball with curl.
fn download(url: &str, to: &Path) -> Result<()> {
    let status = Command::new("curl")
        .args([
            "--fail",
            "--silent",
            "--show-error",
            "--location",
            "--proto",
            "=https,http",
            "--output",
        ])
        .arg(to)
        .arg(url)
        .status()
        .map_err(|e| Error::other("download plugin archive (curl)", e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::exit(status.code().unwrap_or(1)))
    }
}
