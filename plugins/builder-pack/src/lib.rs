//! The pack builder: builds Cloud Native Buildpacks apps with the `pack`
//! CLI (`pack build dokku/<app>:latest --builder <stack> --path <source>`),
//! then labels the image as Dokku does. Detected by a `project.toml`.

pub mod build;
pub mod props;

use std::path::Path;

use dokku_core::Result;
use dokku_trigger::plugin::Command;
use dokku_trigger::plugin::{Bare, HelpStyle};
use dokku_trigger::release::{self, BuilderDef};
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The builder type this plugin answers for.
pub const BUILDER_TYPE: &str = "pack";

/// The builder: a `project.toml` at the configured path; the release only
/// labels the image.
pub static BUILDER: BuilderDef = BuilderDef {
    plugin: props::PLUGIN,
    builder_type: BUILDER_TYPE,
    detect,
    build: build::build,
    release_layer: None,
};

fn detect(ctx: &Ctx, app: &str, dir: &Path) -> Result<bool> {
    let rel = props::projecttoml_path(&ctx.paths, app);
    Ok(release::source_file(dir, &rel).is_some())
}

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core builder-pack plugin",
    summary: "Manage the pack builder integration for an app",
    namespace: None,
    commands: &[
        Command {
            name: "builder-pack:report",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "builder-pack:set",
            takes_app: true,
            run: set_cmd,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "builder-pack:report [<app>] [<flag>], Displays a builder-pack report for one or more apps",
        "builder-pack:set <app> <property> (<value>), Set or clear a builder-pack property for an app",
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
