//! builder-herokuish properties, and `builder-herokuish:set` with the
//! messages of Dokku's shell plugins.

use dokku_core::property::Properties;
use dokku_core::set::{self, Scope, Settable, Wording};
use dokku_core::{Paths, Result};
use dokku_trigger::Ctx;

/// The plugin's property namespace.
pub const PLUGIN: &str = "builder-herokuish";
const SETTABLE: &[Settable<'static>] = &[Settable {
    key: "allowed",
    scope: Scope::Both,
}];

/// The raw value (empty when unset).
pub fn raw(paths: &Paths, app: &str, key: &str) -> String {
    Properties::new(paths, PLUGIN).get_str(app, key)
}

/// Whether herokuish may build the app: app value, else global, else
/// whether the host is amd64.
pub fn allowed(paths: &Paths, app: &str) -> bool {
    let host_default = if std::env::consts::ARCH == "x86_64" {
        "true"
    } else {
        "false"
    };
    Properties::new(paths, PLUGIN).computed(app, "allowed", host_default) == "true"
}

/// `builder-herokuish:set [--global|<app>] <key> [<value>]`, worded as
/// Dokku's bash plugins word it.
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
