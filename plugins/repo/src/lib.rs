//! The repo plugin: housekeeping on an app's git repository (`repo:gc`)
//! and on the build cache kept beside it (`repo:purge-cache`).

use std::process::{Command as Proc, Stdio};

use dokku_core::{apps, Error, Result};
use dokku_docker::{ContainerSpec, Mount};
use dokku_trigger::plugin::{no_triggers, Command};
use dokku_trigger::release;
use dokku_trigger::{CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "repo",
    description: "dokku core repo plugin",
    summary: "Manage the app's repo",
    commands: &[
        Command {
            name: "repo:gc",
            takes_app: true,
            run: gc,
        },
        Command {
            name: "repo:purge-cache",
            takes_app: true,
            run: purge_cache,
        },
    ],
    help: &[
        "repo:gc <app>, Runs 'git gc --aggressive' against the application's repo",
        "repo:purge-cache <app>, Deletes the contents of the build cache stored in the repository",
    ],
    register: no_triggers,
    ..CorePlugin::DEFAULTS
};

fn app_arg(ctx: &Ctx, argv: &[String]) -> Result<String> {
    apps::require(&ctx.paths, argv.first().map(String::as_str))
}

/// `repo:gc <app>`: `git gc --aggressive` in the app's bare repository,
/// its output passed through.
fn gc(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = app_arg(ctx, argv)?;
    let dir = ctx.paths.app_dir(&app);
    let status = Proc::new("git")
        .args(["gc", "--aggressive"])
        .env("GIT_DIR", &dir)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| Error::io("run git gc in", &dir, e))?;
    if !status.success() {
        return Err(Error::exit(status.code().unwrap_or(1)));
    }
    Ok(())
}

/// `repo:purge-cache <app>`: empty `$DOKKU_ROOT/<app>/cache`, keeping the
/// directory. Builders fill it as root from inside containers, so, as
/// Dokku does, the entries are removed by a one-off container of the
/// app's image (`dokku/<app>:latest`) with the cache mounted at `/cache`
/// (`find /cache -depth -mindepth 1 -maxdepth 1 -exec rm -Rf {} ;`). A
/// failure of that container is not the command's (Dokku ignores it);
/// the image is never pulled. The directory is created when missing.
fn purge_cache(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = app_arg(ctx, argv)?;
    let cache = ctx.paths.app_dir(&app).join("cache");
    if !cache.is_dir() {
        return Ok(());
    }
    let host_cache = std::env::var_os("DOKKU_HOST_ROOT")
        .filter(|r| !r.is_empty())
        .map(|r| std::path::PathBuf::from(r).join(&app).join("cache"))
        .unwrap_or_else(|| cache.clone());
    let image = release::image(&app, "");
    let mut spec = ContainerSpec::new(image.clone());
    spec.labels = release::vendor_labels();
    spec.labels.insert(release::APP_LABEL.into(), app.clone());
    spec.mounts.push(Mount::bind(host_cache, "/cache"));
    spec.cmd = Some(
        [
            "find",
            "/cache",
            "-depth",
            "-mindepth",
            "1",
            "-maxdepth",
            "1",
            "-exec",
            "rm",
            "-Rf",
            "{}",
            ";",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
    );
    match ctx.try_engine() {
        Ok(engine) => match engine.image_exists(&image) {
            Ok(true) => match engine.run_to_completion(&spec, None) {
                Ok(out) => ctx.out.write_err(&out.stderr_lossy()),
                Err(e) => ctx.out.write_err(&format!("{e}\n")),
            },
            Ok(false) => ctx
                .out
                .write_err(&format!("Unable to find image '{image}' locally\n")),
            Err(e) => ctx.out.write_err(&format!("{e}\n")),
        },
        Err(e) => ctx.out.write_err(&format!("{e}\n")),
    }
    dokku_core::fsutil::ensure_dir(&cache)
}
