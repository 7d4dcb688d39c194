//! Network properties and the listener records of an app's containers.
//!
//! The scheduler records each running container of the current release in
//! `$DOKKU_ROOT/<app>/CONTAINER.<proc>.<index>`, with its address in
//! `IP.<proc>.<index>` and its port in `PORT.<proc>.<index>`; a listener is
//! `ip:port` of one such container.

use dokku_core::schema::{check, Prop, Schema};
use dokku_core::{fsutil, Error, Paths, Result};

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "network";

/// The properties.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN,
    &[
        Prop::both("attach-post-create", ""),
        Prop::both("attach-post-deploy", ""),
        Prop::both("bind-all-interfaces", "false").check(check::true_or_false),
        Prop::both("initial-network", ""),
        Prop::app("static-web-listener"),
        Prop::both("tld", ""),
    ],
)
.legacy_json();

/// An app value, else the global one, else the default.
pub fn computed(paths: &Paths, app: &str, key: &str) -> String {
    SCHEMA.computed(paths, app, key)
}

fn read(paths: &Paths, app: &str, name: &str) -> String {
    fsutil::read_optional(&paths.app_dir(app).join(name))
        .ok()
        .flatten()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The indexes of the recorded containers of a process type, ascending.
pub fn indexes(paths: &Paths, app: &str, proc_type: &str) -> Vec<u32> {
    let Ok(rd) = std::fs::read_dir(paths.app_dir(app)) else {
        return Vec::new();
    };
    let head = format!("CONTAINER.{proc_type}.");
    let mut v: Vec<u32> = rd
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_prefix(&head))
                .and_then(|i| i.parse().ok())
        })
        .collect();
    v.sort_unstable();
    v
}

/// `ip:port` of every recorded container of a process type; for `web`, the
/// app's `static-web-listener` when set.
pub fn listeners(paths: &Paths, app: &str, proc_type: &str) -> Vec<String> {
    if proc_type == "web" {
        let fixed = SCHEMA.raw(paths, app, "static-web-listener");
        if !fixed.trim().is_empty() {
            return vec![fixed.trim().to_string()];
        }
    }
    indexes(paths, app, proc_type)
        .into_iter()
        .filter_map(|i| {
            let dyno = format!("{proc_type}.{i}");
            if read(paths, app, &format!("CONTAINER.{dyno}")).is_empty() {
                return None;
            }
            let ip = read(paths, app, &format!("IP.{dyno}"));
            let port = read(paths, app, &format!("PORT.{dyno}"));
            (!ip.is_empty() && !port.is_empty()).then(|| format!("{ip}:{port}"))
        })
        .collect()
}

/// Write `IP.<proc>.<index>` or `PORT.<proc>.<index>` of an app.
pub fn write_record(
    paths: &Paths,
    app: &str,
    kind: &str,
    proc_type: &str,
    index: &str,
    value: &str,
) -> Result<()> {
    dokku_core::apps::validate_name(app)?;
    let name = format!("{kind}.{proc_type}.{index}");
    if !fsutil::is_single_segment(&name) || index.parse::<u32>().is_err() {
        return Err(Error::fail(format!("Invalid plugin trigger call: {name}")));
    }
    fsutil::write_atomic(&paths.app_dir(app).join(name), value.as_bytes(), 0o644)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_come_from_the_records_in_index_order() {
        let (_d, paths) = dokku_core::Paths::temp();
        let dir = paths.app_dir("a");
        std::fs::create_dir_all(&dir).expect("mkdir");
        for (i, ip) in [(10, "172.17.0.4"), (2, "172.17.0.3"), (1, "172.17.0.2")] {
            std::fs::write(dir.join(format!("CONTAINER.web.{i}")), "id").expect("write");
            std::fs::write(dir.join(format!("IP.web.{i}")), ip).expect("write");
            std::fs::write(dir.join(format!("PORT.web.{i}")), "5000\n").expect("write");
        }
        std::fs::write(dir.join("CONTAINER.worker.1"), "id").expect("write");
        assert_eq!(
            listeners(&paths, "a", "web"),
            vec!["172.17.0.2:5000", "172.17.0.3:5000", "172.17.0.4:5000"]
        );
        assert!(listeners(&paths, "a", "worker").is_empty());
        SCHEMA
            .store(&paths)
            .write("a", "static-web-listener", "10.0.0.1:80")
            .expect("write");
        assert_eq!(listeners(&paths, "a", "web"), vec!["10.0.0.1:80"]);
        assert_eq!(computed(&paths, "a", "bind-all-interfaces"), "false");
        assert!(write_record(&paths, "a", "IP", "web", "x", "1").is_err());
    }
}
