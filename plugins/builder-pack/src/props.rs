//! builder-pack properties, and `builder-pack:set` with the
//! messages of Dokku's shell plugins.

use dokku_core::property::Properties;
use dokku_core::set::{self, Scope, Settable, Wording};
use dokku_core::{Paths, Result};
use dokku_trigger::Ctx;

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder-pack";
const SETTABLE: &[Settable<'static>] = &[Settable {
    key: "projecttoml-path",
    scope: Scope::Both,
}];

/// The raw value (empty when unset).
pub fn raw(paths: &Paths, app: &str, key: &str) -> String {
    Properties::new(paths, PLUGIN).get_str(app, key)
}

/// The project.toml path inside the source: app value, else global, else
/// `project.toml`.
pub fn projecttoml_path(paths: &Paths, app: &str) -> String {
    Properties::new(paths, PLUGIN).computed(app, "projecttoml-path", "project.toml")
}

/// `builder-pack:set [--global|<app>] <key> [<value>]`, worded as Dokku's bash
/// plugins word it.
pub fn set(ctx: &Ctx, argv: &[String]) -> Result<()> {
    set::run_command_worded(
        &ctx.paths,
        &ctx.out,
        PLUGIN,
        SETTABLE,
        argv,
        &|_, _| Ok(()),
        Wording::Shell { keys: None },
    )
}
