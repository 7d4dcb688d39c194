//! The herokuish builder: runs the source through a herokuish stack image
//! (`/build`, with the app's env and a build cache) and commits the result
//! as `dokku/<app>:latest`; the release step writes the app's env into
//! `/app/.profile.d`. Detected by a `.buildpacks` file or `BUILDPACK_URL`.

pub mod build;
pub mod props;

use dokku_core::Result;
use dokku_trigger::plugin::Command;
use dokku_trigger::plugin::{Bare, HelpStyle};
use dokku_trigger::release::BuilderDef;
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The builder type this plugin answers for.
pub const BUILDER_TYPE: &str = "herokuish";

/// The builder: a `.buildpacks` file or `BUILDPACK_URL`; the release
/// writes the app's env into `/app/.profile.d`.
pub static BUILDER: BuilderDef = BuilderDef {
    plugin: props::PLUGIN,
    builder_type: BUILDER_TYPE,
    detect: build::detect,
    build: build::build,
    release_layer: Some(build::release_layer),
};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core builder-herokuish plugin",
    summary: "Manage the herokuish builder integration for an app",
    namespace: None,
    commands: &[
        Command {
            name: "builder-herokuish:report",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "builder-herokuish:set",
            takes_app: true,
            run: set_cmd,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "builder-herokuish:report [<app>] [<flag>], Displays a builder-herokuish report for one or more apps",
        "builder-herokuish:set <app> <property> (<value>), Set or clear a builder-herokuish property for an app",
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
