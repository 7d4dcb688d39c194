//! The dockerfile builder: detects a Dockerfile, builds it through the
//! engine's build API with Dokku's labels and build arguments, tags the
//! result `dokku/<app>:latest`, and labels the release image.

pub mod build;
pub mod props;

use std::path::Path;

use dokku_core::Result;
use dokku_trigger::plugin::Command;
use dokku_trigger::plugin::{Bare, HelpStyle};
use dokku_trigger::release::{self, BuilderDef};
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The builder type this plugin answers for.
pub const BUILDER_TYPE: &str = "dockerfile";

/// The builder: a Dockerfile at the configured path; the release only
/// labels the image.
pub static BUILDER: BuilderDef = BuilderDef {
    plugin: props::PLUGIN,
    builder_type: BUILDER_TYPE,
    detect,
    build: build::build,
    release_layer: None,
};

fn detect(ctx: &Ctx, app: &str, dir: &Path) -> Result<bool> {
    let rel = props::dockerfile_path(&ctx.paths, app);
    Ok(release::source_file(dir, &rel).is_some())
}

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core builder-dockerfile plugin",
    summary: "Manage the dockerfile builder integration for an app",
    namespace: None,
    commands: &[
        Command {
            name: "builder-dockerfile:report",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "builder-dockerfile:set",
            takes_app: true,
            run: set_cmd,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "builder-dockerfile:report [<app>] [<flag>], Displays a builder-dockerfile report for one or more apps",
        "builder-dockerfile:set <app> <property> (<value>), Set or clear a builder-dockerfile property for an app",
    ],
    bare: Bare::Help,
    register,
};

fn report_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    props::REPORT.command(ctx, argv)
}

fn set_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    props::REPORT.set_command(ctx, argv).map(drop)
}

fn register(bus: &mut Bus) {
    BUILDER.register(bus);
    props::REPORT.register(bus, props::PLUGIN);
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::Paths;
    use dokku_output::Output;

    #[test]
    fn report_layout() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&d.path().join("home"), &d.path().join("lib"));
        dokku_core::property::Properties::new(&paths, props::PLUGIN)
            .write("app", "dockerfile-path", "Dockerfile2")
            .expect("write");
        let (out, cap) = Output::captured(false);
        dokku_core::report::render_text(
            &props::SCHEMA.report,
            "app",
            &props::SCHEMA.app_rows(&paths, "app"),
            &out,
        );
        insta::assert_snapshot!(cap.stdout(), @r"
        =====> app builder-dockerfile information
               Builder dockerfile computed dockerfile path: Dockerfile2
               Builder dockerfile dockerfile path:          Dockerfile2
               Builder dockerfile global dockerfile path:   
        ");
    }
}
