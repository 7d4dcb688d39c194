//! Firing the plugin-management triggers (`install`, `update`,
//! `dependencies`).
//!
//! These run after the set of plugins on disk may have changed in this very
//! process, so they are fired the way Dokku fires them: through `plugn
//! trigger` in a fresh process (this binary started as `plugn`), which looks
//! at the enabled plugins anew. Restricted to core plugins, the child sees
//! the core tree as its plugin path, so no community plugin answers.

use std::os::unix::process::CommandExt;
use std::process::Command;

use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

/// Which plugins answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every enabled plugin.
    All,
    /// Only core plugins.
    Core,
}

/// Fire trigger `name` with `args` in a fresh `plugn` process.
pub fn fire(ctx: &Ctx, name: &str, args: &[String], scope: Scope) -> Result<()> {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(_) if scope == Scope::All => return ctx.bus.run_raw(ctx, name, args),
        Err(e) => return Err(Error::other("locate dokku binary", e)),
    };
    let mut cmd = Command::new(&exe);
    cmd.arg0("plugn").arg("trigger").arg(name).args(args);
    for (k, v) in ctx.paths.env_vars() {
        cmd.env(k, v);
    }
    if scope == Scope::Core {
        cmd.env("PLUGIN_PATH", &ctx.paths.plugin_core_path)
            .env("PLUGIN_AVAILABLE_PATH", &ctx.paths.plugin_core_available)
            .env("PLUGIN_ENABLED_PATH", &ctx.paths.plugin_core_enabled);
    }
    let status = cmd.status().map_err(|e| Error::io("run", &exe, e))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(Error::exit(code)),
        None => Err(Error::exit(1)),
    }
}
