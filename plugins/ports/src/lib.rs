//! The ports plugin: how the proxy maps host ports to an app's container
//! ports (`scheme:host-port:container-port`), configured with `ports:*`
//! or detected from the deployed image.

pub mod commands;
pub mod portmap;
pub mod store;

use dokku_core::{apps, Result};
use dokku_trigger::deploy::PreDeploy;
use dokku_trigger::helpers::{PortsGetAvailable, PortsGetProperty};
use dokku_trigger::migrate;
use dokku_trigger::proxy::{
    PortsClear, PortsConfigure, PortsGet, PortsSetDetected, PostCertsRemove, PostCertsUpdate,
};
use dokku_trigger::{Bus, Command, CorePlugin, Ctx};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core ports plugin",
    summary: "Manage ports for an app",
    commands: &[
        Command {
            name: "ports:add",
            takes_app: true,
            run: c::add::run,
        },
        Command { name: "ports:clear", takes_app: true, run: c::clear::run },
        Command { name: "ports:list", takes_app: true, run: c::list::run },
        Command {
            name: "ports:remove",
            takes_app: true,
            run: c::remove::run,
        },
        Command {
            name: "ports:report",
            takes_app: true,
            run: c::report::run,
        },
        Command {
            name: "ports:set",
            takes_app: true,
            run: c::set::run,
        },
    ],
    help: &[
        "ports:list <app>, List port mappings for app",
        "ports:add <app> [<scheme>:<host-port>:<container-port>...], Add port mappings to an app",
        "ports:clear <app>, Clear all port mappings for an app",
        "ports:remove <app> [<host-port>|<scheme>:<host-port>:<container-port>...], Remove specific port mappings from an app",
        "ports:set <app> [<scheme>:<host-port>:<container-port>...], Set port mappings for an app",
        "ports:report [<app>] [<flag>], Displays a ports report for one or more apps",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

/// Record the mappings the image about to be deployed calls for.
fn detect_from_image(ctx: &Ctx, app: &str, tag: &str) -> Result<()> {
    let (repo, tag) = dokku_trigger::release::deployed_image(ctx, app, tag)?;
    let Ok(engine) = ctx.try_engine() else {
        return Ok(());
    };
    let Ok(info) = engine.image_inspect(&format!("{repo}:{tag}")) else {
        return Ok(());
    };
    let builder = info
        .labels
        .get("com.dokku.builder-type")
        .map(String::as_str)
        .unwrap_or("");
    let maps = store::from_image(&info.exposed_ports, builder);
    if maps != store::stored_detected(&ctx.paths, app) {
        store::set_detected(&ctx.paths, app, &maps)?;
    }
    Ok(())
}

/// The install step: the property root, and each app's deprecated
/// `DOKKU_PROXY_PORT_MAP` moved into its `map` list (only when no map is
/// configured yet; the variable goes either way).
fn install(ctx: &Ctx) -> Result<()> {
    migrate::ensure_property_root(ctx, store::PLUGIN)?;
    migrate::ensure_env_migrated(ctx)?;
    const VAR: &str = "DOKKU_PROXY_PORT_MAP";
    for app in apps::list(&ctx.paths) {
        let owner = migrate::Owner::App(&app);
        let value = migrate::config_value(ctx, owner, VAR)?;
        if value.trim().is_empty() {
            continue;
        }
        if store::configured(&ctx.paths, &app).is_empty() {
            // Entries nginx would refuse are dropped, as a deploy would.
            let maps: Vec<portmap::PortMap> = value
                .split_whitespace()
                .filter_map(|m| portmap::parse(m).ok())
                .collect();
            let stored: Vec<String> = maps.iter().map(ToString::to_string).collect();
            ctx.out.info1(&migrate::deprecated_message(
                store::PLUGIN,
                owner,
                VAR,
                "map",
                &stored.join(" "),
            ));
            store::set_configured(&ctx.paths, &app, &maps)?;
        }
        migrate::unset_config(ctx, owner, VAR)?;
    }
    Ok(())
}

fn register(bus: &mut Bus) {
    let p = store::PLUGIN;
    bus.on_install(p, install);
    bus.on::<PortsGet, _>(p, |ctx, t: &PortsGet| {
        let maps = store::effective(ctx, &t.app);
        Ok(if t.format == "json" {
            vec![portmap::to_json(&maps)]
        } else {
            maps.iter().map(ToString::to_string).collect()
        })
    });
    bus.on::<PortsClear, _>(p, |ctx, t: &PortsClear| {
        store::set_configured(&ctx.paths, &t.app, &[])
    });
    bus.on::<PortsConfigure, _>(p, |_ctx, _t: &PortsConfigure| Ok(()));
    bus.on::<PortsSetDetected, _>(p, |ctx, t: &PortsSetDetected| {
        let maps = portmap::unique(portmap::parse_all(&t.port_maps)?)?;
        store::set_detected(&ctx.paths, &t.app, &maps)
    });
    bus.on::<PostCertsUpdate, _>(p, |ctx, t: &PostCertsUpdate| {
        store::add_ssl_maps(ctx, &t.app)
    });
    bus.on::<PostCertsRemove, _>(p, |ctx, t: &PostCertsRemove| {
        store::remove_ssl_maps(ctx, &t.app)
    });
    bus.on::<PreDeploy, _>(p, |ctx, t: &PreDeploy| {
        detect_from_image(ctx, &t.app, &t.image_tag)
    });
    bus.on::<PortsGetAvailable, _>(p, |_ctx, _t: &PortsGetAvailable| available_port());
    bus.on::<PortsGetProperty, _>(p, |ctx, t: &PortsGetProperty| {
        let maps = match t.key.as_str() {
            "map" => store::configured(&ctx.paths, &t.app),
            "map-detected" => store::stored_detected(&ctx.paths, &t.app),
            other => {
                return Err(dokku_core::Error::fail(format!(
                    "Invalid ports property specified: {other}"
                )))
            }
        };
        Ok(maps
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "))
    });
    commands::report::REPORT.register(bus, p);
}

/// A TCP port above 1024 that nothing listens on now: the one the kernel
/// hands out for an unbound listener.
fn available_port() -> Result<String> {
    let l = std::net::TcpListener::bind(("0.0.0.0", 0))
        .map_err(|e| dokku_core::Error::other("find an available port", e))?;
    let port = l
        .local_addr()
        .map_err(|e| dokku_core::Error::other("find an available port", e))?
        .port();
    Ok(port.to_string())
}
