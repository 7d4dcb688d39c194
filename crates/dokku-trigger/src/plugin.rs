//! The descriptor of a core plugin: its metadata, its commands and the
//! trigger handlers it registers. `dokku-cli` holds the one list of them.

use dokku_core::Result;

use crate::bus::Bus;
use crate::context::Ctx;

/// A command handler: receives the arguments after the command name.
pub type RunFn = fn(&Ctx, &[String]) -> Result<()>;

/// One command of a plugin.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// Full name as typed: `apps:create`.
    pub name: &'static str,
    /// Arguments shown in help: `<app>`.
    pub args: &'static str,
    /// One-line description shown in help.
    pub help: &'static str,
    /// Whether `--app`/`DOKKU_APP_NAME` is put in front of the arguments.
    pub takes_app: bool,
    /// The handler.
    pub run: RunFn,
}

/// A core plugin.
#[derive(Debug, Clone, Copy)]
pub struct CorePlugin {
    /// Dokku's plugin name (`apps`, `nginx-vhosts`).
    pub name: &'static str,
    /// `plugin.toml` description (`dokku core apps plugin`).
    pub description: &'static str,
    /// One line for `dokku help` (`Manage apps`). A plugin with an empty
    /// summary has no help page, and its default command runs even without
    /// arguments (`dokku report`).
    pub summary: &'static str,
    /// The command namespace if it differs from the name (`nginx` for
    /// nginx-vhosts).
    pub namespace: Option<&'static str>,
    /// Commands, in help order.
    pub commands: &'static [Command],
    /// Run by `dokku <namespace> <args>` when arguments are given (for
    /// example `dokku config <app>`); without arguments help is shown.
    pub default: Option<RunFn>,
    /// Registers trigger handlers.
    pub register: fn(&mut Bus),
}

impl CorePlugin {
    /// The command namespace.
    pub fn ns(&self) -> &'static str {
        self.namespace.unwrap_or(self.name)
    }

    /// The help text of `dokku <ns>:help`.
    pub fn help_text(&self) -> String {
        let mut s = format!(
            "Usage: dokku {}[:COMMAND]\n\n{}\n\nAdditional commands:\n",
            self.ns(),
            self.summary
        );
        s.push_str(&self.command_list());
        s
    }

    /// The aligned command list (`    cmd args  description`).
    pub fn command_list(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .commands
            .iter()
            .filter(|c| !c.help.is_empty())
            .map(|c| {
                let head = if c.args.is_empty() {
                    c.name.to_string()
                } else {
                    format!("{} {}", c.name, c.args)
                };
                vec![head, c.help.to_string()]
            })
            .collect();
        dokku_output::columnize(&rows, "    ", "  ")
    }

    /// Find a command by its full name.
    pub fn command(&self, name: &str) -> Option<&'static Command> {
        self.commands.iter().find(|c| c.name == name)
    }
}

/// A registration function that registers nothing.
pub fn no_triggers(_: &mut Bus) {}
