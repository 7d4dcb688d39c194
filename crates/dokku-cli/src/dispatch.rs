//! From argv to a finished command: global flags, user, environment, then
//! core command, external subcommand or external `commands` script, in the
//! order Dokku tries them.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use dokku_core::{Error, Paths, Result};
use dokku_output::Output;
use dokku_trigger::builds::Capture;
use dokku_trigger::external::{self, Stdout};
use dokku_trigger::triggers::UserAuth;
use dokku_trigger::{Bare, Ctx, Flags, HelpStyle};

use crate::globals::Globals;
use crate::{env, help, multicall, registry, ssh, user};

/// Exit code external plugins use for "not mine".
const NOT_IMPLEMENTED: i32 = 10;

/// Run the program; returns the exit code.
pub fn main(argv: Vec<String>) -> i32 {
    let prog = argv
        .first()
        .map(|a| {
            Path::new(a)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let rest: Vec<String> = argv.iter().skip(1).cloned().collect();
    if let Some(helper) = multicall::Helper::from_prog(&prog) {
        return run_helper(helper, &rest);
    }
    let (args, plugn_mode) = if prog == "plugn" {
        (rest, true)
    } else {
        (rest, false)
    };
    // Run as sshd's forced command, the command line is SSH_ORIGINAL_COMMAND,
    // split without a shell; argv (the login shell's split) is ignored.
    let args = match if plugn_mode {
        None
    } else {
        ssh::take_command()
    } {
        None => args,
        Some(Ok(words)) => words,
        Some(Err(e)) => {
            Output::stdio(false).warn(&e.to_string());
            return 1;
        }
    };

    let globals = if plugn_mode {
        None
    } else {
        Some(Globals::parse_args(&args))
    };
    let vars = env::load();
    let get = |k: &str| vars.get(k).map(|v| !v.is_empty()).unwrap_or(false);
    // Dokku's entry script scans every argument for these three, so they
    // take effect wherever they stand on the command line.
    let anywhere = |f: &str| !plugn_mode && args.iter().any(|a| a == f);
    let flags = match &globals {
        Some(g) => Flags {
            quiet: g.quiet || anywhere("--quiet") || get("DOKKU_QUIET_OUTPUT"),
            force: g.force || anywhere("--force") || get("DOKKU_APPS_FORCE_DELETE"),
            trace: g.trace || anywhere("--trace") || get("DOKKU_TRACE"),
            app: g.app.clone().or_else(|| {
                vars.get("DOKKU_APP_NAME")
                    .filter(|v| !v.is_empty())
                    .cloned()
            }),
            detach: g.detach || get("DOKKU_DETACH_CONTAINER"),
        },
        None => Flags {
            quiet: get("DOKKU_QUIET_OUTPUT"),
            force: get("DOKKU_APPS_FORCE_DELETE"),
            trace: get("DOKKU_TRACE"),
            app: vars
                .get("DOKKU_APP_NAME")
                .filter(|v| !v.is_empty())
                .cloned(),
            detach: get("DOKKU_DETACH_CONTAINER"),
        },
    };
    if flags.trace {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_max_level(tracing::Level::DEBUG)
            .without_time()
            .with_target(false)
            .with_level(false)
            .try_init();
    }
    let paths = Paths::from_map(&vars);
    let out = Output::stdio(flags.quiet);
    env::export(&paths, &vars, &flags);
    if !plugn_mode {
        env::export_global_flags(&args);
    }
    if let Some(g) = &globals {
        // Dokku exports these for `run`, as its main script does.
        if g.rm || g.rm_container {
            std::env::set_var("DOKKU_RM_CONTAINER", "1");
        }
        if g.detach {
            std::env::set_var("DOKKU_DETACH_CONTAINER", "1");
        }
    }

    let result = if plugn_mode {
        let ctx = Ctx::new(paths, out.clone(), flags, Arc::new(registry::bus()));
        plugn(&ctx, &args)
    } else {
        let g = globals.unwrap_or_else(|| Globals::parse_args(&[]));
        run(paths, out.clone(), flags, &g)
    };
    match result {
        Ok(()) => 0,
        Err(e) => report_error(&out, e),
    }
}

/// Run one of the helper programs bash plugins call (the binary started as
/// `prop`, `common`, `config_sub`, `nginx-property` or `sigil`). They act
/// as whoever runs them, on the environment the calling plugin got; the
/// calling command's `--app` is not theirs.
fn run_helper(helper: multicall::Helper, args: &[String]) -> i32 {
    let vars = env::load();
    let get = |k: &str| vars.get(k).map(|v| !v.is_empty()).unwrap_or(false);
    let flags = Flags {
        quiet: get("DOKKU_QUIET_OUTPUT"),
        force: get("DOKKU_APPS_FORCE_DELETE"),
        trace: get("DOKKU_TRACE"),
        app: None,
        detach: get("DOKKU_DETACH_CONTAINER"),
    };
    let paths = Paths::from_map(&vars);
    let out = Output::stdio(flags.quiet);
    env::export(&paths, &vars, &flags);
    let ctx = Ctx::new(paths, out.clone(), flags, Arc::new(registry::bus()));
    match multicall::run(&ctx, helper, args) {
        Ok(()) => 0,
        Err(e) => report_error(&out, e),
    }
}

fn report_error(out: &Output, e: Error) -> i32 {
    let code = e.exit_code();
    let msg = e.to_string();
    if !msg.is_empty() {
        out.warn(&msg);
    }
    code
}

/// `plugn trigger <name> [args...]`, for external plugins that call it.
fn plugn(ctx: &Ctx, args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("trigger") => {
            let name = args
                .get(1)
                .ok_or_else(|| Error::fail("Please specify a trigger"))?;
            ctx.bus.run_raw(ctx, name, &args[2..])
        }
        Some("version") => {
            // Matches the `plugn: dev` head line of `plugin:list`.
            ctx.out.line("dev");
            Ok(())
        }
        Some("list") => dokku_plugin::list::print_plugn_list(ctx),
        // Plugin management as bash plugins call it: the plugin commands.
        Some(op @ ("enable" | "disable" | "uninstall" | "update")) => {
            let mut command = vec![format!("plugin:{op}")];
            command.extend(args[1..].iter().cloned());
            execute(ctx, &command)
        }
        Some("install") => {
            let mut command = vec!["plugin:install".to_string()];
            command.extend(args.get(1).cloned());
            if let Some(name) = args.get(2).filter(|n| !n.is_empty()) {
                command.push("--name".into());
                command.push(name.clone());
            }
            execute(ctx, &command)
        }
        _ => Err(Error::fail("usage: plugn trigger <name> [args...]")),
    }
}

fn version_line(paths: &Paths) -> String {
    let v = std::fs::read_to_string(paths.lib_root.join("VERSION"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_string());
    let v = v.strip_prefix('v').unwrap_or(&v).to_string();
    format!("dokku version {v}")
}

fn run(paths: Paths, out: Output, flags: Flags, g: &Globals) -> Result<()> {
    if g.version {
        out.line(&version_line(&paths));
        return Ok(());
    }
    let command = expand_alias(&g.command);
    let cmd = command.first().cloned().unwrap_or_default();
    if g.help || cmd.is_empty() || cmd == "help" || cmd == "-h" || cmd == "--help" {
        let ctx = Ctx::new(paths, out, flags, Arc::new(registry::bus()));
        let all = command.iter().any(|a| a == "--all");
        let header = !ctx.flags.quiet && std::io::stdin().is_terminal();
        ctx.out.write_out(&help::render(&ctx, all, header));
        return Ok(());
    }
    if cmd == "version" || cmd == "-v" || cmd == "--version" {
        out.line(&version_line(&paths));
        return Ok(());
    }
    user::settle(&cmd, &paths.system_user)?;
    let ctx = Ctx::new(paths, out, flags, Arc::new(registry::bus()));
    authorize(&ctx, &command)?;
    let Some(capture) = start_capture(&ctx, &command)? else {
        return execute(&ctx, &command);
    };
    // A recorded build's log ends with its error line, so the error is
    // printed before the capture stops.
    let code = match execute(&ctx, &command) {
        Ok(()) => 0,
        Err(e) => report_error(&ctx.out, e),
    };
    capture.finish(&ctx, code)?;
    match code {
        0 => Ok(()),
        c => Err(Error::exit(c)),
    }
}

/// Start recording a build when the command is one that builds or
/// deploys an app (its first argument, or `--app`).
fn start_capture(ctx: &Ctx, command: &[String]) -> Result<Option<Capture>> {
    let source = command[0].as_str();
    if !dokku_trigger::builds::SOURCES.contains(&source) {
        return Ok(None);
    }
    let app = ctx
        .flags
        .app
        .clone()
        .or_else(|| command.get(1).filter(|a| !a.starts_with('-')).cloned());
    match app {
        Some(app) => Capture::start(ctx, &app, source),
        None => Ok(None),
    }
}

/// Short topic names Dokku's entry script rewrites to the plugin they stand
/// for, in the command word (`dockerfile:set` is `builder-dockerfile:set`).
const ALIASES: &[(&str, &str)] = &[
    ("docker-local", "scheduler-docker-local"),
    ("dockerfile", "builder-dockerfile"),
    ("herokuish", "builder-herokuish"),
    ("k3s", "scheduler-k3s"),
    ("lambda", "builder-lambda"),
    ("nixpacks", "builder-nixpacks"),
    ("pack", "builder-pack"),
    ("rails", "builder-railpack"),
];

/// The command with an aliased topic in its first word replaced.
fn expand_alias(command: &[String]) -> Vec<String> {
    let mut out = command.to_vec();
    if let Some(first) = out.first_mut() {
        let (topic, rest) = match first.split_once(':') {
            Some((t, r)) => (t, Some(r)),
            None => (first.as_str(), None),
        };
        if let Some((_, target)) = ALIASES.iter().find(|(a, _)| *a == topic) {
            *first = match rest {
                Some(r) => format!("{target}:{r}"),
                None => (*target).to_string(),
            };
        }
    }
    out
}

/// Run the `user-auth` trigger; a failing plugin denies the command.
fn authorize(ctx: &Ctx, command: &[String]) -> Result<()> {
    let t = UserAuth {
        ssh_user: std::env::var("SSH_USER")
            .unwrap_or_else(|_| dokku_core::system::current_user_name()),
        ssh_name: std::env::var("SSH_NAME")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".into()),
        command: command.to_vec(),
    };
    match ctx.bus.notify(ctx, &t) {
        Ok(()) => Ok(()),
        // Root may always take a misbehaving plugin away: a failing
        // user-auth of some plugin must not lock it out of doing so.
        Err(e) if removes_a_plugin(command) && dokku_core::system::is_root() => {
            if !e.to_string().is_empty() {
                ctx.out.warn(&e.to_string());
            }
            ctx.out
                .warn("The user-auth trigger failed; going on, as root removes a plugin");
            Ok(())
        }
        Err(Error::Exit { .. }) => Err(Error::fail("Access denied")),
        Err(e) => Err(e),
    }
}

/// `plugin:disable` and `plugin:uninstall`, which must work however badly
/// the plugin they act on behaves.
fn removes_a_plugin(command: &[String]) -> bool {
    matches!(
        command.first().map(String::as_str),
        Some("plugin:disable" | "plugin:uninstall")
    )
}

/// Route one command (the first element of `command`).
pub fn execute(ctx: &Ctx, command: &[String]) -> Result<()> {
    tracing::debug!("+ dokku {}", command.join(" "));
    let cmd = command[0].as_str();
    let args = &command[1..];
    let (ns, sub) = match cmd.split_once(':') {
        Some((n, s)) => (n, Some(s)),
        None => (cmd, None),
    };
    if let Some(plugin) = registry::by_namespace(ns) {
        match sub {
            None => match plugin.bare {
                Bare::Help => {
                    ctx.out.write_out(&plugin.help_text());
                    return Ok(());
                }
                Bare::Run { run, help_flag } => {
                    if help_flag && asks_for_help(args) {
                        ctx.out.write_out(&plugin.help_text());
                        return Ok(());
                    }
                    return run(ctx, &with_app(ctx, cmd, args, true));
                }
                Bare::Unknown => {}
            },
            Some("help") if plugin.help_style != HelpStyle::Standard => {
                ctx.out.write_out(&plugin.help_text());
                return Ok(());
            }
            Some("help") => {}
            Some(_) => {
                let full = format!("{}:{}", plugin.ns(), sub.unwrap_or_default());
                if let Some(c) = plugin.command(&full) {
                    return (c.run)(ctx, &with_app(ctx, cmd, args, c.takes_app));
                }
            }
        }
    }
    // `<command>:help` of one of the standard plugin's commands.
    if sub == Some("help") {
        if let Some(text) = registry::topic_help(ns) {
            ctx.out.write_out(&text);
            return Ok(());
        }
    }
    // A core command whose name has no namespace (`git-receive-pack`).
    if sub.is_none() {
        if let Some(c) = registry::command(cmd) {
            return (c.run)(ctx, &with_app(ctx, cmd, args, c.takes_app));
        }
    }
    run_external(ctx, command)
}

/// Whether a help flag stands among the leading flags, where Go's flag
/// parsing (which apps, config and logs use) would take it as a usage
/// request.
fn asks_for_help(args: &[String]) -> bool {
    args.iter()
        .take_while(|a| a.starts_with('-') && a.as_str() != "--")
        .any(|a| matches!(a.as_str(), "-h" | "-help" | "--help"))
}

/// Put `--app`'s value in front of the arguments, as Dokku does for core
/// commands (not for `config` commands acting `--global`).
fn with_app(ctx: &Ctx, cmd: &str, args: &[String], takes_app: bool) -> Vec<String> {
    let mut v = Vec::with_capacity(args.len() + 1);
    if let Some(app) = &ctx.flags.app {
        let global_config = cmd.starts_with("config") && args.iter().any(|a| a == "--global");
        if takes_app && !global_config {
            v.push(app.clone());
        }
    }
    v.extend(args.iter().cloned());
    v
}

fn run_external(ctx: &Ctx, command: &[String]) -> Result<()> {
    let cmd = command[0].as_str();
    let ns = cmd.split(':').next().unwrap_or(cmd);
    let enabled = &ctx.paths.plugin_enabled;
    if dokku_core::fsutil::is_single_segment(cmd) {
        let default = enabled.join(cmd).join("subcommands/default");
        if !cmd.contains(':') && external::is_executable(&default) {
            return exit_with(
                external::run(
                    &default,
                    command,
                    &[],
                    Stdout::Inherit,
                    external::Stdin::Inherit,
                )?
                .0,
            );
        }
        if let Some((_, sub)) = cmd.split_once(':') {
            if dokku_core::fsutil::is_single_segment(ns)
                && dokku_core::fsutil::is_single_segment(sub)
            {
                let exe = enabled.join(ns).join("subcommands").join(sub);
                if external::is_executable(&exe) {
                    return exit_with(
                        external::run(
                            &exe,
                            command,
                            &[],
                            Stdout::Inherit,
                            external::Stdin::Inherit,
                        )?
                        .0,
                    );
                }
            }
        }
    }
    for p in external::enabled_community(&ctx.paths) {
        let exe = p.path.join("commands");
        if !external::is_executable(&exe) {
            continue;
        }
        let (code, _) = external::run(
            &exe,
            command,
            &[],
            Stdout::Inherit,
            external::Stdin::Inherit,
        )?;
        if code == NOT_IMPLEMENTED {
            continue;
        }
        return exit_with(code);
    }
    ctx.out
        .warn(&format!("`{}` is not a dokku command.", command.join(" ")));
    ctx.out
        .warn("See `dokku help` for a list of available commands.");
    Err(Error::exit(1))
}

fn exit_with(code: i32) -> Result<()> {
    if code == 0 {
        Ok(())
    } else {
        Err(Error::exit(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use dokku_core::args::owned as v;

    #[test]
    fn aliases_rewrite_the_topic_of_the_first_word_only() {
        for (given, expected) in [
            (
                &["dockerfile:set", "web"][..],
                &["builder-dockerfile:set", "web"][..],
            ),
            (&["pack"], &["builder-pack"]),
            (&["docker-local:help"], &["scheduler-docker-local:help"]),
            (
                &["herokuish:report", "pack"],
                &["builder-herokuish:report", "pack"],
            ),
            (&["apps:list", "pack"], &["apps:list", "pack"]),
            (&["packs"], &["packs"]),
            (&[], &[]),
        ] {
            assert_eq!(expand_alias(&v(given)), v(expected), "{given:?}");
        }
    }

    #[test]
    fn help_flag_counts_among_leading_flags_only() {
        for (args, expected) in [
            (&["--help"][..], true),
            (&["-h"], true),
            (&["--global", "-help"], true),
            (&["web", "--help"], false),
            (&["--", "--help"], false),
            (&[], false),
        ] {
            assert_eq!(asks_for_help(&v(args)), expected, "{args:?}");
        }
    }
}
