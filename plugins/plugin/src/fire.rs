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
use dokku_trigger::{Ctx, NotifyTrigger};

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

/// Run trigger `T` (`install`, `update`) for every enabled plugin, read
/// from disk anew. A plugin that fails is reported and the others still
/// run: one broken plugin does not take the command down with it. The
/// command fails only when `own` (the plugin being installed or updated)
/// failed, or, when there is no such plugin, when any did.
pub fn fire_tolerant<T: NotifyTrigger>(ctx: &Ctx, t: &T, own: Option<&str>) -> Result<()> {
    let mut result = Ok(());
    for (plugin, e) in ctx.bus.notify_each(ctx, t) {
        let code = e.exit_code();
        if !matches!(e, Error::Exit { .. }) || !e.to_string().is_empty() {
            ctx.out.warn(&e.to_string());
        }
        ctx.out.warn(&format!(
            "The {} trigger of plugin {plugin} failed (exit code {code})",
            T::NAME
        ));
        if result.is_ok() && own.is_none_or(|o| o == plugin) {
            result = Err(Error::exit(code.max(1)));
        }
    }
    result
}
