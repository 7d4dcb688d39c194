//! Building an app's `nginx.conf`: gather what the other plugins say about
//! the app (listeners, domains, ports, certificate) through triggers,
//! render the template, check the candidate with `nginx -t` before it
//! replaces the working config, then check the whole server config and
//! reload. A candidate that fails either check leaves the previous config
//! in place and nginx untouched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dokku_core::{fsutil, Error, Result};
use dokku_trigger::deploy::{first_answer, PsCurrentScale};
use dokku_trigger::proxy::{
    answer_is_true, CertsExists, CertsForce, DomainsList, NetworkGetListeners,
    NginxAppTemplateSource, NginxPreReload, PortsConfigure, ProxyGetProperty, ProxyIsEnabled,
    ProxyType,
};
use dokku_trigger::triggers::ConfigExport;
use dokku_trigger::Ctx;

use crate::props::Props;
use crate::server::{Server, Version};
use crate::template;

/// The name of the lock serializing config changes and reloads.
const LOCK: &str = ".nginx-vhosts";

/// The server as configured for this installation.
pub fn server(ctx: &Ctx) -> Server {
    let cmd = dokku_core::property::Properties::new(&ctx.paths, crate::props::STORE)
        .get_str(dokku_core::property::GLOBAL, "nginx-service-command");
    Server::from_env(Some(cmd))
}

/// `$DOKKU_ROOT/<app>/nginx.conf`.
pub fn conf_path(ctx: &Ctx, app: &str) -> PathBuf {
    ctx.paths.app_dir(app).join("nginx.conf")
}

/// `$DOKKU_ROOT/<app>/nginx.conf.d`.
pub fn conf_d(ctx: &Ctx, app: &str) -> PathBuf {
    ctx.paths.app_dir(app).join("nginx.conf.d")
}

/// Where an app's own `nginx.conf.sigil` is kept after a deploy extracted
/// it.
pub fn custom_template_path(ctx: &Ctx, app: &str) -> PathBuf {
    ctx.paths
        .plugin_data_dir(crate::props::PLUGIN)
        .join(format!("app-{app}"))
        .join("nginx.conf.sigil")
}

/// The error pages every app config points at.
pub fn errors_dir(ctx: &Ctx) -> PathBuf {
    ctx.paths
        .plugin_data_dir(crate::props::PLUGIN)
        .join("dokku-errors")
}

fn collect_one(ctx: &Ctx, answers: Result<Vec<String>>) -> String {
    let _ = ctx;
    answers.ok().and_then(first_answer).unwrap_or_default()
}

/// Whether nginx is the proxy of an app and the proxy is enabled.
pub fn nginx_enabled(ctx: &Ctx, app: &str) -> (bool, bool) {
    let kind = collect_one(
        ctx,
        ctx.bus.collect(
            ctx,
            &ProxyType {
                app: app.to_string(),
            },
        ),
    );
    let is_nginx = kind.is_empty() || kind == "nginx";
    let enabled = ctx
        .bus
        .collect(
            ctx,
            &ProxyIsEnabled {
                app: app.to_string(),
            },
        )
        .map(|a| answer_is_true(a, true))
        .unwrap_or(true);
    (is_nginx, enabled)
}

/// Which template renders an app's config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The template shipped in the binary.
    BuiltIn,
    /// The app's own `nginx.conf.sigil`, from its source tree.
    AppSupplied(PathBuf),
    /// A template named by a plugin (`nginx-app-template-source`).
    Plugin(PathBuf),
}

impl Source {
    /// How build output names it.
    pub fn label(&self) -> &'static str {
        match self {
            Source::BuiltIn => "built-in",
            Source::AppSupplied(_) => "app-supplied",
            Source::Plugin(_) => "plugin-supplied",
        }
    }

    fn text(&self) -> Result<String> {
        match self {
            Source::BuiltIn => Ok(template::NGINX_CONF.to_string()),
            Source::AppSupplied(p) | Source::Plugin(p) => {
                std::fs::read_to_string(p).map_err(|e| Error::io("read", p, e))
            }
        }
    }
}

/// Everything a render needs, gathered before any lock is taken.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Template variables.
    pub vars: BTreeMap<String, String>,
    /// The app environment for `var`.
    pub env: BTreeMap<String, String>,
    /// The vhosts served.
    pub vhosts: Vec<String>,
    /// Whether TLS is in use.
    pub ssl: bool,
    /// The template.
    pub source: Source,
}

fn bool_str(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

fn at_least(v: Option<Version>, min: Version) -> bool {
    v.is_some_and(|v| v >= min)
}

/// The feature flags templates test, from the nginx version.
pub fn feature_vars(version: Option<Version>) -> Vec<(&'static str, String)> {
    let http2 = at_least(version, (1, 9, 5));
    vec![
        ("SPDY_SUPPORTED", bool_str(version.is_some() && !http2)),
        ("HTTP2_SUPPORTED", bool_str(http2)),
        (
            "HTTP2_DIRECTIVE_SUPPORTED",
            bool_str(at_least(version, (1, 25, 1))),
        ),
        (
            "HTTP2_PUSH_SUPPORTED",
            bool_str(at_least(version, (1, 13, 9)) && !at_least(version, (1, 25, 1))),
        ),
        ("TLS13_SUPPORTED", bool_str(at_least(version, (1, 13, 0)))),
        ("GRPC_SUPPORTED", bool_str(at_least(version, (1, 13, 10)))),
    ]
}

fn app_env(ctx: &Ctx, app: &str) -> BTreeMap<String, String> {
    ConfigExport::merged_env(ctx, app).unwrap_or_default()
}

/// The template for an app: the app's own (unless disabled), else one a
/// plugin names, else the built-in one. An app without web listeners gets
/// the built-in placeholder config.
pub fn pick_source(ctx: &Ctx, app: &str, props: &Props<'_>, has_listeners: bool) -> Source {
    if !has_listeners {
        return Source::BuiltIn;
    }
    let custom = custom_template_path(ctx, app);
    if props.computed(app, "disable-custom-config") != "true" && custom.is_file() {
        return Source::AppSupplied(custom);
    }
    let t = NginxAppTemplateSource {
        app: app.to_string(),
        template_type: "app-config".into(),
    };
    match collect_one(ctx, ctx.bus.collect(ctx, &t)) {
        p if !p.is_empty() && Path::new(&p).is_file() => Source::Plugin(PathBuf::from(p)),
        _ => Source::BuiltIn,
    }
}

/// Gather the inputs of an app's config. `passed` is the
/// `internal_port`/`internal_ip_address` pair of a `core-post-deploy`.
pub fn gather(ctx: &Ctx, srv: &Server, app: &str, passed: (&str, &str)) -> Result<Inputs> {
    let a = app.to_string();
    let props = Props::new(&ctx.paths, &srv.log_root);
    ctx.bus.notify(ctx, &PortsConfigure { app: a.clone() })?;
    let listeners: Vec<String> = ctx
        .bus
        .collect(
            ctx,
            &NetworkGetListeners {
                app: a.clone(),
                process_type: "web".into(),
            },
        )?
        .concat();
    let ssl = answer_is_true(
        ctx.bus.collect(ctx, &CertsExists { app: a.clone() })?,
        false,
    ) || answer_is_true(ctx.bus.collect(ctx, &CertsForce { app: a.clone() })?, false);
    let vhosts: Vec<String> = ctx
        .bus
        .collect(ctx, &DomainsList { app: a.clone() })?
        .concat();
    let port_maps = dokku_trigger::proxy::port_maps(ctx, app)?;
    let proxy_prop = |key: &str, default: &str| {
        let v = collect_one(
            ctx,
            ctx.bus.collect(
                ctx,
                &ProxyGetProperty {
                    app: a.clone(),
                    key: key.into(),
                },
            ),
        );
        if v.is_empty() {
            default.to_string()
        } else {
            v
        }
    };

    let mut kept: Vec<String> = Vec::new();
    let mut upstream_ports: Vec<u32> = Vec::new();
    let mut first_https: Option<String> = None;
    for m in &port_maps {
        let parts: Vec<&str> = m.split(':').collect();
        if parts.len() != 3 {
            continue;
        }
        if (parts[0] == "https" || parts[0] == "grpcs") && !ssl {
            ctx.out.warn(&format!("Ignoring detected https port mapping without an accompanying ssl certificate ({m})"));
            continue;
        }
        if parts[0] == "https" && first_https.is_none() {
            first_https = Some(parts[1].to_string());
        }
        kept.push(m.clone());
        if let Ok(p) = parts[2].parse::<u32>() {
            upstream_ports.push(p);
        }
    }
    upstream_ports.sort_unstable();
    upstream_ports.dedup();

    let proxy_port = proxy_prop("proxy-port", "80");
    let proxy_ssl_port = proxy_prop(
        "proxy-ssl-port",
        &first_https.unwrap_or_else(|| "443".into()),
    );
    let source = pick_source(ctx, app, &props, !listeners.is_empty());
    let server_names = vhosts.join(" ");

    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    let mut set = |k: &str, v: String| {
        vars.insert(k.to_string(), v);
    };
    set("APP", a.clone());
    set(
        "APP_SSL_PATH",
        ctx.paths.app_dir(app).join("tls").display().to_string(),
    );
    set("DOKKU_ROOT", ctx.paths.dokku_root.display().to_string());
    set("DOKKU_LIB_ROOT", ctx.paths.lib_root.display().to_string());
    set("NOSSL_SERVER_NAME", server_names.clone());
    set(
        "SSL_SERVER_NAME",
        if ssl { server_names } else { String::new() },
    );
    set("SSL_INUSE", if ssl { "true".into() } else { String::new() });
    set("PROXY_PORT", proxy_port.clone());
    set("PROXY_SSL_PORT", proxy_ssl_port.clone());
    set("NGINX_PORT", proxy_port);
    set("NGINX_SSL_PORT", proxy_ssl_port);
    set("PROXY_PORT_MAP", kept.join(" "));
    set(
        "PROXY_UPSTREAM_PORTS",
        upstream_ports
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
    );
    set("RAW_TCP_PORTS", String::new());
    set("DOKKU_APP_LISTENERS", listeners.join(" "));
    set("DOKKU_APP_WEB_LISTENERS", listeners.join(" "));
    set("DOKKU_APP_LISTEN_PORT", passed.0.to_string());
    set("DOKKU_APP_LISTEN_IP", passed.1.to_string());
    set(
        "PASSED_LISTEN_IP_PORT",
        bool_str(!passed.0.is_empty() && !passed.1.is_empty()),
    );
    for (k, v) in feature_vars(srv.version()) {
        set(k, v);
    }
    set("NGINX_LOG_ROOT", srv.log_root.display().to_string());
    for (var, key) in [
        ("NGINX_ACCESS_LOG_FORMAT", "access-log-format"),
        ("NGINX_ACCESS_LOG_PATH", "access-log-path"),
        ("NGINX_ERROR_LOG_PATH", "error-log-path"),
        ("NGINX_BIND_ADDRESS_IP4", "bind-address-ipv4"),
        ("NGINX_BIND_ADDRESS_IP6", "bind-address-ipv6"),
        ("CLIENT_BODY_TIMEOUT", "client-body-timeout"),
        ("CLIENT_HEADER_TIMEOUT", "client-header-timeout"),
        ("CLIENT_MAX_BODY_SIZE", "client-max-body-size"),
        ("KEEPALIVE_TIMEOUT", "keepalive-timeout"),
        ("LINGERING_TIMEOUT", "lingering-timeout"),
        ("PROXY_BUFFER_SIZE", "proxy-buffer-size"),
        ("PROXY_BUFFERING", "proxy-buffering"),
        ("PROXY_BUFFERS", "proxy-buffers"),
        ("PROXY_BUSY_BUFFERS_SIZE", "proxy-busy-buffers-size"),
        ("PROXY_CONNECT_TIMEOUT", "proxy-connect-timeout"),
        ("PROXY_KEEPALIVE", "proxy-keepalive"),
        ("PROXY_READ_TIMEOUT", "proxy-read-timeout"),
        ("PROXY_SEND_TIMEOUT", "proxy-send-timeout"),
        ("SEND_TIMEOUT", "send-timeout"),
        ("UNDERSCORE_IN_HEADERS", "underscore-in-headers"),
        ("PROXY_X_FORWARDED_FOR", "x-forwarded-for-value"),
        ("PROXY_X_FORWARDED_PORT", "x-forwarded-port-value"),
        ("PROXY_X_FORWARDED_PROTO", "x-forwarded-proto-value"),
        ("PROXY_X_FORWARDED_SSL", "x-forwarded-ssl"),
    ] {
        set(var, props.computed(app, key));
    }
    let scale = ctx
        .bus
        .collect(ctx, &PsCurrentScale { app: a.clone() })
        .ok()
        .and_then(|answers| answers.into_iter().next())
        .unwrap_or_default();
    for proc_type in scale.process_types() {
        let l: Vec<String> = ctx
            .bus
            .collect(
                ctx,
                &NetworkGetListeners {
                    app: a.clone(),
                    process_type: proc_type.to_string(),
                },
            )?
            .concat();
        set(
            &format!(
                "DOKKU_APP_{}_LISTENERS",
                proc_type.to_uppercase().replace('-', "_")
            ),
            l.join(" "),
        );
    }
    let env = app_env(ctx, app);
    Ok(Inputs {
        vars,
        env,
        vhosts,
        ssl,
        source,
    })
}

/// Warnings Dokku prints for outdated constructs in a custom template.
pub fn deprecation_warnings(text: &str, http2_directive: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if text.contains("DOKKU_APP_LISTENERS") {
        out.push("Deprecated: Usage of DOKKU_APP_LISTENERS within nginx.conf.sigil templates is deprecated in favor of DOKKU_APP_WEB_LISTENERS");
    }
    if text.contains("NGINX_PORT") {
        out.push("Deprecated: Usage of NGINX_PORT within nginx.conf.sigil templates is deprecated in favor of PROXY_PORT");
    }
    if text.contains("NGINX_SSL_PORT") {
        out.push("Deprecated: Usage of NGINX_SSL_PORT within nginx.conf.sigil templates is deprecated in favor of PROXY_SSL_PORT");
    }
    if http2_directive
        && text
            .lines()
            .any(|l| l.trim_start().starts_with("listen") && l.contains("http2"))
    {
        out.push("Deprecated: Usage of 'listen ... http2' within nginx.conf.sigil templates is deprecated since nginx 1.25.1 in favor of the standalone 'http2 on;' directive");
    }
    out
}

/// The `validate-config` wrapper around a config file.
pub fn wrapper(ctx: &Ctx, app: &str, conf: &Path) -> Result<String> {
    let t = NginxAppTemplateSource {
        app: app.to_string(),
        template_type: "validate-config".into(),
    };
    let custom = collect_one(ctx, ctx.bus.collect(ctx, &t));
    let source = if !custom.is_empty() && Path::new(&custom).is_file() {
        std::fs::read_to_string(&custom).map_err(|e| Error::io("read", &custom, e))?
    } else {
        template::VALIDATE_CONF.to_string()
    };
    let vars = BTreeMap::from([("NGINX_CONF".to_string(), conf.display().to_string())]);
    template::render(&source, &vars, &BTreeMap::new())
        .map_err(|e| Error::other("render validate.conf.sigil", e))
}

/// `nginx -t` of a config on its own, inside the validation wrapper.
pub fn validate_standalone(
    ctx: &Ctx,
    srv: &Server,
    app: &str,
    conf_text: &str,
) -> Result<crate::server::Outcome> {
    let dir = tempfile::Builder::new()
        .prefix("dokku-nginx-")
        .tempdir()
        .map_err(|e| Error::other("create temporary directory", e))?;
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, conf_text).map_err(|e| Error::io("write", &conf, e))?;
    let wrapped = dir.path().join("validate.conf");
    std::fs::write(&wrapped, wrapper(ctx, app, &conf)?)
        .map_err(|e| Error::io("write", &wrapped, e))?;
    srv.test_file(&wrapped)
}

/// The HSTS header value an app's properties ask for, when HSTS applies.
pub fn hsts_header(props: &Props<'_>, app: &str, ssl: bool) -> Option<String> {
    if !ssl || props.computed(app, "hsts") != "true" {
        return None;
    }
    let mut h = String::new();
    let max_age = props.computed(app, "hsts-max-age");
    if !max_age.is_empty() {
        h.push_str(&format!("max-age={max_age}"));
    }
    if props.computed(app, "hsts-include-subdomains") == "true" {
        h.push_str("; includeSubdomains");
    }
    if props.computed(app, "hsts-preload") == "true" {
        h.push_str("; preload");
    }
    Some(h.trim_start_matches("; ").to_string())
}

fn print_contents(ctx: &Ctx, text: &str) {
    ctx.out.write_out(text);
    if !text.ends_with('\n') {
        ctx.out.write_out("\n");
    }
}

/// Show a config nginx refused: `warning`, the config, then nginx's errors.
fn show_refused(ctx: &Ctx, warning: &str, rendered: &str, outcome: &crate::server::Outcome) {
    ctx.out.warn(warning);
    print_contents(ctx, rendered);
    print_nginx_errors(ctx, outcome);
}

/// The failure of an app whose config nginx refused, once it is shown.
fn refused(ctx: &Ctx, app: &str, rendered: &str, outcome: &crate::server::Outcome) -> Error {
    let warning = format!("Failed to validate nginx config for {app}. Contents below...");
    show_refused(ctx, &warning, rendered, outcome);
    Error::fail(format!("Failed to validate nginx config for {app}"))
}

fn print_nginx_errors(ctx: &Ctx, outcome: &crate::server::Outcome) {
    for line in outcome.stderr.lines().filter(|l| !l.trim().is_empty()) {
        ctx.out.write_err(&format!("{line}\n"));
    }
}

/// A file's content before a change, to put back when the change fails.
struct Saved {
    path: PathBuf,
    content: Option<Vec<u8>>,
}

impl Saved {
    fn take(path: PathBuf) -> Saved {
        let content = std::fs::read(&path).ok();
        Saved { path, content }
    }

    fn restore(&self) {
        let _ = match &self.content {
            Some(c) => fsutil::write_atomic(&self.path, c, 0o644),
            None => fsutil::remove_file(&self.path),
        };
    }
}

/// Make sure the error pages exist.
pub fn ensure_error_pages(ctx: &Ctx) -> Result<()> {
    let dir = errors_dir(ctx);
    for (name, body) in crate::pages::PAGES.iter() {
        let p = dir.join(name);
        if !p.is_file() {
            fsutil::write_atomic(&p, body.as_bytes(), 0o644)?;
        }
    }
    Ok(())
}

/// Check the whole server config and reload when nginx runs. On a failed
/// check nothing is reloaded and the check's output is returned.
pub fn test_and_reload(
    ctx: &Ctx,
    srv: &Server,
) -> Result<std::result::Result<(), crate::server::Outcome>> {
    let outcome = srv.test()?;
    if !outcome.ok {
        return Ok(Err(outcome));
    }
    reload(ctx, srv)?;
    Ok(Ok(()))
}

/// Reload a running nginx (a checked config) and wait for its new workers.
fn reload(ctx: &Ctx, srv: &Server) -> Result<()> {
    if srv.is_running() {
        ctx.out.verbose("Reloading nginx");
        let (r, switched) = srv.reload_and_wait(std::time::Duration::from_secs(10))?;
        if !r.ok {
            print_nginx_errors(ctx, &r);
            return Err(Error::fail("Failed to reload nginx"));
        }
        if !switched {
            ctx.out
                .warn("nginx did not start workers with the new configuration; see its error log");
        }
    }
    Ok(())
}

/// Build, check, install and load the nginx config of an app.
pub fn build_config(ctx: &Ctx, app: &str, passed: (&str, &str)) -> Result<()> {
    let srv = server(ctx);
    if !srv.serves(&ctx.paths) || !ctx.paths.app_dir(app).is_dir() {
        return Ok(());
    }
    let (is_nginx, enabled) = nginx_enabled(ctx, app);
    if !is_nginx {
        return Ok(());
    }
    if !enabled {
        return clear_config(ctx, app);
    }
    srv.require_bin()?;
    let inputs = gather(ctx, &srv, app, passed)?;
    let custom = inputs.source != Source::BuiltIn;
    let text = inputs.source.text()?;
    if let Source::AppSupplied(_) = inputs.source {
        ctx.out
            .info1("Overriding default nginx.conf with detected nginx.conf.sigil");
        let http2_directive = inputs
            .vars
            .get("HTTP2_DIRECTIVE_SUPPORTED")
            .is_some_and(|v| v == "true");
        for w in deprecation_warnings(&text, http2_directive) {
            ctx.out.warn(w);
        }
    }
    let rendered = match template::render(&text, &inputs.vars, &inputs.env) {
        Ok(r) => r,
        Err(e) if custom => {
            ctx.out
                .warn("Failed to render custom nginx.conf.sigil. Contents below...");
            print_contents(ctx, &text);
            ctx.out.write_err(&format!("{e}\n"));
            return Err(Error::fail(
                "Custom nginx.conf.sigil failed to render via sigil",
            ));
        }
        Err(e) => return Err(Error::other("render nginx.conf.sigil", e)),
    };
    let mut names: Vec<&String> = inputs.vhosts.iter().collect();
    names.sort();
    names.dedup();
    for v in names {
        ctx.out.info1(&format!(
            "Configuring {v}...(using {} template)",
            inputs.source.label()
        ));
    }

    ensure_error_pages(ctx)?;
    let props = Props::new(&ctx.paths, &srv.log_root);
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, LOCK)?;
    let hsts_path = conf_d(ctx, app).join("hsts.conf");
    let saved_hsts = Saved::take(hsts_path.clone());
    match hsts_header(&props, app, inputs.ssl) {
        Some(h) => {
            let vars = BTreeMap::from([("HSTS_HEADERS".to_string(), h)]);
            let body = template::render(template::HSTS_CONF, &vars, &BTreeMap::new())
                .map_err(|e| Error::other("render hsts.conf.sigil", e))?;
            fsutil::write_atomic(&hsts_path, body.as_bytes(), 0o644)?;
        }
        None => fsutil::remove_file(&hsts_path)?,
    }

    // Many apps at once (a batch): each config is written unchecked, and
    // the whole set is checked and loaded when the batch ends
    // (`finish_batch`).
    let batch = ctx.in_batch();
    if !batch {
        let check = validate_standalone(ctx, &srv, app, &rendered)?;
        if !check.ok {
            saved_hsts.restore();
            if custom {
                show_refused(
                    ctx,
                    "Failed to validate custom nginx.conf.sigil. Rendered output below...",
                    &rendered,
                    &check,
                );
                return Err(Error::fail(
                    "Custom nginx.conf.sigil failed nginx -t validation",
                ));
            }
            return Err(refused(ctx, app, &rendered, &check));
        }
    }

    let path = conf_path(ctx, app);
    let saved = Saved::take(path.clone());
    ctx.out.info1(&format!(
        "Creating {} nginx.conf",
        if inputs.ssl { "https" } else { "http" }
    ));
    fsutil::write_atomic(&path, rendered.as_bytes(), 0o644)?;
    drop(_lock);
    ctx.bus.notify(
        ctx,
        &NginxPreReload {
            app: app.to_string(),
            internal_port: passed.0.into(),
            internal_ip_address: passed.1.into(),
        },
    )?;
    if batch {
        let pending = Pending {
            app: app.to_string(),
            saved,
            saved_hsts,
            rendered,
            custom,
        };
        ctx.with_batch_state::<Batch, _>(|b| b.pending.push(pending));
        ctx.defer(crate::props::PLUGIN, finish_batch);
        return Ok(());
    }
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, LOCK)?;
    if let Err(outcome) = test_and_reload(ctx, &srv)? {
        saved.restore();
        saved_hsts.restore();
        return Err(refused(ctx, app, &rendered, &outcome));
    }
    Ok(())
}

/// An app whose new config waits for the end of a batch.
struct Pending {
    app: String,
    saved: Saved,
    saved_hsts: Saved,
    rendered: String,
    custom: bool,
}

/// The configs written during a batch.
#[derive(Default)]
struct Batch {
    pending: Vec<Pending>,
}

/// The end of a batch: one `nginx -t` over the whole set and one reload.
/// When the set fails, each new config is checked on its own; those that
/// fail are reported and replaced by the app's previous config, the rest
/// are loaded.
fn finish_batch(ctx: &Ctx) -> Result<()> {
    let Some(batch) = ctx.take_batch_state::<Batch>() else {
        return Ok(());
    };
    if batch.pending.is_empty() {
        return Ok(());
    }
    let srv = server(ctx);
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, LOCK)?;
    let mut failed: Vec<String> = Vec::new();
    let outcome = srv.test()?;
    if !outcome.ok {
        for p in &batch.pending {
            let check = validate_standalone(ctx, &srv, &p.app, &p.rendered)?;
            if check.ok {
                continue;
            }
            p.saved.restore();
            p.saved_hsts.restore();
            let warning = format!(
                "Failed to validate {}nginx config for {}. Contents below...",
                if p.custom { "custom " } else { "" },
                p.app
            );
            show_refused(ctx, &warning, &p.rendered, &check);
            failed.push(p.app.clone());
        }
        if failed.is_empty() {
            // Each is valid alone, the set is not (two apps claiming the
            // same thing): keep every app's previous config.
            print_nginx_errors(ctx, &outcome);
            for p in &batch.pending {
                p.saved.restore();
                p.saved_hsts.restore();
                failed.push(p.app.clone());
            }
        }
    }
    if outcome.ok {
        reload(ctx, &srv)?;
    } else if let Err(outcome) = test_and_reload(ctx, &srv)? {
        print_nginx_errors(ctx, &outcome);
        return Err(Error::fail("Failed to reload nginx"));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::fail(format!(
            "Failed to validate nginx config for {}",
            failed.join(", ")
        )))
    }
}

/// Remove an app's nginx config and reload.
pub fn clear_config(ctx: &Ctx, app: &str) -> Result<()> {
    let srv = server(ctx);
    let path = conf_path(ctx, app);
    if !path.exists() {
        return Ok(());
    }
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, LOCK)?;
    fsutil::remove_file(&path)?;
    if srv.serves(&ctx.paths) {
        if let Err(outcome) = test_and_reload(ctx, &srv)? {
            print_nginx_errors(ctx, &outcome);
            return Err(Error::fail("Failed to reload nginx"));
        }
    }
    Ok(())
}

/// Reload after an app's config went away with its directory.
pub fn reload_if_serving(ctx: &Ctx) -> Result<()> {
    let srv = server(ctx);
    if !srv.serves(&ctx.paths) {
        return Ok(());
    }
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, LOCK)?;
    if let Err(outcome) = test_and_reload(ctx, &srv)? {
        print_nginx_errors(ctx, &outcome);
        return Err(Error::fail("Failed to reload nginx"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_by_version() {
        let f: BTreeMap<_, _> = feature_vars(Some((1, 22, 1))).into_iter().collect();
        assert_eq!(f["HTTP2_SUPPORTED"], "true");
        assert_eq!(f["HTTP2_DIRECTIVE_SUPPORTED"], "false");
        assert_eq!(f["SPDY_SUPPORTED"], "false");
        let f: BTreeMap<_, _> = feature_vars(Some((1, 26, 0))).into_iter().collect();
        assert_eq!(f["HTTP2_DIRECTIVE_SUPPORTED"], "true");
        assert_eq!(f["HTTP2_PUSH_SUPPORTED"], "false");
    }

    #[test]
    fn deprecations() {
        assert_eq!(deprecation_warnings("listen 443 ssl http2;", true).len(), 1);
        assert!(deprecation_warnings("listen 443 ssl http2;", false).is_empty());
        assert_eq!(
            deprecation_warnings("{{ .DOKKU_APP_LISTENERS }} {{ .NGINX_SSL_PORT }}", false).len(),
            2
        );
    }
}
