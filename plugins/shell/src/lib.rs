//! The shell plugin: `dokku shell`, a prompt that runs dokku commands one
//! line at a time (`apps:list`, `config:show web`, ...), keeping what was
//! typed in `~dokku/.dokku_history`. Each line runs as its own dokku
//! process, so a failing command reports its error and the prompt goes on.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::Command as Proc;

use dokku_core::{Error, Result};
use dokku_trigger::plugin::{no_triggers, Bare, Command, HelpStyle};
use dokku_trigger::{CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "shell",
    description: "dokku core shell plugin",
    summary: "Interactive dokku prompt",
    commands: &[Command {
        name: "shell",
        takes_app: false,
        run,
    }],
    help_style: HelpStyle::Bash,
    help: &["shell, Spawn dokku shell"],
    bare: Bare::Run {
        run,
        help_flag: true,
    },
    register: no_triggers,
    ..CorePlugin::DEFAULTS
};

const PROMPT: &str = "dokku> ";

fn history_file(ctx: &Ctx) -> PathBuf {
    ctx.paths.dokku_root.join(".dokku_history")
}

fn append_history(ctx: &Ctx, line: &str) {
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(history_file(ctx))
    {
        let _ = writeln!(f, "{line}");
    }
}

/// `dokku shell`: read lines until `exit`, `quit` or end of input.
fn run(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    let exe = std::env::current_exe().map_err(|e| Error::other("dokku shell", e))?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        ctx.out.write_out(PROMPT);
        let _ = std::io::stdout().flush();
        let Some(Ok(raw)) = lines.next() else {
            ctx.out.line("");
            return Ok(());
        };
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        append_history(ctx, line);
        match line {
            "exit" | "quit" => return Ok(()),
            "history" => {
                let text = std::fs::read_to_string(history_file(ctx)).unwrap_or_default();
                for (i, l) in text.lines().enumerate() {
                    ctx.out.line(&format!("{:>5}  {l}", i + 1));
                }
                continue;
            }
            _ => {}
        }
        let Some(mut words) = shlex::split(line) else {
            ctx.out.warn("Unable to parse the command line");
            continue;
        };
        // `dokku apps:list` typed at the prompt is `apps:list`.
        if words.first().map(String::as_str) == Some("dokku") {
            words.remove(0);
        }
        if words.first().map(String::as_str) == Some("shell") {
            continue;
        }
        // The child inherits our streams; its exit status is its own
        // business, shown through its own error lines.
        let _ = Proc::new(&exe).args(&words).status();
    }
}
