//! The network plugin: docker networks (`network:create`, `:destroy`,
//! `:exists`, `:info`, `:list`), the network properties an app's
//! containers are created and attached with (`network:set`, `:report`,
//! answered to the scheduler through `network-get-property`), and where an
//! app's containers listen (`network-get-listeners`, read from the records
//! the scheduler keeps in the app directory; `network:rebuild` refreshes
//! them).

pub mod commands;
pub mod networks;
pub mod rebuild;
pub mod store;

use dokku_trigger::deploy::{NetworkWriteIpaddr, NetworkWritePort};
use dokku_trigger::plugin::{Bare, HelpStyle};
use dokku_trigger::proxy::{NetworkGetListeners, NetworkGetProperty};
use dokku_trigger::{Bus, Command, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core network plugin",
    summary: "Manage network settings for an app",
    namespace: None,
    commands: &[
        Command {
            name: "network:create",
            takes_app: false,
            run: c::create::run,
        },
        Command {
            name: "network:destroy",
            takes_app: false,
            run: c::destroy::run,
        },
        Command {
            name: "network:exists",
            takes_app: false,
            run: c::exists::run,
        },
        Command {
            name: "network:info",
            takes_app: false,
            run: c::info::run,
        },
        Command {
            name: "network:list",
            takes_app: false,
            run: c::list::run,
        },
        Command {
            name: "network:rebuild",
            takes_app: true,
            run: c::rebuild::run,
        },
        Command {
            name: "network:rebuildall",
            takes_app: false,
            run: c::rebuildall::run,
        },
        Command {
            name: "network:report",
            takes_app: true,
            run: c::report::run,
        },
        Command {
            name: "network:set",
            takes_app: true,
            run: c::set::run,
        },
    ],
    help_style: HelpStyle::Go,
    help: &[
        "network:create <network>, Creates an attachable docker network",
        "network:destroy <network>, Destroys a docker network",
        "network:exists <network>, Checks if a docker network exists",
        "network:info <network> [--format text|json], Outputs information about a docker network",
        "network:list [--format text|json] [--dokku-managed], Lists all docker networks",
        "network:rebuild <app>, Rebuilds network settings for an app",
        "network:rebuildall, Rebuild network settings for all apps",
        "network:report [<app>] [<flag>], Displays a network report for one or more apps",
        "network:set <app> <property> (<value>...), Set or clear a network property for an app",
    ],
    bare: Bare::Help,
    register,
};

fn register(bus: &mut Bus) {
    let p = store::PLUGIN;
    bus.on::<NetworkGetListeners, _>(p, |ctx, t: &NetworkGetListeners| {
        let proc_type = if t.process_type.is_empty() {
            ctx.out.warn("Deprecated: Please specify a processType argument for the network-get-listeners plugin trigger");
            "web"
        } else {
            t.process_type.as_str()
        };
        Ok(store::listeners(&ctx.paths, &t.app, proc_type))
    });
    bus.on::<NetworkGetProperty, _>(p, |ctx, t: &NetworkGetProperty| {
        Ok(store::computed(&ctx.paths, &t.app, &t.key))
    });
    bus.on::<NetworkWriteIpaddr, _>(p, |ctx, t: &NetworkWriteIpaddr| {
        store::write_record(
            &ctx.paths,
            &t.app,
            "IP",
            &t.proc_type,
            &t.container_index,
            &t.ip_address,
        )
    });
    bus.on::<NetworkWritePort, _>(p, |ctx, t: &NetworkWritePort| {
        store::write_record(
            &ctx.paths,
            &t.app,
            "PORT",
            &t.proc_type,
            &t.container_index,
            &t.port,
        )
    });
    commands::report::REPORT.register(bus, p);
}
