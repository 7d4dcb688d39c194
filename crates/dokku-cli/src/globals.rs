//! The global flags that may precede a command (`--quiet`, `--trace`,
//! `--force`, `--app <app>`), parsed with clap.

use clap::Parser;

/// What stands before the command.
#[derive(Debug, Parser)]
#[command(
    name = "dokku",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Globals {
    /// Hide headers so output can be parsed.
    #[arg(long)]
    pub quiet: bool,
    /// Print what is being run.
    #[arg(long)]
    pub trace: bool,
    /// Skip confirmations of destructive commands.
    #[arg(long)]
    pub force: bool,
    /// The app to act on, put before the command's own arguments.
    #[arg(long)]
    pub app: Option<String>,
    /// Remove one-off containers when they exit (accepted for `run`).
    #[arg(long = "rm")]
    pub rm: bool,
    /// Same as `--rm`.
    #[arg(long = "rm-container")]
    pub rm_container: bool,
    /// Run one-off containers detached (accepted for `run`).
    #[arg(long)]
    pub detach: bool,
    /// Print the version.
    #[arg(short = 'v', long = "version")]
    pub version: bool,
    /// Print help.
    #[arg(short = 'h', long = "help")]
    pub help: bool,
    /// The command and its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

impl Globals {
    /// Parse the arguments after the program name. An unknown leading flag is
    /// returned as the command so it is reported like any unknown command.
    pub fn parse_args(args: &[String]) -> Globals {
        let mut full = vec!["dokku".to_string()];
        full.extend(args.iter().cloned());
        match Globals::try_parse_from(&full) {
            Ok(g) => g,
            Err(_) => {
                // Find the first argument clap did not like and treat the
                // rest as the command.
                let first_bad = args
                    .iter()
                    .position(|a| {
                        !matches!(
                            a.as_str(),
                            "--quiet"
                                | "--trace"
                                | "--force"
                                | "--rm"
                                | "--rm-container"
                                | "--detach"
                        ) && !a.starts_with("--app")
                    })
                    .unwrap_or(0);
                let mut g = Globals::try_parse_from(&full[..first_bad + 1]).unwrap_or(Globals {
                    quiet: false,
                    trace: false,
                    force: false,
                    app: None,
                    rm: false,
                    rm_container: false,
                    detach: false,
                    version: false,
                    help: false,
                    command: Vec::new(),
                });
                g.command = args[first_bad..].to_vec();
                g
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use dokku_core::args::owned as v;

    #[test]
    fn leading_flags_then_command() {
        let g = Globals::parse_args(&v(&[
            "--quiet",
            "--app",
            "web",
            "config:set",
            "--no-restart",
            "A=1",
        ]));
        assert!(g.quiet);
        assert_eq!(g.app.as_deref(), Some("web"));
        assert_eq!(g.command, v(&["config:set", "--no-restart", "A=1"]));
        let g = Globals::parse_args(&v(&["--force", "apps:destroy", "x", "--force"]));
        assert!(g.force);
        assert_eq!(g.command, v(&["apps:destroy", "x", "--force"]));
    }

    #[test]
    fn unknown_leading_flag_becomes_the_command() {
        let g = Globals::parse_args(&v(&["--bogus", "apps:list"]));
        assert_eq!(g.command, v(&["--bogus", "apps:list"]));
    }
}
