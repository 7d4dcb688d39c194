//! The proxy plugin: which proxy implementation serves an app (`nginx`
//! unless set), whether it is enabled, and the commands that ask the
//! implementation to build, clear, enable or disable an app's config.
//!
//! The implementation itself (nginx-vhosts) listens on the `proxy-*`
//! triggers this plugin fires; it asks `proxy-type` and `proxy-is-enabled`
//! before acting.

pub mod commands;
pub mod install;
pub mod store;

use dokku_trigger::proxy::{ProxyGetProperty, ProxyIsEnabled, ProxyType};
use dokku_trigger::{Bus, Command, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core proxy plugin",
    summary: "Manage the proxy integration for an app",
    commands: &[
        Command {
            name: "proxy:build-config",
            takes_app: true,
            run: c::build_config::run,
        },
        Command {
            name: "proxy:clear-config",
            takes_app: true,
            run: c::clear_config::run,
        },
        Command {
            name: "proxy:disable",
            takes_app: true,
            run: c::disable::run,
        },
        Command {
            name: "proxy:enable",
            takes_app: true,
            run: c::enable::run,
        },
        Command {
            name: "proxy:report",
            takes_app: true,
            run: c::report::run,
        },
        Command {
            name: "proxy:set",
            takes_app: true,
            run: c::set::run,
        },
    ],
    help: &[
        "proxy:build-config [--parallel count] [--all|<app>], (Re)builds config for a given app",
        "proxy:clear-config [--all|<app>], Clears config for a given app",
        "proxy:disable <app>, Disable proxy for app",
        "proxy:enable <app>, Enable proxy for app",
        "proxy:report [<app>] [<flag>], Displays a proxy report for one or more apps",
        "proxy:set <app> <proxy-type>, Set proxy type for app",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    bus.on_install(store::PLUGIN, install::install);
    let p = store::PLUGIN;
    bus.on::<ProxyIsEnabled, _>(p, |ctx, t: &ProxyIsEnabled| {
        Ok(store::is_enabled(&ctx.paths, &t.app))
    });
    bus.on::<ProxyType, _>(p, |ctx, t: &ProxyType| {
        Ok(store::computed(&ctx.paths, &t.app, "type"))
    });
    bus.on::<ProxyGetProperty, _>(p, |ctx, t: &ProxyGetProperty| {
        Ok(store::computed(&ctx.paths, &t.app, &t.key))
    });
    commands::report::REPORT.register(bus, p);
}
