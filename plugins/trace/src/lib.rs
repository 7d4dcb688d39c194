//! The trace plugin: `trace:on` / `trace:off` switch trace mode for every
//! later command through an rc file in `$DOKKU_ROOT/.dokkurc/`, which the
//! entry reads before anything else.

use dokku_core::Result;
use dokku_trigger::plugin::{no_triggers, Command, HelpStyle};
use dokku_trigger::{CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "trace",
    description: "dokku core trace plugin",
    summary: "Manage trace mode",
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
    register: no_triggers,
    ..CorePlugin::DEFAULTS
};

fn on(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    ctx.switch_rc("DOKKU_TRACE", true, "Enabling trace mode")
}

fn off(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    ctx.switch_rc("DOKKU_TRACE", false, "Disabling trace mode")
}
