//! Build with the `pack` CLI, then label the image in one step.

use std::path::Path;
use std::process::Command;

use dokku_core::{Error, Result};
use dokku_trigger::deploy::{config_value, first_answer, BuildpackStackName};
use dokku_trigger::Ctx;
use dokku_trigger::{pack, release};

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

/// `builder-build pack`.
pub fn build(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    let builder = stack(ctx, app)?;
    ctx.out.info1(&format!("Building {app} from {builder}"));
    let image = release::image(app, "");
    release::pre_build(ctx, BUILDER_TYPE, app, dir)?;
    let env = tempfile::NamedTempFile::new().map_err(|e| Error::other("create env file", e))?;
    std::fs::write(env.path(), pack::env_file(ctx, app)?)
        .map_err(|e| Error::io("write", env.path(), e))?;
    let status = pack::run(
        ctx,
        Command::new("pack")
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
            .args(pack::buildpack_args(dir)),
    )?;
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
