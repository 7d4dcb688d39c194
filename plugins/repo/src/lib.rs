//! The repo plugin: housekeeping on an app's git repository (`repo:gc`)
//! and on the build cache kept beside it (`repo:purge-cache`).

use std::process::{Command as Proc, Stdio};

use dokku_core::{apps, Error, Result};
use dokku_trigger::plugin::{no_triggers, Bare, Command, HelpStyle};
use dokku_trigger::{CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "repo",
    description: "dokku core repo plugin",
    summary: "Manage the app's repo",
    namespace: None,
    commands: &[
        Command {
            name: "repo:gc",
            takes_app: true,
            run: gc,
        },
        Command {
            name: "repo:purge-cache",
            takes_app: true,
            run: purge_cache,
        },
    ],
    help_style: HelpStyle::Go,
    help: &[
        "repo:gc <app>, Runs 'git gc --aggressive' against the application's repo",
        "repo:purge-cache <app>, Deletes the contents of the build cache stored in the repository",
    ],
    bare: Bare::Help,
    register: no_triggers,
};

fn app_arg(ctx: &Ctx, argv: &[String]) -> Result<String> {
    apps::require(&ctx.paths, argv.first().map(String::as_str))
}

/// `repo:gc <app>`: `git gc --aggressive` in the app's bare repository,
/// its output passed through.
fn gc(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = app_arg(ctx, argv)?;
    let dir = ctx.paths.app_dir(&app);
    let status = Proc::new("git")
        .args(["gc", "--aggressive"])
        .env("GIT_DIR", &dir)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| Error::io("run git gc in", &dir, e))?;
    if !status.success() {
        return Err(Error::exit(status.code().unwrap_or(1)));
    }
    Ok(())
}

/// `repo:purge-cache <app>`: empty `$DOKKU_ROOT/<app>/cache`, keeping the
/// directory. Builders write it as root from inside containers, so the
/// entries are removed whatever their owner (we run with the rights to).
fn purge_cache(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = app_arg(ctx, argv)?;
    let cache = ctx.paths.app_dir(&app).join("cache");
    let Ok(rd) = std::fs::read_dir(&cache) else {
        return Ok(());
    };
    for e in rd.flatten() {
        let p = e.path();
        let removed = match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
            _ => std::fs::remove_file(&p),
        };
        removed.map_err(|err| Error::io("remove", &p, err))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_layout() {
        insta::assert_snapshot!(PLUGIN.help_text(), @"
        Usage: dokku repo[:COMMAND]

        Manage the app's repo

        Additional commands:
            repo:gc <app>           Runs 'git gc --aggressive' against the application's repo
            repo:purge-cache <app>  Deletes the contents of the build cache stored in the repository
        ");
    }
}
