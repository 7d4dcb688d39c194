//! Build with the `pack` CLI, then label the image in one step.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use dokku_core::{Error, Result};
use dokku_trigger::deploy::{config_value, first_answer, BuildpackStackName};
use dokku_trigger::release;
use dokku_trigger::triggers::ConfigExport;
use dokku_trigger::Ctx;

use crate::BUILDER_TYPE;

/// The CNB builder image when nothing else is configured.
pub const DEFAULT_BUILDER: &str = "heroku/builder:24";

fn stack(ctx: &Ctx, app: &str) -> Result<String> {
    if let Some(s) = first_answer(
        ctx.bus
            .collect(ctx, &BuildpackStackName { app: app.into() })?,
    ) {
        return Ok(s);
    }
    if let Some(s) = config_value(ctx, app, "DOKKU_CNB_BUILDER")? {
        return Ok(s);
    }
    Ok(std::env::var("DOKKU_CNB_BUILDER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_BUILDER.to_string()))
}

/// The app's merged env as `KEY=VALUE` lines for `--env-file` (values
/// spanning lines cannot be expressed there and are left out).
fn env_file(ctx: &Ctx, app: &str) -> Result<String> {
    Ok(ConfigExport::merged_env(ctx, app)?
        .into_iter()
        .filter(|(_, v)| !v.contains('\n'))
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect())
}

/// `--buildpack <url>` for each line of the source's `.buildpacks` (the
/// app's buildpacks list puts it there), in order.
fn buildpack_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(".buildpacks"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(|l| ["--buildpack".to_string(), l.to_string()])
        .collect()
}

/// `builder-build pack`.
pub fn build(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    let builder = stack(ctx, app)?;
    ctx.out.info1(&format!("Building {app} from {builder}"));
    let image = release::image(app, "");
    release::pre_build(ctx, BUILDER_TYPE, app, dir)?;
    let env = tempfile::NamedTempFile::new().map_err(|e| Error::other("create env file", e))?;
    std::fs::write(env.path(), env_file(ctx, app)?)
        .map_err(|e| Error::io("write", env.path(), e))?;
    let mut child = Command::new("pack")
        .args(["build", &image, "--builder", &builder, "--path"])
        .arg(dir)
        .args([
            "--default-process",
            "web",
            "--pull-policy",
            "if-not-present",
            "--env-file",
        ])
        .arg(env.path())
        .args(buildpack_args(dir))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|_| Error::fail("pack binary is not available"))?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            ctx.out.line(&line);
        }
    }
    let status = child.wait().map_err(|e| Error::other("run pack", e))?;
    if !status.success() {
        return Err(Error::fail("App build failed"));
    }
    release::relabel(
        ctx,
        &image,
        &release::image_labels(app, BUILDER_TYPE, "build"),
    )?;
    release::post_build(ctx, BUILDER_TYPE, app, dir)
}
