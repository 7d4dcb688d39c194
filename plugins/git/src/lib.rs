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
pub mod netrc;
pub mod props;
pub mod receive;
pub mod repo;
pub mod report;
pub mod set;
pub mod sync;
pub mod worktree;

use dokku_trigger::deploy::{GitDeployBranch, GitGetProperty, GitHasCode, ReceiveApp};
use dokku_trigger::helpers::GitRevision;
use dokku_trigger::plugin::Command;
use dokku_trigger::plugin::{cmd, global_cmd, HelpStyle};
use dokku_trigger::{Bus, CorePlugin};

use commands as c;

/// The commands; the ssh entries are reached by their bare names.
const COMMANDS: &[Command] = &[
    global_cmd("git:allow-host", c::auth::allow_host),
    global_cmd("git:auth", c::auth::auth),
    global_cmd("git:auth-status", c::auth::auth_status),
    global_cmd("git:generate-deploy-key", c::auth::generate_deploy_key),
    global_cmd("git:public-key", c::auth::public_key),
    cmd("git:from-archive", c::from_archive::run),
    cmd("git:from-image", c::from_image::run),
    cmd("git:load-image", c::load_image::run),
    cmd("git:sync", c::sync::run),
    cmd("git:initialize", c::initialize::run),
    cmd("git:report", c::report::run),
    cmd("git:set", c::set::run),
    cmd("git:status", c::status::run),
    cmd("git:unlock", c::unlock::run),
    global_cmd("git-receive-pack", c::receive_pack::run),
    global_cmd("git-upload-pack", c::upload_pack::run),
    global_cmd("git-upload-archive", c::upload_pack::run_archive),
    global_cmd("git-hook", c::hook::run),
];

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core git plugin",
    summary: "Manage app deploys via git",
    commands: COMMANDS,
    help_style: HelpStyle::Bash,
    help: &[
        "git:allow-host <host>, Adds a host to known_hosts",
        "git:auth <host> [<username> <password>], Configures netrc authentication for a given git server",
        "git:auth-status <host> [<username> <password>], Reports whether the netrc entry matches the requested state (exit 0 if matches)",
        "git:from-archive <app> <archive-url> [<git-username> <git-email>], Updates an app's git repository with a given archive file",
        "git:from-image <app> <docker-image> [<git-username> <git-email>], Updates an app's git repository with a given docker image",
        "git:generate-deploy-key, Generates a deploy ssh key",
        "git:initialize <app>, Initialize a git repository for an app",
        "git:load-image <app> <docker-image> [<git-username> <git-email>], Updates an app's git repository with a docker image loaded from stdin",
        "git:public-key, Outputs the dokku public deploy key",
        "git:report [<app>] [<flag>], Displays a git report for one or more apps",
        "git:set <app> <property> (<value>), Set or clear a git property for an app",
        "git:status <app>, show the working tree status for an app",
        "git:sync [--build|--build-if-changes] [--skip-deploy-branch] <app> <repository> [<git-ref>], Clone or fetch an app from remote git repo",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    bus.on_install(props::PLUGIN, install::install);
    // A new app is a bare repository with its hook from the start, so a
    // first push finds everything in place.
    bus.on::<dokku_trigger::triggers::PostCreate, _>(
        props::PLUGIN,
        |ctx, t: &dokku_trigger::triggers::PostCreate| repo::initialize(&ctx.paths, &t.app),
    );
    bus.on::<ReceiveApp, _>(props::PLUGIN, |ctx, t: &ReceiveApp| {
        receive::receive(ctx, &t.app, t.rev.first().map(String::as_str), None)
    });
    bus.on::<GitGetProperty, _>(props::PLUGIN, |ctx, t: &GitGetProperty| {
        Ok(props::get(&ctx.paths, &t.app, &t.key))
    });
    bus.on::<GitRevision, _>(props::PLUGIN, |ctx, t: &GitRevision| {
        let branch = props::deploy_branch(&ctx.paths, &t.app);
        Ok(repo::branch_sha(&ctx.paths, &t.app, &branch).unwrap_or_default())
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
        Ok(repo::branch_sha(&ctx.paths, &t.app, &branch).is_some())
    });
    report::REPORT.register(bus, props::PLUGIN);
}
