//! The trace plugin: `trace:on` / `trace:off` switch trace mode for every
//! later command through an rc file in `$DOKKU_ROOT/.dokkurc/`, which the
//! entry reads before anything else.

use dokku_core::{fsutil, Error, Result};
use dokku_trigger::plugin::{no_triggers, Bare, Command, HelpStyle};
use dokku_trigger::{CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "trace",
    description: "dokku core trace plugin",
    summary: "Manage trace mode",
    namespace: None,
    commands: &[
        Command {
            name: "trace:on",
            takes_app: false,
            run: on,
        },
        Command {
            name: "trace:off",
            takes_app: false,
            run: off,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "trace:off, Disable trace mode",
        "trace:on, Enable trace mode",
    ],
    bare: Bare::Help,
    register: no_triggers,
};

/// The rc file that turns tracing on.
fn rc_file(ctx: &Ctx) -> std::path::PathBuf {
    ctx.paths.dokku_root.join(".dokkurc").join("DOKKU_TRACE")
}

fn on(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    ctx.out.info1("Enabling trace mode");
    fsutil::write_atomic(&rc_file(ctx), b"export DOKKU_TRACE=1\n", 0o644)
}

fn off(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    ctx.out.info1("Disabling trace mode");
    let f = rc_file(ctx);
    match std::fs::remove_file(&f) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", f, e)),
    }
}
