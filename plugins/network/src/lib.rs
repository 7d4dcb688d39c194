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
use dokku_trigger::helpers::{
    NetworkBuildConfig, NetworkClearConfig, NetworkConfigExists, NetworkGetIpaddr,
    NetworkGetStaticListeners, PostContainerCreate,
};
use dokku_trigger::proxy::{NetworkGetListeners, NetworkGetProperty};
use dokku_trigger::triggers::{ContainerArgs, DockerArgsProcessBuild};
use dokku_trigger::{Bus, Command, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core network plugin",
    summary: "Manage network settings for an app",
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
    register,
    ..CorePlugin::DEFAULTS
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
        if store::SCHEMA.prop(&t.key).is_none() {
            return Err(dokku_core::Error::fail(format!(
                "Invalid network property specified: {}",
                t.key
            )));
        }
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
    bus.on::<NetworkConfigExists, _>(p, |ctx, t: &NetworkConfigExists| {
        let dir = ctx.paths.app_dir(&t.app);
        Ok(dir.join("IP.web.1").is_file() && dir.join("PORT.web.1").is_file())
    });
    bus.on::<NetworkGetIpaddr, _>(p, |ctx, t: &NetworkGetIpaddr| {
        container_ip(ctx, &t.app, &t.container_id)
    });
    bus.on::<NetworkGetStaticListeners, _>(p, |ctx, t: &NetworkGetStaticListeners| {
        if t.process_type != "web" {
            return Ok(Vec::new());
        }
        let fixed = store::SCHEMA.raw(&ctx.paths, &t.app, "static-web-listener");
        Ok(fixed.split_whitespace().map(str::to_string).collect())
    });
    // Build containers start on the app's initial network, as deployed
    // and one-off containers do (the scheduler sets those itself).
    bus.on::<DockerArgsProcessBuild, _>(p, |ctx, t: &DockerArgsProcessBuild| {
        let mut args = ContainerArgs::default();
        let network = store::computed(&ctx.paths, &t.app, "initial-network");
        if !network.trim().is_empty() {
            args.options.push(format!("--network={}", network.trim()));
        }
        Ok(args)
    });
    // Build and one-off containers join the attach-post-create networks
    // before they start (deployed ones are joined by the scheduler, with
    // their aliases).
    bus.on::<PostContainerCreate, _>(p, |ctx, t: &PostContainerCreate| {
        if t.kind != "app" || !matches!(t.phase.as_str(), "build" | "run") {
            return Ok(());
        }
        let value = store::computed(&ctx.paths, &t.app, "attach-post-create");
        networks::attach(ctx, &t.container_id, &networks::names(&value))
    });
    bus.on::<NetworkBuildConfig, _>(p, |_ctx, _t: &NetworkBuildConfig| Ok(()));
    bus.on::<NetworkClearConfig, _>(p, |_ctx, _t: &NetworkClearConfig| Ok(()));
    commands::report::REPORT.register(bus, p);
}

/// The address of one of the app's containers on the network it starts
/// in (`initial-network`, else the bridge); `127.0.0.1` on the host
/// network.
fn container_ip(
    ctx: &dokku_trigger::Ctx,
    app: &str,
    container_id: &str,
) -> dokku_core::Result<String> {
    let network = store::computed(&ctx.paths, app, "initial-network");
    if network == "host" {
        return Ok("127.0.0.1".into());
    }
    let info = ctx
        .engine()?
        .inspect_container(container_id)
        .map_err(|e| dokku_core::Error::other("inspect container", e))?;
    let ip = Some(network.as_str())
        .filter(|n| !n.is_empty())
        .and_then(|n| info.ip_address(n))
        .or_else(|| info.ip_address("bridge"))
        .or_else(|| info.first_ip_address());
    Ok(ip.unwrap_or_default().to_string())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use dokku_docker::fake::FakeEngine;
    use dokku_docker::{ContainerEngine, ContainerSpec, ImageInfo, NetworkSpec};
    use dokku_output::Output;
    use dokku_trigger::{Bus, Ctx, Flags};

    use super::*;

    #[test]
    fn build_and_run_containers_get_the_app_networks() {
        let (_dir, paths) = dokku_core::Paths::temp();
        std::fs::create_dir_all(paths.app_dir("app")).expect("app dir");
        store::SCHEMA
            .store(&paths)
            .write_each(&[
                ("app", "initial-network", "first"),
                ("app", "attach-post-create", "post other"),
            ])
            .expect("write");
        let fake = Arc::new(FakeEngine::new());
        fake.add_image("img", ImageInfo::default());
        for n in ["first", "post", "other"] {
            fake.create_network(&NetworkSpec {
                name: n.into(),
                ..NetworkSpec::default()
            })
            .expect("network");
        }
        let mut bus = Bus::new();
        register(&mut bus);
        let ctx = Ctx::with_engine(
            paths,
            Output::captured(false).0,
            Flags::default(),
            Arc::new(bus),
            fake.clone(),
        );

        let args = ctx
            .bus
            .collect(
                &ctx,
                &DockerArgsProcessBuild {
                    app: "app".into(),
                    image_source_type: "herokuish".into(),
                },
            )
            .expect("collect");
        assert_eq!(args[0].options, vec!["--network=first".to_string()]);

        let joined = |phase: &str| {
            let mut spec = ContainerSpec::new("img");
            spec.name = Some(format!("c-{phase}"));
            let id = fake.create_container(&spec).expect("create");
            let t = PostContainerCreate {
                kind: "app".into(),
                container_id: id.clone(),
                app: "app".into(),
                phase: phase.into(),
            };
            ctx.bus.notify(&ctx, &t).expect("notify");
            let mut v: Vec<String> = fake
                .inspect_container(&id)
                .expect("inspect")
                .networks
                .into_keys()
                .collect();
            v.sort();
            v
        };
        assert_eq!(joined("build"), vec!["bridge", "other", "post"]);
        assert_eq!(joined("run"), vec!["bridge", "other", "post"]);
        // Deployed containers are joined by the scheduler, with aliases.
        assert_eq!(joined("deploy"), vec!["bridge"]);
    }
}
