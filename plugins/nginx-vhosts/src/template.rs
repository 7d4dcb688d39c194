//! The nginx templates, rendered with the framework's Go-template engine
//! (`dokku_template`, the same one the `sigil` entry point uses). As with
//! `cat -s` after sigil, runs of blank lines in the output are squeezed to
//! one.

pub use dokku_template::{render, squeeze_blank_lines};

/// The default app template.
pub const NGINX_CONF: &str = include_str!("../templates/nginx.conf.sigil");
/// The HSTS snippet written to `nginx.conf.d/hsts.conf`.
pub const HSTS_CONF: &str = include_str!("../templates/hsts.conf.sigil");
/// The wrapper a candidate config is checked in with `nginx -t`.
pub const VALIDATE_CONF: &str = include_str!("../templates/validate.conf.sigil");
/// The global `dokku.conf`.
pub const DOKKU_CONF: &str = include_str!("../templates/dokku.conf.sigil");
/// The catch-all default site installed beside `dokku.conf`.
pub const DEFAULT_SITE: &str = include_str!("../templates/default-site.conf");

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_template::vars;
    use std::collections::BTreeMap;

    /// The variables of a deployed app with a certificate, two web
    /// containers and default settings.
    fn deployed_app() -> BTreeMap<String, String> {
        let mut v = vars(&[
            ("APP", "node-js-app"),
            ("APP_SSL_PATH", "/home/dokku/node-js-app/tls"),
            ("DOKKU_ROOT", "/home/dokku"),
            ("DOKKU_LIB_ROOT", "/var/lib/dokku"),
            ("NOSSL_SERVER_NAME", "node-js-app.dokku.me www.example.com"),
            ("SSL_SERVER_NAME", "node-js-app.dokku.me www.example.com"),
            ("SSL_INUSE", "true"),
            ("PROXY_PORT", "80"),
            ("PROXY_SSL_PORT", "443"),
            ("PROXY_PORT_MAP", "http:80:5000 https:443:5000"),
            ("PROXY_UPSTREAM_PORTS", "5000"),
            ("DOKKU_APP_WEB_LISTENERS", "172.17.0.2:5000 172.17.0.3:5000"),
            (
                "NGINX_ACCESS_LOG_PATH",
                "/var/log/nginx/node-js-app-access.log",
            ),
            (
                "NGINX_ERROR_LOG_PATH",
                "/var/log/nginx/node-js-app-error.log",
            ),
            ("NGINX_BIND_ADDRESS_IP6", "::"),
        ]);
        for key in [
            "CLIENT_BODY_TIMEOUT",
            "CLIENT_HEADER_TIMEOUT",
            "PROXY_CONNECT_TIMEOUT",
            "PROXY_READ_TIMEOUT",
            "PROXY_SEND_TIMEOUT",
            "SEND_TIMEOUT",
        ] {
            v.insert(key.into(), "60s".into());
        }
        for (k, val) in [
            ("CLIENT_MAX_BODY_SIZE", "1m"),
            ("KEEPALIVE_TIMEOUT", "75s"),
            ("LINGERING_TIMEOUT", "5s"),
            ("PROXY_BUFFER_SIZE", "4k"),
            ("PROXY_BUFFERING", "on"),
            ("PROXY_BUFFERS", "8 4k"),
            ("PROXY_BUSY_BUFFERS_SIZE", "8k"),
            ("UNDERSCORE_IN_HEADERS", "off"),
            ("PROXY_X_FORWARDED_FOR", "$remote_addr"),
            ("PROXY_X_FORWARDED_PORT", "$server_port"),
            ("PROXY_X_FORWARDED_PROTO", "$scheme"),
            ("HTTP2_SUPPORTED", "true"),
            ("HTTP2_DIRECTIVE_SUPPORTED", "false"),
            ("TLS13_SUPPORTED", "true"),
            ("GRPC_SUPPORTED", "true"),
        ] {
            v.insert(k.into(), val.into());
        }
        v
    }

    #[test]
    fn default_template_of_a_deployed_app_with_tls() {
        let out = render(NGINX_CONF, &deployed_app(), &BTreeMap::new()).expect("render");
        insta::assert_snapshot!("nginx_conf_deployed_tls", out);
    }

    #[test]
    fn default_template_of_an_undeployed_app_answers_502() {
        let mut v = deployed_app();
        v.insert("DOKKU_APP_WEB_LISTENERS".into(), String::new());
        v.insert("SSL_INUSE".into(), String::new());
        v.insert("PROXY_PORT_MAP".into(), "http:80:5000".into());
        let out = render(NGINX_CONF, &v, &BTreeMap::new()).expect("render");
        assert!(out.contains("    return 502;\n"), "{out}");
        assert!(!out.contains("upstream "), "{out}");
        assert!(!out.contains("listen      [::]:443"), "{out}");
    }
}
