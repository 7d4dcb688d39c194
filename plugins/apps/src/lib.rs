//! The apps plugin: creating, listing, renaming, cloning, locking and
//! destroying apps.

pub mod commands;
pub mod install;
pub mod ops;
pub mod report;

use dokku_trigger::deploy::DeploySourceSet;
use dokku_trigger::triggers::{AppIsLocked, AppMaybeCreate, Install};
use dokku_trigger::{Bus, Command, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "apps",
    description: "dokku core apps plugin",
    summary: "Manage apps",
    namespace: None,
    commands: &[
        Command {
            name: "apps:clone",
            args: "<old-app> <new-app>",
            help: "Clones an app",
            takes_app: true,
            run: c::clone::run,
        },
        Command {
            name: "apps:create",
            args: "<app>",
            help: "Create a new app",
            takes_app: true,
            run: c::create::run,
        },
        Command {
            name: "apps:destroy",
            args: "<app>",
            help: "Permanently destroy an app",
            takes_app: true,
            run: c::destroy::run,
        },
        Command {
            name: "apps:exists",
            args: "<app>",
            help: "Checks if an app exists",
            takes_app: true,
            run: c::exists::run,
        },
        Command {
            name: "apps:list",
            args: "[--format stdout|json]",
            help: "List your apps",
            takes_app: false,
            run: c::list::run,
        },
        Command {
            name: "apps:lock",
            args: "<app>",
            help: "Locks an app for deployment",
            takes_app: true,
            run: c::lock::run,
        },
        Command {
            name: "apps:locked",
            args: "<app>",
            help: "Checks if an app is locked for deployment",
            takes_app: true,
            run: c::locked::run,
        },
        Command {
            name: "apps:rename",
            args: "<old-app> <new-app>",
            help: "Rename an app",
            takes_app: true,
            run: c::rename::run,
        },
        Command {
            name: "apps:report",
            args: "[<app>] [<flag>]",
            help: "Display report about an app",
            takes_app: true,
            run: c::report::run,
        },
        Command {
            name: "apps:set",
            args: "[--global] <app> <key> (<value>)",
            help: "Set or clear an apps property for an app",
            takes_app: true,
            run: c::set::run,
        },
        Command {
            name: "apps:unlock",
            args: "<app>",
            help: "Unlocks an app for deployment",
            takes_app: true,
            run: c::unlock::run,
        },
    ],
    default: None,
    register,
};

fn register(bus: &mut Bus) {
    report::REPORT.register(bus, "apps");
    bus.on::<Install, _>("apps", |ctx, _t: &Install| install::install(ctx));
    bus.on::<AppIsLocked, _>("apps", |ctx, t: &AppIsLocked| {
        Ok(ops::is_locked(&ctx.paths, &t.app).to_string())
    });
    bus.on::<AppMaybeCreate, _>("apps", |ctx, t: &AppMaybeCreate| {
        ops::maybe_create(ctx, &t.app)
    });
    bus.on::<DeploySourceSet, _>("apps", |ctx, t: &DeploySourceSet| {
        ops::set_deploy_source(&ctx.paths, &t.app, &t.source_type, &t.metadata)
    });
}
