//! The apps plugin: creating, listing, renaming, cloning, locking and
//! destroying apps.

pub mod commands;
pub mod install;
pub mod ops;
pub mod report;

use dokku_trigger::deploy::DeploySourceSet;
use dokku_trigger::helpers::{filter_apps, AppCreate, AppDestroy, AppExists, AppList};
use dokku_trigger::plugin::Bare;
use dokku_trigger::triggers::{AppIsLocked, AppMaybeCreate};
use dokku_trigger::{Bus, Command, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "apps",
    description: "dokku core apps plugin",
    summary: "Manage apps",
    commands: &[
        Command {
            name: "apps:clone",
            takes_app: true,
            run: c::clone::run,
        },
        Command {
            name: "apps:create",
            takes_app: true,
            run: c::create::run,
        },
        Command {
            name: "apps:destroy",
            takes_app: true,
            run: c::destroy::run,
        },
        Command {
            name: "apps:exists",
            takes_app: true,
            run: c::exists::run,
        },
        Command {
            name: "apps:list",
            takes_app: false,
            run: c::list::run,
        },
        Command {
            name: "apps:lock",
            takes_app: true,
            run: c::lock::run,
        },
        Command {
            name: "apps:locked",
            takes_app: true,
            run: c::locked::run,
        },
        Command {
            name: "apps:rename",
            takes_app: true,
            run: c::rename::run,
        },
        Command {
            name: "apps:report",
            takes_app: true,
            run: c::report::run,
        },
        Command {
            name: "apps:set",
            takes_app: true,
            run: c::set::run,
        },
        Command {
            name: "apps:unlock",
            takes_app: true,
            run: c::unlock::run,
        },
    ],
    help: &[
        "apps:clone <old-app> <new-app>, Clones an app",
        "apps:create <app>, Create a new app",
        "apps:destroy <app>, Permanently destroy an app",
        "apps:exists <app>, Checks if an app exists",
        "apps:list [--format stdout|json], List your apps",
        "apps:lock <app>, Locks an app for deployment",
        "apps:locked <app>, Checks if an app is locked for deployment",
        "apps:rename <old-app> <new-app>, Rename an app",
        "apps:report [<app>] [<flag>], Display report about an app",
        "apps:set <app>|--global <key> <value>, Set or clear an apps property",
        "apps:unlock <app>, Unlocks an app for deployment",
    ],
    bare: Bare::Run {
        run: commands::list::run,
        help_flag: true,
    },
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    report::REPORT.register(bus, "apps");
    bus.on_install("apps", install::install);
    bus.on::<AppIsLocked, _>("apps", |ctx, t: &AppIsLocked| {
        Ok(ops::is_locked(&ctx.paths, &t.app))
    });
    bus.on::<AppMaybeCreate, _>("apps", |ctx, t: &AppMaybeCreate| {
        ops::maybe_create(ctx, &t.app)
    });
    bus.on::<DeploySourceSet, _>("apps", |ctx, t: &DeploySourceSet| {
        ops::set_deploy_source(&ctx.paths, &t.app, &t.source_type, &t.metadata)
    });
    bus.on::<AppCreate, _>("apps", |ctx, t: &AppCreate| ops::create(ctx, &t.app));
    bus.on::<AppDestroy, _>("apps", |ctx, t: &AppDestroy| {
        dokku_core::apps::verify(&ctx.paths, &t.app)?;
        ops::refuse_locked(ctx, &t.app)?;
        ops::destroy(ctx, &t.app)
    });
    bus.on::<AppExists, _>("apps", |ctx, t: &AppExists| {
        dokku_core::apps::verify(&ctx.paths, &t.app)
    });
    bus.on::<AppList, _>("apps", |ctx, t: &AppList| {
        let all = dokku_core::apps::list(&ctx.paths);
        if matches!(
            t.filtered.as_str(),
            "false" | "0" | "f" | "F" | "FALSE" | "False"
        ) {
            return Ok(all);
        }
        filter_apps(ctx, all)
    });
}
