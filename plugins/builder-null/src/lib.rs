//! The null builder: builds and releases nothing. Selected with
//! `builder:set <app> selected null` for apps whose containers Dokku does
//! not run; never detected.

use dokku_trigger::deploy::{BuilderBuild, BuilderRelease};
use dokku_trigger::{Bus, CorePlugin};

/// The builder type this plugin answers for.
pub const BUILDER_TYPE: &str = "null";

/// The plugin descriptor (no commands).
pub static PLUGIN: CorePlugin = CorePlugin::triggers_only(
    "builder-null",
    "dokku core builder-null plugin",
    "No-op builder plugin",
    register,
);

fn register(bus: &mut Bus) {
    bus.on::<BuilderBuild, _>("builder-null", |_ctx, _t: &BuilderBuild| Ok(()));
    bus.on::<BuilderRelease, _>("builder-null", |_ctx, _t: &BuilderRelease| Ok(()));
}
