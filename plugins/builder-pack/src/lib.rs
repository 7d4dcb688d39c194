//! The pack builder: builds Cloud Native Buildpacks apps with the `pack`
//! CLI (`pack build dokku/<app>:latest --builder <stack> --path <source>`),
//! then labels the image as Dokku does. Detected by a `project.toml`.

pub mod build;
pub mod props;

use std::path::Path;

use dokku_core::Result;
use dokku_trigger::{release, Ctx};

dokku_trigger::builder_plugin! {
    plugin: "builder-pack",
    builder_type: "pack",
    detect: detect,
    build: build::build,
    release_layer: None,
    report: props::REPORT,
}

/// A `project.toml` at the configured path.
fn detect(ctx: &Ctx, app: &str, dir: &Path) -> Result<bool> {
    let rel = props::projecttoml_path(&ctx.paths, app);
    Ok(release::source_file(dir, &rel).is_some())
}
