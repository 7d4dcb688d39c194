//! The domains plugin: the names an app answers on (`domains:*`), the
//! global domains new apps get `<app>.<domain>` under, and whether vhosts
//! are used at all for an app.

pub mod commands;
pub mod ops;
pub mod store;
pub mod urls;
pub mod validate;

use dokku_core::Result;
use dokku_trigger::deploy::AppUrls;
use dokku_trigger::helpers::{DomainsDisable, DomainsEnable};
use dokku_trigger::plugin::HelpStyle;
use dokku_trigger::proxy::{DomainsAdd, DomainsList, DomainsUrls, DomainsVhostEnabled};
use dokku_trigger::triggers::{PostAppCloneSetup, PostAppRename, PostCreate};
use dokku_trigger::{Bus, Command, CorePlugin, Ctx};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core domains plugin",
    summary: "Manage domains used by the proxy",
    commands: &[
        Command {
            name: "domains:add",
            takes_app: true,
            run: c::add::run,
        },
        Command {
            name: "domains:add-global",
            takes_app: false,
            run: c::add::run_global,
        },
        Command {
            name: "domains:clear",
            takes_app: true,
            run: c::clear::run,
        },
        Command {
            name: "domains:clear-global",
            takes_app: false,
            run: c::clear::run_global,
        },
        Command {
            name: "domains:disable",
            takes_app: true,
            run: c::toggle::disable,
        },
        Command {
            name: "domains:enable",
            takes_app: true,
            run: c::toggle::enable,
        },
        Command {
            name: "domains:remove",
            takes_app: true,
            run: c::remove::run,
        },
        Command {
            name: "domains:remove-global",
            takes_app: false,
            run: c::remove::run_global,
        },
        Command {
            name: "domains:report",
            takes_app: true,
            run: c::report::run,
        },
        Command {
            name: "domains:reset",
            takes_app: true,
            run: c::set::reset,
        },
        Command {
            name: "domains:set",
            takes_app: true,
            run: c::set::run,
        },
        Command {
            name: "domains:set-global",
            takes_app: false,
            run: c::set::run_global,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "domains:add <app> <domain> [<domain> ...], Add domains to app",
        "domains:add-global <domain> [<domain> ...], Add global domain names",
        "domains:clear <app>, Clear all domains for app",
        "domains:clear-global, Clear global domain names",
        "domains:disable <app>, Disable VHOST support",
        "domains:enable <app>, Enable VHOST support",
        "domains:remove <app> <domain> [<domain> ...], Remove domains from app",
        "domains:remove-global <domain> [<domain> ...], Remove global domain names",
        "domains:report [<app>|--global] [<flag>], Displays a domains report for one or more apps",
        "domains:reset <app>, Reset app domains to global-configured domains",
        "domains:set <app> <domain> [<domain> ...], Set domains for app",
        "domains:set-global <domain> [<domain> ...], Set global domain names",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

/// Write the default domains of a new app, as Dokku does on creation.
fn setup(ctx: &Ctx, app: &str) -> Result<()> {
    let defaults = store::defaults(ctx, app);
    if defaults.is_empty() {
        return Ok(());
    }
    store::set_app(&ctx.paths, app, &defaults)
}

fn register(bus: &mut Bus) {
    let p = store::PLUGIN;
    bus.on::<DomainsList, _>(p, |ctx, t: &DomainsList| Ok(store::served(ctx, &t.app)));
    bus.on::<DomainsEnable, _>(p, |ctx, t: &DomainsEnable| {
        dokku_core::apps::verify(&ctx.paths, &t.app)?;
        ops::enable_app(ctx, &t.app, t.restart_app)
    });
    bus.on::<DomainsDisable, _>(p, |ctx, t: &DomainsDisable| {
        dokku_core::apps::verify(&ctx.paths, &t.app)?;
        ops::disable_app(ctx, &t.app, t.restart_app)
    });
    bus.on::<DomainsVhostEnabled, _>(p, |ctx, t: &DomainsVhostEnabled| {
        Ok(store::vhost_enabled(ctx, &t.app))
    });
    bus.on::<DomainsUrls, _>(p, |ctx, t: &DomainsUrls| {
        let mut urls = urls::urls(ctx, &t.app);
        if t.url_type == "url" {
            urls.truncate(1);
        }
        Ok(urls)
    });
    bus.on::<AppUrls, _>(p, |ctx, t: &AppUrls| {
        if store::served(ctx, &t.app).is_empty() {
            return Ok(Vec::new());
        }
        let mut urls = urls::urls(ctx, &t.app);
        if t.url_type == "url" {
            urls.truncate(1);
        }
        Ok(urls)
    });
    bus.on::<DomainsAdd, _>(p, |ctx, t: &DomainsAdd| {
        ops::add(ctx, &t.app, std::slice::from_ref(&t.domain))
    });
    bus.on::<PostCreate, _>(p, |ctx, t: &PostCreate| setup(ctx, &t.app));
    bus.on::<PostAppCloneSetup, _>(p, |ctx, t: &PostAppCloneSetup| {
        store::remove_app_file(&ctx.paths, &t.new_app)?;
        setup(ctx, &t.new_app)
    });
    bus.on::<PostAppRename, _>(p, |ctx, t: &PostAppRename| {
        let Some(list) = store::stored(&ctx.paths, &t.new_app) else {
            return Ok(());
        };
        let head = format!("{}.", t.old_app);
        let renamed: Vec<String> = list
            .into_iter()
            .map(|d| match d.strip_prefix(&head) {
                Some(rest) if store::global(&ctx.paths).iter().any(|g| g == rest) => {
                    format!("{}.{rest}", t.new_app)
                }
                _ => d,
            })
            .collect();
        store::set_app(&ctx.paths, &t.new_app, &renamed)
    });
    commands::report::REPORT.register(bus, p);
}
