//! The nginx properties `nginx:set` manages, per app and global, and their
//! computed values (app, else global, else the default).

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::Paths;

/// The plugin's name (and its data directory).
pub const PLUGIN: &str = "nginx-vhosts";
/// The property namespace: `config/nginx/<app|--global>/<key>`.
pub const STORE: &str = "nginx";

/// Every settable property, in the order the schema declares them
/// (sorted).
pub fn keys() -> impl Iterator<Item = &'static str> {
    crate::commands::report::SCHEMA.props.iter().map(|p| p.key)
}

/// The memory page size, for the proxy buffer defaults.
fn page_kib() -> u64 {
    match nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE) {
        Ok(Some(n)) if n > 0 => (n as u64 / 1024).max(1),
        _ => 4,
    }
}

/// The default of a property for an app; `log_root` is where app logs go.
pub fn default(key: &str, app: &str, log_root: &str) -> String {
    let page = page_kib();
    match key {
        "access-log-path" => format!("{log_root}/{app}-access.log"),
        "error-log-path" => format!("{log_root}/{app}-error.log"),
        "bind-address-ipv6" => "::".into(),
        "client-body-timeout"
        | "client-header-timeout"
        | "proxy-connect-timeout"
        | "proxy-read-timeout"
        | "proxy-send-timeout"
        | "send-timeout" => "60s".into(),
        "client-max-body-size" => "1m".into(),
        "disable-custom-config" | "hsts-preload" => "false".into(),
        "hsts" | "hsts-include-subdomains" => "true".into(),
        "hsts-max-age" => "15724800".into(),
        "keepalive-timeout" => "75s".into(),
        "lingering-timeout" => "5s".into(),
        "nginx-conf-sigil-path" => "nginx.conf.sigil".into(),
        "proxy-buffer-size" => format!("{page}k"),
        "proxy-buffering" => "on".into(),
        "proxy-buffers" => format!("8 {page}k"),
        "proxy-busy-buffers-size" => format!("{}k", page * 2),
        "underscore-in-headers" => "off".into(),
        "x-forwarded-for-value" => "$remote_addr".into(),
        "x-forwarded-port-value" => "$server_port".into(),
        "x-forwarded-proto-value" => "$scheme".into(),
        _ => String::new(),
    }
}

/// The property values of an app.
#[derive(Debug, Clone)]
pub struct Props<'a> {
    paths: &'a Paths,
    log_root: String,
}

impl<'a> Props<'a> {
    /// Properties read from `paths`, app logs defaulting under `log_root`.
    pub fn new(paths: &'a Paths, log_root: &std::path::Path) -> Self {
        Props {
            paths,
            log_root: log_root.display().to_string(),
        }
    }

    fn store(&self) -> Properties<'a> {
        Properties::new(self.paths, STORE)
    }

    /// The app's own value.
    pub fn app(&self, app: &str, key: &str) -> String {
        self.store().get_str(app, key)
    }

    /// The global value.
    pub fn global(&self, key: &str) -> String {
        self.store().get_str(GLOBAL, key)
    }

    /// The value in effect.
    pub fn computed(&self, app: &str, key: &str) -> String {
        let own = if app.is_empty() {
            String::new()
        } else {
            self.app(app, key)
        };
        if !own.is_empty() {
            return own;
        }
        let global = self.global(key);
        if !global.is_empty() {
            return global;
        }
        default(key, app, &self.log_root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_then_global_then_default() {
        let (_d, paths) = Paths::temp();
        let props = Props::new(&paths, std::path::Path::new("/var/log/nginx"));
        assert_eq!(props.computed("a", "client-max-body-size"), "1m");
        assert_eq!(
            props.computed("a", "access-log-path"),
            "/var/log/nginx/a-access.log"
        );
        Properties::new(&paths, STORE)
            .write(GLOBAL, "client-max-body-size", "5m")
            .expect("write");
        assert_eq!(props.computed("a", "client-max-body-size"), "5m");
        Properties::new(&paths, STORE)
            .write("a", "client-max-body-size", "9m")
            .expect("write");
        assert_eq!(props.computed("a", "client-max-body-size"), "9m");
        assert_eq!(props.computed("a", "bind-address-ipv4"), "");
        let keys: Vec<&str> = keys().collect();
        assert_eq!(keys.len(), 31);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }
}
