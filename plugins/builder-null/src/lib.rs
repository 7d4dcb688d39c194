//! The null builder: builds and releases nothing. Selected with
//! `builder:set <app> selected null` for apps whose containers Dokku does
//! not run; never detected.

use dokku_trigger::deploy::{BuilderBuild, BuilderRelease};
use dokku_trigger::plugin::{Bare, HelpStyle};
use dokku_trigger::{Bus, CorePlugin};

/// The builder type this plugin answers for.
pub const BUILDER_TYPE: &str = "null";

/// The plugin descriptor (no commands).
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "builder-null",
    description: "dokku core builder-null plugin",
    summary: "No-op builder plugin",
    commands: &[],
    help_style: HelpStyle::Bash,
    help: &[],
    bare: Bare::Unknown,
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    bus.on::<BuilderBuild, _>("builder-null", |_ctx, _t: &BuilderBuild| Ok(()));
    bus.on::<BuilderRelease, _>("builder-null", |_ctx, _t: &BuilderRelease| Ok(()));
}
