//! Triggers of the traffic side: proxy, ports, domains, certificates,
//! network listeners and the nginx proxy, in Dokku's names and argument
//! order (development/plugin-triggers.md).
//!
//! The proxy plugin answers what the app's proxy is; ports, domains and
//! certs answer what it should serve; network answers where the app's
//! containers listen. The nginx-vhosts plugin asks all of them and never
//! reads another plugin's files.

use dokku_core::Result;

use crate::bus::{Dispatch, Trigger};
use crate::triggers::{arg, trigger};

// ---- proxy ----

trigger! {
    /// (Re)build the proxy configuration of an app (answered by the proxy
    /// implementation selected for the app).
    ProxyBuildConfig = "proxy-build-config", Notify -> () { app };
    /// Remove the generated proxy configuration of an app.
    ProxyClearConfig = "proxy-clear-config", Notify -> () { app };
    /// The proxy of an app was enabled.
    ProxyEnable = "proxy-enable", Notify -> () { app };
    /// The proxy of an app was disabled.
    ProxyDisable = "proxy-disable", Notify -> () { app };
    /// Whether the proxy of an app is enabled: `true` or `false` (answered
    /// by proxy).
    ProxyIsEnabled = "proxy-is-enabled", Collect -> bool { app };
    /// The proxy type of an app, computed (answered by proxy; `nginx`
    /// unless set).
    ProxyType = "proxy-type", Collect -> String { app };
    /// One computed proxy property of an app: `proxy-port` or
    /// `proxy-ssl-port` (answered by proxy; empty when unset).
    ProxyGetProperty = "proxy-get-property", Collect -> String { app, key }, internal = true;
}

// ---- network ----

trigger! {
    /// Where the containers of a process type listen, one `ip:port` per
    /// line (answered by network from the scheduler's records).
    NetworkGetListeners = "network-get-listeners", Collect -> Vec<String> { app, process_type = "web" };
    /// One computed network property of an app (answered by network).
    NetworkGetProperty = "network-get-property", Collect -> String { app, key };
}

impl NetworkGetProperty {
    /// The first non-empty answer for one property of an app, trimmed
    /// (empty when none).
    pub fn value(ctx: &crate::Ctx, app: &str, key: &str) -> Result<String> {
        let t = NetworkGetProperty {
            app: app.to_string(),
            key: key.to_string(),
        };
        Ok(crate::deploy::first_answer(ctx.bus.collect(ctx, &t)?).unwrap_or_default())
    }

    /// The names a process type's containers answer to on user networks,
    /// whatever the scheduler: `<app>.<proc>`, and with the app's `tld`
    /// property also `<app>.<proc>.<tld>`.
    pub fn aliases(ctx: &crate::Ctx, app: &str, proc_type: &str) -> Result<Vec<String>> {
        let alias = format!("{app}.{proc_type}");
        let tld = Self::value(ctx, app, "tld")?;
        Ok(if tld.is_empty() {
            vec![alias]
        } else {
            vec![alias.clone(), format!("{alias}.{tld}")]
        })
    }
}

// ---- ports ----

trigger! {
    /// The port mappings of an app in effect, one `scheme:host:container`
    /// per line: the configured ones, else the detected ones (answered by
    /// ports). `format` is empty or `json`.
    PortsGet = "ports-get", Collect -> Vec<String> { app, format = "stdout" };
    /// Make sure an app has the proxy ports it needs before its proxy
    /// config is built (answered by ports).
    PortsConfigure = "ports-configure", Notify -> () { app };
    /// Drop the configured port mappings of an app without rebuilding
    /// anything (answered by ports).
    PortsClear = "ports-clear", Notify -> () { app };
    /// Builders report the port mappings they detected for an app
    /// (answered by ports).
    PortsSetDetected = "ports-set-detected", Notify -> () { app; ..port_maps };
    /// After `ports:add|remove|set|clear`: `action` is the command's verb.
    PostProxyPortsUpdate = "post-proxy-ports-update", Notify -> () { app, action };
}

// ---- domains ----

trigger! {
    /// The domains an app answers on, one per line; empty when its vhosts
    /// are disabled (answered by domains).
    DomainsList = "domains-list", Collect -> Vec<String> { app };
    /// Whether vhosts are enabled for an app: `true` or `false` (answered by
    /// domains).
    DomainsVhostEnabled = "domains-vhost-enabled", Collect -> bool { app };
    /// The URLs of an app, one per line; `url_type` is `url` for the first
    /// one only or `urls` (answered by domains).
    DomainsUrls = "domains-urls", Collect -> Vec<String> { app, url_type };
    /// Add a domain to an app (answered by domains).
    DomainsAdd = "domains-add", Notify -> () { app, domain };
    /// After the domains of an app changed: `action` is `add`, `clear`,
    /// `remove`, `reset` or `set`, followed by the domains.
    PostDomainsUpdate = "post-domains-update", Notify -> () { app, action; ..domains };
    /// Before vhosts are disabled for an app.
    PreDisableVhost = "pre-disable-vhost", Notify -> () { app };
    /// Before vhosts are enabled for an app.
    PreEnableVhost = "pre-enable-vhost", Notify -> () { app };
}

// ---- certs ----

trigger! {
    /// Whether an app has a TLS certificate: `true` or `false` (answered by
    /// certs).
    CertsExists = "certs-exists", Collect -> bool { app };
    /// `true` when a certificate should be assumed for an app (plugins that
    /// terminate TLS elsewhere); empty otherwise.
    CertsForce = "certs-force", Collect -> bool { app };
    /// After a certificate was added or updated.
    PostCertsUpdate = "post-certs-update", Notify -> () { app };
    /// After a certificate was removed.
    PostCertsRemove = "post-certs-remove", Notify -> () { app };
    /// Install the PEM certificate and key found at two paths onto an app,
    /// as `certs:add` does, then tell `post-certs-update` and
    /// `post-domains-update` (answered by certs).
    CertsSet = "certs-set", Notify -> () { app, crt_file, key_file };
    /// Remove an app's own certificate, as `certs:remove` does, then tell
    /// `post-certs-remove` and `post-domains-update`; fails when the app has
    /// none (answered by certs).
    CertsRemove = "certs-remove", Notify -> () { app };
}

// ---- nginx ----

trigger! {
    /// A hostname for an app under a global domain; an empty answer keeps
    /// `<app>.<vhost>`.
    NginxHostname = "nginx-hostname", Collect -> String { app, subdomain, vhost };
    /// The path of a template to use instead of the built-in one:
    /// `template_type` is `app-config`, `hsts-config` or `validate-config`.
    NginxAppTemplateSource = "nginx-app-template-source", Collect -> String { app, template_type };
    /// The path of a template for the global `dokku.conf`.
    NginxDokkuTemplateSource = "nginx-dokku-template-source", Collect -> String {};
    /// Ours, not in Dokku's list, so internal-only: the computed path of an
    /// app's nginx log, `log_type` `access` or `error` (`off` when
    /// disabled), for the scheduler showing it (`scheduler-proxy-logs`).
    NginxLogPath = "nginx-log-path", Collect -> String { app, log_type }, internal = true;
    /// Before nginx reloads for an app.
    NginxPreReload = "nginx-pre-reload", Notify -> () { app, internal_port, internal_ip_address };
}

/// Whether a yes/no collect says yes: any answer `true`; `default` when
/// nobody answered.
pub fn answer_is_true(answers: Vec<bool>, default: bool) -> bool {
    if answers.is_empty() {
        default
    } else {
        answers.into_iter().any(|a| a)
    }
}

/// The port mappings in effect for `app`, one `scheme:host:container`
/// each, as `ports-get` answers them.
pub fn port_maps(ctx: &crate::Ctx, app: &str) -> Result<Vec<String>> {
    let answers = ctx.bus.collect(
        ctx,
        &PortsGet {
            app: app.to_string(),
            format: String::new(),
        },
    )?;
    Ok(answers.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_in_dokku_order() {
        let t = PostDomainsUpdate {
            app: "a".into(),
            action: "add".into(),
            domains: vec!["x.io".into(), "y.io".into()],
        };
        assert_eq!(t.to_args(), vec!["a", "add", "x.io", "y.io"]);
        assert_eq!(
            PostDomainsUpdate::from_args(&t.to_args()).expect("parse"),
            t
        );
        let l =
            NetworkGetListeners::from_args(&["a".to_string(), "web".to_string()]).expect("parse");
        assert_eq!(l.process_type, "web");
        assert!(answer_is_true(vec![false, true], false));
        assert!(!answer_is_true(vec![false], true));
        assert!(answer_is_true(vec![], true));
        assert!(<bool as crate::TriggerOutput>::from_stdout("true\n"));
        assert!(!<bool as crate::TriggerOutput>::from_stdout(""));
        assert_eq!(crate::TriggerOutput::to_stdout(&false), "false\n");
    }
}
