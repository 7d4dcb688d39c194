//! The git plugin: deploys by `git push` (the ssh entries `git-receive-pack`
//! and `git-upload-pack`, the pre-receive hook), from images, archives and
//! remote repositories, and the pipeline every deploy source ends in:
//! extract, build with the selected builder, release and deploy.

pub mod archive;
pub mod commands;
pub mod directory;
pub mod fromarchive;
pub mod git;
pub mod hook;
pub mod image;
pub mod install;
pub mod names;
pub mod props;
pub mod receive;
pub mod repo;
pub mod report;
pub mod set;
pub mod sync;
pub mod worktree;

use dokku_trigger::deploy::{GitDeployBranch, GitGetProperty, GitHasCode, ReceiveApp};
use dokku_trigger::plugin::{Command, RunFn};
use dokku_trigger::{Bus, CorePlugin};

use commands as c;

const fn cmd(name: &'static str, args: &'static str, help: &'static str, run: RunFn) -> Command {
    Command {
        name,
        args,
        help,
        takes_app: true,
        run,
    }
}

const fn hidden(name: &'static str, run: RunFn) -> Command {
    Command {
        name,
        args: "",
        help: "",
        takes_app: false,
        run,
    }
}

/// The commands, in help order; the ssh entries have no help line.
const COMMANDS: &[Command] = &[
    cmd(
        "git:from-archive",
        "[--archive-type ARCHIVE_TYPE] <app> <archive-url> [<git-username> <git-email>]",
        "Updates an app's git repository with a given archive file",
        c::from_archive::run,
    ),
    cmd(
        "git:from-image",
        "[--build-dir DIRECTORY] <app> <docker-image> [<git-username> <git-email>]",
        "Updates an app's git repository with a given docker image",
        c::from_image::run,
    ),
    cmd(
        "git:load-image",
        "[--build-dir DIRECTORY] <app> <docker-image> [<git-username> <git-email>]",
        "Updates an app's git repository with a docker image loaded from stdin",
        c::load_image::run,
    ),
    cmd(
        "git:sync",
        "[--build|--build-if-changes] [--skip-deploy-branch] <app> <repository> [<git-ref>]",
        "Clone or fetch an app from remote git repo",
        c::sync::run,
    ),
    cmd(
        "git:initialize",
        "<app>",
        "Initialize a git repository for an app",
        c::initialize::run,
    ),
    cmd(
        "git:report",
        "[<app>] [<flag>|--format json]",
        "Displays a git report for one or more apps",
        c::report::run,
    ),
    cmd(
        "git:set",
        "<app> <key> (<value>)",
        "Set or clear a git property for an app",
        c::set::run,
    ),
    cmd(
        "git:status",
        "<app>",
        "Show the working tree status for an app",
        c::status::run,
    ),
    cmd(
        "git:unlock",
        "<app> [--force]",
        "Removes previous git clone folder for new deployment",
        c::unlock::run,
    ),
    hidden("git-receive-pack", c::receive_pack::run),
    hidden("git-upload-pack", c::upload_pack::run),
    hidden("git-upload-archive", c::upload_pack::run_archive),
    hidden("git-hook", c::hook::run),
];

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core git plugin",
    summary: "Deploy apps with git push, from images, archives or remote repositories",
    namespace: None,
    commands: COMMANDS,
    default: None,
    register,
};

fn register(bus: &mut Bus) {
    bus.on::<dokku_trigger::triggers::Install, _>(
        props::PLUGIN,
        |ctx, _t: &dokku_trigger::triggers::Install| install::install(ctx),
    );
    bus.on::<ReceiveApp, _>(props::PLUGIN, |ctx, t: &ReceiveApp| {
        receive::receive(ctx, &t.app, t.rev.first().map(String::as_str), None)
    });
    bus.on::<GitGetProperty, _>(props::PLUGIN, |ctx, t: &GitGetProperty| {
        Ok(props::get(&ctx.paths, &t.app, &t.key))
    });
    bus.on::<GitDeployBranch, _>(props::PLUGIN, |ctx, t: &GitDeployBranch| {
        Ok(props::deploy_branch(&ctx.paths, &t.app))
    });
    bus.on::<GitHasCode, _>(props::PLUGIN, |ctx, t: &GitHasCode| {
        let branch = if t.branch_name.is_empty() {
            props::deploy_branch(&ctx.paths, &t.app)
        } else {
            t.branch_name.clone()
        };
        Ok(repo::branch_sha(&ctx.paths, &t.app, &branch)
            .is_some()
            .to_string())
    });
    report::REPORT.register(bus, props::PLUGIN);
}
