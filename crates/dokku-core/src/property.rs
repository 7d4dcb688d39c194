//! Dokku's property store: one small file per value at
//! `$DOKKU_LIB_ROOT/config/<plugin>/<app>/<property>` (`--global` in place of
//! an app for host-wide values), the same files Dokku's `fn-plugin-property-*`
//! helpers and Go `common.Property*` functions read and write.
//!
//! Values are written without a trailing newline, mode 0600; list properties
//! hold one item per line.

use std::fs;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::fsutil::{ensure_dir, read_optional, remove_dir_all, remove_file, write_atomic};
use crate::paths::Paths;

/// The app name under which global properties are stored.
pub const GLOBAL: &str = "--global";

/// Properties of one plugin.
#[derive(Debug, Clone)]
pub struct Properties<'a> {
    paths: &'a Paths,
    plugin: &'a str,
}

fn check_segment(what: &str, s: &str) -> Result<()> {
    if crate::fsutil::is_single_segment(s) {
        Ok(())
    } else {
        Err(Error::fail(format!("Invalid {what}: {s}")))
    }
}

impl<'a> Properties<'a> {
    /// The property store of `plugin`.
    pub fn new(paths: &'a Paths, plugin: &'a str) -> Self {
        Properties { paths, plugin }
    }

    /// `$DOKKU_LIB_ROOT/config/<plugin>/<app>`.
    pub fn app_dir(&self, app: &str) -> PathBuf {
        self.paths.property_dir(self.plugin, app)
    }

    /// Path of one property file.
    pub fn path(&self, app: &str, key: &str) -> Result<PathBuf> {
        check_segment("app", app)?;
        check_segment("property", key)?;
        Ok(self.app_dir(app).join(key))
    }

    /// The value, or `None` when unset. Trailing newlines are dropped.
    pub fn get(&self, app: &str, key: &str) -> Result<Option<String>> {
        let p = self.path(app, key)?;
        Ok(read_optional(&p)?.map(|v| v.trim_end_matches(['\n', '\r']).to_string()))
    }

    /// The value, or `default` when unset or empty.
    pub fn get_or(&self, app: &str, key: &str, default: &str) -> Result<String> {
        Ok(match self.get(app, key)? {
            Some(v) if !v.is_empty() => v,
            _ => default.to_string(),
        })
    }

    /// The value, or the empty string.
    pub fn get_str(&self, app: &str, key: &str) -> String {
        self.get(app, key).ok().flatten().unwrap_or_default()
    }

    /// The app's value, else the global one, else `default`: the
    /// "computed" value of an app-and-global property.
    pub fn computed(&self, app: &str, key: &str, default: &str) -> String {
        [self.get_str(app, key), self.get_str(GLOBAL, key)]
            .into_iter()
            .find(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_string())
    }

    /// The value of `key` for `app` when an app is named and its value is
    /// not blank: the first step of a computed value.
    pub fn app_value(&self, app: &str, key: &str) -> Option<String> {
        if app.is_empty() {
            return None;
        }
        Some(self.get_str(app, key)).filter(|v| !v.trim().is_empty())
    }

    /// Whether the property file exists.
    pub fn exists(&self, app: &str, key: &str) -> bool {
        self.path(app, key).map(|p| p.is_file()).unwrap_or(false)
    }

    /// Write a value atomically.
    pub fn write(&self, app: &str, key: &str, value: &str) -> Result<()> {
        let p = self.path(app, key)?;
        ensure_dir(&self.paths.plugin_config_dir(self.plugin))?;
        write_atomic(&p, value.as_bytes(), 0o600)
    }

    /// Write each `(app, key, value)` in turn, stopping at the first error.
    pub fn write_each(&self, entries: &[(&str, &str, &str)]) -> Result<()> {
        entries
            .iter()
            .try_for_each(|(app, key, value)| self.write(app, key, value))
    }

    /// Remove a property; missing is fine.
    pub fn delete(&self, app: &str, key: &str) -> Result<()> {
        remove_file(&self.path(app, key)?)
    }

    /// Record whether `app` is enabled as the `disabled` property says it:
    /// removed when enabled, `true` when not; under the app's state lock.
    pub fn set_enabled(&self, app: &str, enabled: bool) -> Result<()> {
        let _lock = crate::lock::StateLock::acquire(self.paths, app)?;
        if enabled {
            self.delete(app, "disabled")
        } else {
            self.write(app, "disabled", "true")
        }
    }

    /// Items of a list property, one per line, blank lines skipped.
    pub fn list_get(&self, app: &str, key: &str) -> Result<Vec<String>> {
        let p = self.path(app, key)?;
        Ok(read_optional(&p)?
            .map(|s| {
                s.lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Replace a list property.
    pub fn list_write(&self, app: &str, key: &str, items: &[String]) -> Result<()> {
        let mut s = String::new();
        for i in items {
            s.push_str(i);
            s.push('\n');
        }
        let p = self.path(app, key)?;
        write_atomic(&p, s.as_bytes(), 0o600)
    }

    /// Every property of an app, sorted by name.
    pub fn all(&self, app: &str) -> Result<Vec<(String, String)>> {
        check_segment("app", app)?;
        let dir = self.app_dir(app);
        let mut out = Vec::new();
        let rd = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(Error::io("read directory", &dir, e)),
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !e.path().is_file() {
                continue;
            }
            let v = read_optional(&e.path())?.unwrap_or_default();
            out.push((name, v.trim_end_matches(['\n', '\r']).to_string()));
        }
        out.sort();
        Ok(out)
    }

    /// Remove every property of an app.
    pub fn destroy(&self, app: &str) -> Result<()> {
        check_segment("app", app)?;
        remove_dir_all(&self.app_dir(app))
    }

    /// Copy every property of `from` to `to`.
    pub fn clone_app(&self, from: &str, to: &str) -> Result<()> {
        check_segment("app", from)?;
        check_segment("app", to)?;
        let src = self.app_dir(from);
        if !src.is_dir() {
            return Ok(());
        }
        crate::fsutil::copy_dir_all(&src, &self.app_dir(to))
    }

    /// Move every property of `from` to `to`.
    pub fn rename_app(&self, from: &str, to: &str) -> Result<()> {
        self.clone_app(from, to)?;
        self.destroy(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_get_delete_on_dokku_layout() {
        let (d, paths) = crate::Paths::temp();
        let p = Properties::new(&paths, "git");
        assert_eq!(p.get("app", "deploy-branch").expect("get"), None);
        p.write("app", "deploy-branch", "main").expect("write");
        let on_disk = d.path().join("lib/config/git/app/deploy-branch");
        assert_eq!(fs::read_to_string(on_disk).expect("read"), "main");
        assert_eq!(
            p.get_or("app", "deploy-branch", "master").expect("get"),
            "main"
        );
        p.delete("app", "deploy-branch").expect("delete");
        assert_eq!(
            p.get_or("app", "deploy-branch", "master").expect("get"),
            "master"
        );
    }

    #[test]
    fn traversal_in_keys_is_refused() {
        let (_d, paths) = crate::Paths::temp();
        let p = Properties::new(&paths, "git");
        assert!(p.write("..", "x", "v").is_err());
        assert!(p.write("app", "../x", "v").is_err());
    }
}
