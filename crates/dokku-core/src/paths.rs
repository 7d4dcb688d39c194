//! Where Dokku keeps things on disk, resolved from the environment with
//! Dokku's defaults, so an existing server's data is read where it lies and
//! tests can point everything at temporary directories.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Every root directory a command may touch.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `DOKKU_ROOT`: the `dokku` user's home, one directory per app.
    pub dokku_root: PathBuf,
    /// `DOKKU_LIB_ROOT`: `/var/lib/dokku`, properties and plugin data.
    pub lib_root: PathBuf,
    /// `PLUGIN_PATH`: `$DOKKU_LIB_ROOT/plugins`.
    pub plugin_path: PathBuf,
    /// `PLUGIN_AVAILABLE_PATH`.
    pub plugin_available: PathBuf,
    /// `PLUGIN_ENABLED_PATH`.
    pub plugin_enabled: PathBuf,
    /// `PLUGIN_CORE_PATH`: `$DOKKU_LIB_ROOT/core-plugins`.
    pub plugin_core_path: PathBuf,
    /// `PLUGIN_CORE_AVAILABLE_PATH`.
    pub plugin_core_available: PathBuf,
    /// `PLUGIN_CORE_ENABLED_PATH`.
    pub plugin_core_enabled: PathBuf,
    /// `DOKKU_LOGS_DIR`.
    pub logs_dir: PathBuf,
    /// `DOKKU_LIB_HOST_ROOT`: `lib_root` as the docker host sees it (when
    /// Dokku runs in a container), for bind mounts; `lib_root` when unset.
    pub lib_host_root: PathBuf,
    /// `DOKKU_LOGS_HOST_DIR`: `logs_dir` as the docker host sees it;
    /// `logs_dir` when unset.
    pub logs_host_dir: PathBuf,
    /// `DOKKU_SYSTEM_USER`.
    pub system_user: String,
    /// `DOKKU_SYSTEM_GROUP`.
    pub system_group: String,
}

impl Paths {
    /// Resolve from the process environment.
    pub fn from_env() -> Self {
        let vars: HashMap<String, String> = std::env::vars().collect();
        Self::from_map(&vars)
    }

    /// Resolve from an explicit variable map (tests, and the CLI after it has
    /// read `/etc/default/dokku` and `dokkurc`).
    pub fn from_map(vars: &HashMap<String, String>) -> Self {
        let get = |k: &str| vars.get(k).filter(|v| !v.is_empty()).cloned();
        let system_user = get("DOKKU_SYSTEM_USER").unwrap_or_else(|| "dokku".into());
        let system_group = get("DOKKU_SYSTEM_GROUP").unwrap_or_else(|| system_user.clone());
        let dokku_root = get("DOKKU_ROOT").map(PathBuf::from).unwrap_or_else(|| {
            crate::system::home_of("dokku").unwrap_or_else(|| PathBuf::from("/home/dokku"))
        });
        // Dokku's entry script sets DOKKU_LIB_ROOT from DOKKU_LIB_PATH; a
        // DOKKU_LIB_ROOT already exported (by a parent dokku) agrees.
        let lib_root = get("DOKKU_LIB_PATH")
            .or_else(|| get("DOKKU_LIB_ROOT"))
            .map(PathBuf::from)
            .unwrap_or_else(|| "/var/lib/dokku".into());
        // A directory from its variable, else `default`.
        let dir = |k: &str, default: PathBuf| get(k).map_or(default, PathBuf::from);
        let plugin_path = dir("PLUGIN_PATH", lib_root.join("plugins"));
        let plugin_available = dir("PLUGIN_AVAILABLE_PATH", plugin_path.join("available"));
        let plugin_enabled = dir("PLUGIN_ENABLED_PATH", plugin_path.join("enabled"));
        let plugin_core_path = dir("PLUGIN_CORE_PATH", lib_root.join("core-plugins"));
        let plugin_core_available = dir(
            "PLUGIN_CORE_AVAILABLE_PATH",
            plugin_core_path.join("available"),
        );
        let plugin_core_enabled = dir("PLUGIN_CORE_ENABLED_PATH", plugin_core_path.join("enabled"));
        let logs_dir = dir("DOKKU_LOGS_DIR", "/var/log/dokku".into());
        let lib_host_root = dir("DOKKU_LIB_HOST_ROOT", lib_root.clone());
        let logs_host_dir = dir("DOKKU_LOGS_HOST_DIR", logs_dir.clone());
        Paths {
            dokku_root,
            lib_root,
            plugin_path,
            plugin_available,
            plugin_enabled,
            plugin_core_path,
            plugin_core_available,
            plugin_core_enabled,
            logs_dir,
            lib_host_root,
            logs_host_dir,
            system_user,
            system_group,
        }
    }

    /// A scratch installation for tests: a new temporary directory
    /// (removed when dropped) and the paths under it.
    #[cfg(any(test, feature = "testing"))]
    pub fn temp() -> (tempfile::TempDir, Paths) {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::under(dir.path());
        (dir, paths)
    }

    /// A scratch installation under `dir`: `dir/home` and `dir/lib` (tests).
    pub fn under(dir: &Path) -> Self {
        Self::for_roots(&dir.join("home"), &dir.join("lib"))
    }

    /// All paths rooted under two directories (tests), logs under
    /// `lib_root/logs`.
    pub fn for_roots(dokku_root: &Path, lib_root: &Path) -> Self {
        let mut m = HashMap::new();
        m.insert("DOKKU_ROOT".to_string(), dokku_root.display().to_string());
        m.insert("DOKKU_LIB_ROOT".to_string(), lib_root.display().to_string());
        m.insert(
            "DOKKU_LOGS_DIR".to_string(),
            lib_root.join("logs").display().to_string(),
        );
        Self::from_map(&m)
    }

    /// The variables external plugins expect, as name/value pairs.
    pub fn env_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DOKKU_ROOT", self.dokku_root.display().to_string()),
            ("DOKKU_LIB_ROOT", self.lib_root.display().to_string()),
            ("PLUGIN_PATH", self.plugin_path.display().to_string()),
            (
                "PLUGIN_AVAILABLE_PATH",
                self.plugin_available.display().to_string(),
            ),
            (
                "PLUGIN_ENABLED_PATH",
                self.plugin_enabled.display().to_string(),
            ),
            (
                "PLUGIN_CORE_PATH",
                self.plugin_core_path.display().to_string(),
            ),
            (
                "PLUGIN_CORE_AVAILABLE_PATH",
                self.plugin_core_available.display().to_string(),
            ),
            (
                "PLUGIN_CORE_ENABLED_PATH",
                self.plugin_core_enabled.display().to_string(),
            ),
            ("DOKKU_LOGS_DIR", self.logs_dir.display().to_string()),
            ("DOKKU_SYSTEM_USER", self.system_user.clone()),
            ("DOKKU_SYSTEM_GROUP", self.system_group.clone()),
        ]
    }

    /// `$DOKKU_ROOT/<app>`.
    pub fn app_dir(&self, app: &str) -> PathBuf {
        self.dokku_root.join(app)
    }

    /// `$DOKKU_LIB_ROOT/config/<plugin>`: the property tree of one plugin.
    pub fn plugin_config_dir(&self, plugin: &str) -> PathBuf {
        self.lib_root.join("config").join(plugin)
    }

    /// `$DOKKU_LIB_ROOT/config/<plugin>/<app>`; `app` may be `--global`.
    pub fn property_dir(&self, plugin: &str, app: &str) -> PathBuf {
        self.plugin_config_dir(plugin).join(app)
    }

    /// `$DOKKU_LIB_ROOT/config/<app>`: the app's own config directory
    /// (its `ENV`); `app` may be `--global`. It shares `config/` with the
    /// plugin property roots, as in Dokku.
    pub fn app_config_dir(&self, app: &str) -> PathBuf {
        self.lib_root.join("config").join(app)
    }

    /// `$DOKKU_LIB_ROOT/data/<plugin>`.
    pub fn plugin_data_dir(&self, plugin: &str) -> PathBuf {
        self.lib_root.join("data").join(plugin)
    }

    /// Directory holding the per-app state lock files.
    pub fn lock_dir(&self) -> PathBuf {
        self.lib_root.join("data").join(".locks")
    }
}
