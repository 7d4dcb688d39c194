//! The descriptor of a core plugin: its metadata, its commands, its help
//! page and the trigger handlers it registers. `dokku-cli` holds the one
//! list of them.
//!
//! A plugin's help list is data: one `synopsis, description` entry a line,
//! kept the way Dokku keeps it (the comma separates the two fields), and
//! laid out by [`CorePlugin::help_text`] in the style of the Dokku plugin it
//! stands for. Dokku's bash plugins sort their list and align it with
//! `column -t`; its Go plugins keep source order and align with columnize,
//! which trims the fields. The two come out one space apart, and both are
//! user-visible interface.

use dokku_core::Result;
use dokku_output::{column_table, columnize};

use crate::bus::Bus;
use crate::context::Ctx;

/// A command handler: receives the arguments after the command name.
pub type RunFn = fn(&Ctx, &[String]) -> Result<()>;

/// One command of a plugin.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// Full name as typed: `apps:create`.
    pub name: &'static str,
    /// Whether `--app`/`DOKKU_APP_NAME` is put in front of the arguments.
    pub takes_app: bool,
    /// The handler.
    pub run: RunFn,
}

/// A command that takes the app (`--app`/`DOKKU_APP_NAME`), as most do.
pub const fn cmd(name: &'static str, run: RunFn) -> Command {
    Command {
        name,
        takes_app: true,
        run,
    }
}

/// A host-wide command: no app is put in front of its arguments.
pub const fn global_cmd(name: &'static str, run: RunFn) -> Command {
    Command {
        name,
        takes_app: false,
        run,
    }
}

/// How the help list of a plugin is laid out, after the Dokku plugin it
/// reimplements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpStyle {
    /// A bash plugin: lines sorted (byte order), fields kept untrimmed and
    /// aligned as `column -t` does, so the longest synopsis is followed by
    /// three spaces.
    Bash,
    /// A Go plugin: lines in list order, fields trimmed and aligned as
    /// columnize does, so the longest synopsis is followed by two spaces. An
    /// empty entry renders as a line of the four-space indent.
    Go,
    /// The standard plugin's host-wide commands: no page of their own;
    /// `dokku <command>:help` prints that command's line alone.
    Standard,
}

/// What `dokku <topic>` does, with no `:subcommand`.
#[derive(Debug, Clone, Copy)]
pub enum Bare {
    /// Prints the help page, whatever arguments follow.
    Help,
    /// Runs the handler with the arguments. With `help_flag`, a `--help`
    /// (or `-h`, `-help`) among the leading flags prints the help page
    /// instead, as Go flag parsing does for apps, config and logs.
    Run {
        /// The handler.
        run: RunFn,
        /// Whether a leading help flag shows the help page.
        help_flag: bool,
    },
    /// Not a command (`dokku builder-null`).
    Unknown,
}

/// A core plugin.
#[derive(Debug, Clone, Copy)]
pub struct CorePlugin {
    /// Dokku's plugin name (`apps`, `nginx-vhosts`).
    pub name: &'static str,
    /// `plugin.toml` description (`dokku core apps plugin`).
    pub description: &'static str,
    /// The description in the help page header and in `dokku help`
    /// (`Manage apps`); empty for a plugin without a help page.
    pub summary: &'static str,
    /// The command namespace if it differs from the name (`nginx` for
    /// nginx-vhosts).
    pub namespace: Option<&'static str>,
    /// Commands (dispatch only; the help page lists [`CorePlugin::help`]).
    pub commands: &'static [Command],
    /// How [`CorePlugin::help`] is laid out.
    pub help_style: HelpStyle,
    /// The help list, one `synopsis, description` entry a line.
    pub help: &'static [&'static str],
    /// What `dokku <namespace> [args...]` does.
    pub bare: Bare,
    /// Registers trigger handlers.
    pub register: fn(&mut Bus),
}

/// The four-space indent of every help list line.
const INDENT: &str = "    ";

impl CorePlugin {
    /// What most core plugins have, for the fields a descriptor leaves to
    /// `..CorePlugin::DEFAULTS`: no namespace of its own, Go-style help,
    /// help for the bare namespace, and (for the rest) no commands, no help
    /// lines, no triggers.
    pub const DEFAULTS: CorePlugin = CorePlugin {
        name: "",
        description: "",
        summary: "",
        namespace: None,
        commands: &[],
        help_style: HelpStyle::Go,
        help: &[],
        bare: Bare::Help,
        register: no_triggers,
    };

    /// A plugin without commands that only answers triggers (the null
    /// builder and scheduler): `dokku <name>` is an unknown command and its
    /// help page is the bare header.
    pub const fn triggers_only(
        name: &'static str,
        description: &'static str,
        summary: &'static str,
        register: fn(&mut Bus),
    ) -> CorePlugin {
        CorePlugin {
            name,
            description,
            summary,
            help_style: HelpStyle::Bash,
            bare: Bare::Unknown,
            register,
            ..CorePlugin::DEFAULTS
        }
    }

    /// The command namespace.
    pub fn ns(&self) -> &'static str {
        self.namespace.unwrap_or(self.name)
    }

    /// The help text of `dokku <ns>:help`: the header, then the list (none
    /// for a plugin without commands, such as builder-null).
    pub fn help_text(&self) -> String {
        let mut s = format!(
            "Usage: dokku {}[:COMMAND]\n\n{}\n\n",
            self.ns(),
            self.summary
        );
        if !self.help.is_empty() {
            s.push_str("Additional commands:\n");
            s.push_str(&self.command_list());
        }
        s
    }

    /// The aligned help list in the plugin's style.
    pub fn command_list(&self) -> String {
        match self.help_style {
            HelpStyle::Go => {
                let rows: Vec<Vec<String>> = self
                    .help
                    .iter()
                    .map(|l| l.split(',').map(|f| f.trim().to_string()).collect())
                    .collect();
                columnize(&rows, INDENT, "  ")
            }
            HelpStyle::Bash | HelpStyle::Standard => {
                let mut lines = self.raw_lines();
                lines.sort();
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                column_table(&refs, ',')
            }
        }
    }

    /// The list as the plugin prints it for `dokku help --all`: every entry
    /// with the indent, unaligned, in list order (an empty entry stays an
    /// empty line).
    pub fn raw_lines(&self) -> Vec<String> {
        self.help
            .iter()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("{INDENT}{l}")
                }
            })
            .collect()
    }

    /// The line the plugin contributes to `dokku help`: the standard
    /// plugin's whole list, otherwise `<topic>, <summary>` (nothing for a
    /// plugin without a summary).
    pub fn short_lines(&self) -> Vec<String> {
        match self.help_style {
            HelpStyle::Standard => self.raw_lines(),
            _ if self.summary.is_empty() => Vec::new(),
            _ => vec![format!("{INDENT}{}, {}", self.ns(), self.summary)],
        }
    }

    /// `dokku <topic>:help` for one of the standard plugin's commands: its
    /// line alone, aligned, without a header.
    pub fn topic_help(&self, topic: &str) -> Option<String> {
        if self.help_style != HelpStyle::Standard {
            return None;
        }
        let line = self
            .raw_lines()
            .into_iter()
            .find(|l| l.trim_start().split([' ', ',']).next() == Some(topic))?;
        Some(column_table(&[line.as_str()], ','))
    }

    /// Find a command by its full name.
    pub fn command(&self, name: &str) -> Option<&'static Command> {
        self.commands.iter().find(|c| c.name == name)
    }
}

/// A registration function that registers nothing.
pub fn no_triggers(_: &mut Bus) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin(style: HelpStyle, help: &'static [&'static str]) -> CorePlugin {
        CorePlugin {
            name: "demo",
            description: "dokku core demo plugin",
            summary: "Manage demos",
            namespace: None,
            commands: &[],
            help_style: style,
            help,
            bare: Bare::Help,
            register: no_triggers,
        }
    }

    const LIST: &[&str] = &[
        "demo:zap <app>, Zaps an app",
        "demo:add [--global|<app>] <key>, Adds a key",
        "demo [--tail] <app>, Shows a demo",
    ];

    /// The help page of the demo plugin with [`LIST`] laid out in `style`,
    /// after the header every style shares.
    fn list_in(style: HelpStyle) -> String {
        let header = "Usage: dokku demo[:COMMAND]\n\nManage demos\n\n";
        let text = plugin(style, LIST).help_text();
        match text.strip_prefix(header) {
            Some(list) => list.to_string(),
            None => panic!("no shared header in {text:?}"),
        }
    }

    #[test]
    fn bash_style_sorts_and_leaves_three_spaces() {
        insta::assert_snapshot!(list_in(HelpStyle::Bash), @r"
        Additional commands:
            demo [--tail] <app>               Shows a demo
            demo:add [--global|<app>] <key>   Adds a key
            demo:zap <app>                    Zaps an app
        ");
    }

    #[test]
    fn go_style_keeps_order_and_leaves_two_spaces() {
        insta::assert_snapshot!(list_in(HelpStyle::Go), @r"
        Additional commands:
            demo:zap <app>                   Zaps an app
            demo:add [--global|<app>] <key>  Adds a key
            demo [--tail] <app>              Shows a demo
        ");
    }

    #[test]
    fn go_style_renders_an_empty_entry_as_the_indent() {
        let text = plugin(HelpStyle::Go, &["demo:a, A", ""]).help_text();
        assert!(text.ends_with("    demo:a  A\n    \n"), "{text:?}");
    }

    #[test]
    fn empty_list_prints_the_header_only() {
        assert_eq!(
            plugin(HelpStyle::Bash, &[]).help_text(),
            "Usage: dokku demo[:COMMAND]\n\nManage demos\n\n"
        );
    }

    #[test]
    fn standard_topics_print_their_line_alone() {
        let p = plugin(
            HelpStyle::Standard,
            &["tidy [<app>], Tidies up", "version , Prints the version"],
        );
        assert_eq!(
            p.topic_help("tidy").as_deref(),
            Some("    tidy [<app>]   Tidies up\n")
        );
        assert_eq!(
            p.topic_help("version").as_deref(),
            Some("    version    Prints the version\n")
        );
        assert_eq!(p.topic_help("nope"), None);
        assert_eq!(p.short_lines().len(), 2);
        assert_eq!(plugin(HelpStyle::Go, LIST).topic_help("demo"), None);
    }

    #[test]
    fn short_line_is_topic_and_summary() {
        assert_eq!(
            plugin(HelpStyle::Go, LIST).short_lines(),
            vec!["    demo, Manage demos".to_string()]
        );
    }
}
