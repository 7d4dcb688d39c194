//! The nginx-vhosts plugin (commands under `nginx:`): nginx in front of
//! every app, as Dokku runs it. A global `dokku.conf` in nginx's config
//! directory includes each app's `$DOKKU_ROOT/<app>/nginx.conf`; each app
//! config includes `$DOKKU_ROOT/<app>/nginx.conf.d/*.conf`.
//!
//! An app's config is rendered from Dokku's `nginx.conf.sigil` semantics
//! (or the app's own template) whenever what it depends on changes: a
//! deploy switching to new containers (`core-post-deploy`, fired after the
//! new containers pass their checks and before the old ones retire, so
//! nginx moves traffic without dropping a request; scaling web redeploys
//! and fires it again), domains, ports, certificates, proxy settings.
//! Every candidate config is checked with `nginx -t` before it replaces
//! the working one, and nginx is reloaded, never restarted. See
//! [`server`] for where nginx is and how tests run their own instance,
//! and [`template`] for the template engine.

pub mod build;
pub mod commands;
pub mod custom;
pub mod install;
pub mod pages;
pub mod props;
pub mod server;
pub mod template;

use std::collections::BTreeMap;

use dokku_core::{fsutil, Result};
use dokku_trigger::deploy::{first_answer, CorePostDeploy, CorePostExtract};
use dokku_trigger::helpers::{NetworkBuildConfig, NetworkClearConfig, NetworkConfigExists};
use dokku_trigger::plugin::{Bare, HelpStyle};
use dokku_trigger::proxy::{
    NginxDokkuTemplateSource, PostCertsRemove, PostCertsUpdate, PostDomainsUpdate,
    PostProxyPortsUpdate, ProxyBuildConfig, ProxyClearConfig, ProxyDisable, ProxyEnable,
};
use dokku_trigger::triggers::{
    Install, PostAppCloneSetup, PostAppRename, PostAppRenameSetup, PostCreate, PostDelete,
};
use dokku_trigger::{Bus, Command, CorePlugin, Ctx};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core nginx-vhosts plugin",
    summary: "Manage the nginx proxy",
    namespace: Some("nginx"),
    commands: &[
        Command {
            name: "nginx:access-logs",
            takes_app: true,
            run: c::logs::access,
        },
        Command {
            name: "nginx:error-logs",
            takes_app: true,
            run: c::logs::error,
        },
        Command {
            name: "nginx:reload",
            takes_app: false,
            run: c::service::reload,
        },
        Command {
            name: "nginx:report",
            takes_app: true,
            run: c::report::run,
        },
        Command {
            name: "nginx:set",
            takes_app: true,
            run: c::set::run,
        },
        Command {
            name: "nginx:show-config",
            takes_app: true,
            run: c::show_config::run,
        },
        Command {
            name: "nginx:start",
            takes_app: false,
            run: c::service::start,
        },
        Command {
            name: "nginx:stop",
            takes_app: false,
            run: c::service::stop,
        },
        Command {
            name: "nginx:validate-config",
            takes_app: true,
            run: c::validate::run,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "nginx:access-logs <app> [-t], Show the nginx access logs for an application (-t follows)",
        "nginx:error-logs <app> [-t], Show the nginx error logs for an application (-t follows)",
        "nginx:reload, Reloads the nginx server config",
        "nginx:report [<app>] [<flag>], Displays an nginx report for one or more apps",
        "nginx:set <app> <property> (<value>), Set or clear an nginx property for an app",
        "nginx:show-config <app>, Display app nginx config",
        "nginx:start, Starts the nginx server",
        "nginx:stop, Stops the nginx server",
        "nginx:validate-config [<app>] [--clean], Validates and optionally cleans up invalid nginx configurations",
    ],
    bare: Bare::Help,
    register,
};

/// Whether `install` may write `dokku.conf`: the config directory was
/// named explicitly (`DOKKU_NGINX_CONF_DIR`), or this is the installation
/// of the system user (its home is `DOKKU_ROOT`). Scratch installations
/// never take over the host's nginx.
fn owns_global_config(ctx: &Ctx) -> bool {
    let explicit = std::env::var_os("DOKKU_NGINX_CONF_DIR").is_some_and(|v| !v.is_empty());
    explicit
        || dokku_core::system::home_of(&ctx.paths.system_user)
            .is_some_and(|h| h == ctx.paths.dokku_root)
}

/// On a system install (root, the distribution's nginx): the sudoers
/// rule that lets the system user check and drive nginx, Dokku's form for
/// the distro, plus our rule for nginx run without a service manager.
fn write_sudoers(ctx: &Ctx, srv: &server::Server) -> Result<()> {
    let dir = std::path::Path::new("/etc/sudoers.d");
    if srv.is_instance() || !dokku_core::system::is_root() || !dir.is_dir() {
        return Ok(());
    }
    let distro = std::env::var("DOKKU_DISTRO").unwrap_or_default();
    let systemctl = ["/usr/bin/systemctl", "/bin/systemctl"]
        .into_iter()
        .find(|p| dokku_trigger::external::is_executable(std::path::Path::new(p)));
    let sv = std::env::var("DOKKU_INIT_SYSTEM").as_deref() == Ok("sv");
    let has_sv = std::path::Path::new("/usr/bin/sv").exists();
    let Some(init) = install::init_for(&distro, systemctl, sv, has_sv) else {
        return Ok(());
    };
    let bin = srv.bin.display().to_string();
    let group = &ctx.paths.system_group;
    install::write_sudoers(
        &dir.join("dokku-nginx"),
        &install::sudoers_line(group, init, "nginx", &bin),
    )?;
    install::write_sudoers(
        &dir.join("dokku-nginx-signal"),
        &install::signal_line(group, &bin),
    )
}

/// On the host's installation with the distribution's nginx, what Dokku's
/// install changes outside its own files: `server_tokens` lines out of
/// `nginx.conf`, the log root shared with the system user through group
/// `adm`, and the log rotation of nginx adjusted to it.
fn host_setup(ctx: &Ctx, srv: &server::Server) -> Result<()> {
    if srv.is_instance()
        || !dokku_core::system::is_host_install(&ctx.paths.system_user, &ctx.paths.dokku_root)
    {
        return Ok(());
    }
    if let Some(root) = srv.conf_dir.parent() {
        install::edit_host_file(&root.join("nginx.conf"), install::without_server_tokens)?;
    }
    install::share_log_root(&ctx.paths.system_user, &srv.log_root)?;
    install::edit_host_file(
        std::path::Path::new("/etc/logrotate.d/nginx"),
        install::logrotate_for_adm,
    )
}

/// Write the global `dokku.conf` (and the error pages), then reload when
/// nginx runs.
pub fn install(ctx: &Ctx) -> Result<()> {
    let srv = build::server(ctx);
    install::move_property_root(ctx)?;
    dokku_trigger::migrate::ensure_property_root(ctx, props::STORE)?;
    install::write_templates(ctx)?;
    build::ensure_error_pages(ctx)?;
    install::migrate_ports(ctx)?;
    if !owns_global_config(ctx) {
        return Ok(());
    }
    write_sudoers(ctx, &srv)?;
    host_setup(ctx, &srv)?;
    if !srv.conf_dir.is_dir() {
        match srv.conf_dir.parent() {
            Some(parent) if parent.is_dir() => fsutil::ensure_dir(&srv.conf_dir)?,
            _ => return Ok(()),
        }
    }
    if let Some(root) = srv.conf_dir.parent() {
        install::ensure_dhparam(root)?;
    }
    let custom = first_answer(ctx.bus.collect(ctx, &NginxDokkuTemplateSource {})?)
        .filter(|p| std::path::Path::new(p).is_file());
    let source = match custom {
        Some(p) => std::fs::read_to_string(&p).map_err(|e| dokku_core::Error::io("read", &p, e))?,
        None => template::DOKKU_CONF.to_string(),
    };
    let nginx_root = srv
        .conf_dir
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let dhparam = format!("{nginx_root}/dhparam.pem");
    let vars = BTreeMap::from([
        (
            "DOKKU_ROOT".to_string(),
            ctx.paths.dokku_root.display().to_string(),
        ),
        ("NGINX_ROOT".to_string(), nginx_root),
        (
            "DHPARAM".to_string(),
            if std::path::Path::new(&dhparam).is_file() {
                dhparam
            } else {
                String::new()
            },
        ),
    ]);
    let body = template::render(&source, &vars, &BTreeMap::new())
        .map_err(|e| dokku_core::Error::other("render dokku.conf.sigil", e))?;
    fsutil::write_atomic(&srv.dokku_conf(), body.as_bytes(), 0o644)?;
    install::write_hash_bucket_include(&srv.conf_dir)?;
    if srv.bin.is_file() && srv.is_running() {
        build::reload_if_serving(ctx)?;
    }
    Ok(())
}

fn rebuild(ctx: &Ctx, app: &str) -> Result<()> {
    build::build_config(ctx, app, ("", ""))
}

/// Whether the app exists and nginx is its proxy.
fn proxied_by_nginx(ctx: &Ctx, app: &str) -> bool {
    ctx.paths.app_dir(app).is_dir() && build::nginx_enabled(ctx, app).0
}

/// `proxy-build-config`: as Dokku's nginx proxy does, the network records
/// are rebuilt first (`network-build-config`) when the app has some
/// (`network-config-exists`), then the config. The reference only says
/// proxy implementations fire it from there; the condition is a guess.
fn proxy_build_config(ctx: &Ctx, app: &str) -> Result<()> {
    if proxied_by_nginx(ctx, app) {
        let has = dokku_trigger::proxy::answer_is_true(
            ctx.bus
                .collect(ctx, &NetworkConfigExists { app: app.into() })?,
            false,
        );
        if has {
            ctx.bus
                .notify(ctx, &NetworkBuildConfig { app: app.into() })?;
        }
    }
    rebuild(ctx, app)
}

/// `proxy-clear-config`: the network records the proxy used are let go
/// of (`network-clear-config`), then the config removed.
fn proxy_clear_config(ctx: &Ctx, app: &str) -> Result<()> {
    if proxied_by_nginx(ctx, app) {
        ctx.bus
            .notify(ctx, &NetworkClearConfig { app: app.into() })?;
    }
    build::clear_config(ctx, app)
}

fn register(bus: &mut Bus) {
    let p = props::PLUGIN;
    bus.on::<CorePostDeploy, _>(p, |ctx, t: &CorePostDeploy| {
        build::build_config(ctx, &t.app, (&t.internal_port, &t.internal_ip_address))
    });
    bus.on::<dokku_trigger::proxy::NginxLogPath, _>(
        p,
        |ctx, t: &dokku_trigger::proxy::NginxLogPath| {
            Ok(commands::logs::log_path(ctx, &t.app, &t.log_type))
        },
    );
    bus.on::<ProxyBuildConfig, _>(p, |ctx, t: &ProxyBuildConfig| {
        proxy_build_config(ctx, &t.app)
    });
    bus.on::<ProxyEnable, _>(p, |ctx, t: &ProxyEnable| rebuild(ctx, &t.app));
    bus.on::<PostDomainsUpdate, _>(p, |ctx, t: &PostDomainsUpdate| rebuild(ctx, &t.app));
    bus.on::<PostProxyPortsUpdate, _>(p, |ctx, t: &PostProxyPortsUpdate| rebuild(ctx, &t.app));
    bus.on::<PostCertsUpdate, _>(p, |ctx, t: &PostCertsUpdate| rebuild(ctx, &t.app));
    bus.on::<PostCertsRemove, _>(p, |ctx, t: &PostCertsRemove| rebuild(ctx, &t.app));
    bus.on::<ProxyDisable, _>(p, |ctx, t: &ProxyDisable| build::clear_config(ctx, &t.app));
    bus.on::<ProxyClearConfig, _>(p, |ctx, t: &ProxyClearConfig| {
        proxy_clear_config(ctx, &t.app)
    });
    bus.on::<CorePostExtract, _>(p, |ctx, t: &CorePostExtract| {
        custom::extract(ctx, &t.app, std::path::Path::new(&t.tmp_work_dir))
    });
    // A new app answers 502 on its domains until it is deployed. The
    // placeholder is a courtesy: failing to write it does not fail the
    // creation, and it prints nothing.
    bus.on::<PostCreate, _>(p, |ctx, t: &PostCreate| {
        let mut quiet = ctx.clone();
        quiet.out = dokku_output::Output::captured(true).0;
        if let Err(e) = build::build_config(&quiet, &t.app, ("", "")) {
            ctx.out.warn(&format!(
                "Failed to write the placeholder nginx config for {}: {e}",
                t.app
            ));
        }
        Ok(())
    });
    bus.on::<PostDelete, _>(p, |ctx, t: &PostDelete| {
        let data = build::custom_template_path(ctx, &t.app);
        if let Some(dir) = data.parent() {
            fsutil::remove_dir_all(dir)?;
        }
        build::reload_if_serving(ctx)
    });
    bus.on::<PostAppCloneSetup, _>(p, |ctx, t: &PostAppCloneSetup| {
        fsutil::remove_file(&build::conf_path(ctx, &t.new_app))
    });
    // The copied config names the old app's upstreams: while both apps'
    // directories exist, nginx would see every upstream twice.
    bus.on::<PostAppRenameSetup, _>(p, |ctx, t: &PostAppRenameSetup| {
        fsutil::remove_file(&build::conf_path(ctx, &t.new_app))
    });
    bus.on::<PostAppRename, _>(p, |ctx, t: &PostAppRename| {
        let old = build::custom_template_path(ctx, &t.old_app);
        if old.is_file() {
            let text = std::fs::read(&old).map_err(|e| dokku_core::Error::io("read", &old, e))?;
            fsutil::write_atomic(&build::custom_template_path(ctx, &t.new_app), &text, 0o644)?;
            if let Some(dir) = old.parent() {
                fsutil::remove_dir_all(dir)?;
            }
        }
        fsutil::remove_file(&build::conf_path(ctx, &t.new_app))?;
        rebuild(ctx, &t.new_app)
    });
    bus.on::<Install, _>(p, |ctx, _t: &Install| install(ctx));
    commands::report::REPORT.register(bus, p);
}
