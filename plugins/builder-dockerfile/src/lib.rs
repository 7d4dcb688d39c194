//! The dockerfile builder: detects a Dockerfile, builds it through the
//! engine's build API with Dokku's labels and build arguments, tags the
//! result `dokku/<app>:latest`, and labels the release image.

pub mod build;
pub mod props;
pub mod relabel_only;

use std::path::Path;

use dokku_core::Result;
use dokku_trigger::{release, Ctx};

dokku_trigger::builder_plugin! {
    plugin: "builder-dockerfile",
    builder_type: "dockerfile",
    detect: detect,
    build: build::build,
    release_layer: None,
    report: props::REPORT,
}

/// A Dockerfile at the configured path.
fn detect(ctx: &Ctx, app: &str, dir: &Path) -> Result<bool> {
    let rel = props::dockerfile_path(&ctx.paths, app);
    Ok(release::source_file(dir, &rel).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_layout() {
        let (_d, paths) = dokku_core::Paths::temp();
        let report =
            props::REPORT.text_with(&paths, "app", &[("app", "dockerfile-path", "Dockerfile2")]);
        insta::assert_snapshot!(report.expect("report"), @r"
        =====> app builder-dockerfile information
               Builder dockerfile computed dockerfile path: Dockerfile2
               Builder dockerfile dockerfile path:          Dockerfile2
               Builder dockerfile global dockerfile path:   
        ");
    }
}
