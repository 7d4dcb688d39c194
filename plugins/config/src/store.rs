//! Where environments live and how they change: the app's `ENV` file in its
//! own config directory (`$DOKKU_LIB_ROOT/config/<app>/ENV`, `--global` for
//! the host-wide one), read-modify-write under the app's state lock, and
//! the one-time drain of older files: the pre-0.38 ones at
//! `$DOKKU_ROOT/<app>/ENV` and `$DOKKU_ROOT/ENV`, and the ones earlier
//! builds of this program kept in the plugin's property tree
//! (`config/config/<app>/ENV`). The `env-migrated` marker stays a property
//! of the config plugin (`config/config/<app>/env-migrated`).

use std::path::{Path, PathBuf};

use dokku_core::fsutil::{self, read_optional, remove_file, write_atomic};
use dokku_core::lock::StateLock;
use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{Error, Paths, Result};
use dokku_output::Output;

use crate::envfile::{self, Env};

/// The plugin name, which is also the property tree holding the files.
pub const PLUGIN: &str = "config";
/// Name of the environment file.
pub const ENV_FILE: &str = "ENV";
/// Property recording that the pre-0.38 file has been drained.
pub const MIGRATED_PROPERTY: &str = "env-migrated";
/// Where an old file that disagrees with the current config is moved.
pub const PRESERVED_FILE: &str = "ENV.migrated";

/// Whose environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The host-wide environment every app inherits.
    Global,
    /// One app's own environment.
    App(String),
}

impl Scope {
    /// The app name, or `--global`, as stored on disk and given to triggers.
    pub fn name(&self) -> &str {
        match self {
            Scope::Global => GLOBAL,
            Scope::App(app) => app,
        }
    }

    /// The word used in headers: the app name, or `global`.
    pub fn label(&self) -> &str {
        match self {
            Scope::Global => "global",
            Scope::App(app) => app,
        }
    }

    /// The app, unless global.
    pub fn app(&self) -> Option<&str> {
        match self {
            Scope::Global => None,
            Scope::App(app) => Some(app),
        }
    }
}

/// `$DOKKU_LIB_ROOT/config/<app|--global>/ENV`.
pub fn env_path(paths: &Paths, scope: &Scope) -> PathBuf {
    paths.app_config_dir(scope.name()).join(ENV_FILE)
}

/// Where earlier builds of this program kept the file:
/// `$DOKKU_LIB_ROOT/config/config/<app|--global>/ENV`.
pub fn interim_path(paths: &Paths, scope: &Scope) -> PathBuf {
    paths.property_dir(PLUGIN, scope.name()).join(ENV_FILE)
}

/// The pre-0.38 location: `$DOKKU_ROOT/<app>/ENV` or `$DOKKU_ROOT/ENV`.
pub fn legacy_path(paths: &Paths, scope: &Scope) -> PathBuf {
    match scope {
        Scope::Global => paths.dokku_root.join(ENV_FILE),
        Scope::App(app) => paths.app_dir(app).join(ENV_FILE),
    }
}

/// Read and parse an env file; a missing file is an empty environment.
pub fn read_file(path: &Path) -> Result<Env> {
    match read_optional(path)? {
        None => Ok(Env::new()),
        Some(text) => envfile::parse(&text)
            .map_err(|e| Error::fail(format!("Unable to read {}: {e}", path.display()))),
    }
}

fn write_file(path: &Path, env: &Env) -> Result<()> {
    write_atomic(path, envfile::file_contents(env).as_bytes(), 0o600)
}

/// Name of the lock serialising the drain of one scope's old file. It is
/// not an app name (those have no underscores), so it never meets a state
/// lock, and readers can take it while another plugin holds the app's.
fn migrate_lock(scope: &Scope) -> String {
    format!("_config-env-migrate.{}", scope.name())
}

/// Drain the older files of `scope`, if there are any: first the one an
/// earlier build of this program kept in the property tree, then the
/// pre-0.38 one.
pub fn migrate(paths: &Paths, out: &Output, scope: &Scope) -> Result<()> {
    let interim = interim_path(paths, scope);
    let legacy = legacy_path(paths, scope);
    if !interim.is_file() && !legacy.is_file() {
        return Ok(());
    }
    let _lock = StateLock::acquire(paths, &migrate_lock(scope))?;
    let current_path = env_path(paths, scope);
    if interim.is_file() {
        // That file was the live config of the earlier build: it moves over
        // unless the new location already holds one, which then wins.
        if current_path.exists() {
            drain_superseded(out, &interim, &read_file(&current_path)?)?;
        } else {
            write_file(&current_path, &read_file(&interim)?)?;
            remove_file(&interim)?;
        }
    }
    if !legacy.is_file() {
        return Ok(());
    }
    let props = Properties::new(paths, PLUGIN);
    let recorded = props.get(scope.name(), MIGRATED_PROPERTY)?.as_deref() == Some("true");
    if !recorded && !current_path.exists() {
        let old = read_file(&legacy)?;
        write_file(&current_path, &old)?;
        props.write(scope.name(), MIGRATED_PROPERTY, "true")?;
        return remove_file(&legacy);
    }
    drain_superseded(out, &legacy, &read_file(&current_path)?)?;
    if !recorded {
        props.write(scope.name(), MIGRATED_PROPERTY, "true")?;
    }
    Ok(())
}

/// An old file whose scope already has a current config: removed when every
/// variable in it has the same value now, otherwise moved aside to
/// `ENV.migrated` with a warning naming the variables that differ.
fn drain_superseded(out: &Output, old_path: &Path, current: &Env) -> Result<()> {
    let differing = match read_file(old_path) {
        Ok(old) => old
            .iter()
            .filter(|(k, v)| current.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .collect(),
        Err(e) => {
            out.warn(&e.to_string());
            vec!["(unreadable file)".to_string()]
        }
    };
    if differing.is_empty() {
        return remove_file(old_path);
    }
    out.warn(&format!(
        "Not importing already-migrated ENV file {}: the current config takes precedence for {}",
        old_path.display(),
        differing.join(" ")
    ));
    let preserved = old_path.with_file_name(PRESERVED_FILE);
    std::fs::rename(old_path, &preserved).map_err(|e| Error::io("rename", old_path, e))?;
    out.warn(&format!(
        "Preserved at {}: re-apply anything still needed with dokku config:set, then delete it - dokku does not read it and it may hold values that were unset on purpose",
        preserved.display()
    ));
    Ok(())
}

/// Drain the old files of the global environment and of every app.
pub fn migrate_all(paths: &Paths, out: &Output) -> Result<()> {
    migrate(paths, out, &Scope::Global)?;
    for app in dokku_core::apps::list(paths) {
        migrate(paths, out, &Scope::App(app))?;
    }
    Ok(())
}

/// The install step: drain every old file, then make sure the directories
/// and files are where Dokku keeps them and belong to the system user
/// (`config/` and `config/config/` 0755, `config/<app|--global>/` 0755,
/// `ENV` 0600), whoever created them before.
pub fn install(paths: &Paths, out: &Output) -> Result<()> {
    let root = paths.lib_root.join("config");
    fsutil::ensure_dir(&root)?;
    if !root.is_symlink() {
        fsutil::set_permissions(&root, 0o755)?;
    }
    let props_root = paths.plugin_config_dir(PLUGIN);
    fsutil::ensure_dir(&props_root)?;
    fsutil::set_permissions(&props_root, 0o755)?;
    migrate_all(paths, out)?;
    let mut scopes = vec![Scope::Global];
    scopes.extend(dokku_core::apps::list(paths).into_iter().map(Scope::App));
    for scope in scopes {
        let dir = paths.app_config_dir(scope.name());
        fsutil::ensure_dir(&dir)?;
        fsutil::set_permissions(&dir, 0o755)?;
        let env = env_path(paths, &scope);
        if env.is_file() {
            fsutil::set_permissions(&env, 0o600)?;
        }
        let marker_dir = paths.property_dir(PLUGIN, scope.name());
        if marker_dir.is_dir() {
            fsutil::set_permissions(&marker_dir, 0o755)?;
            let marker = marker_dir.join(MIGRATED_PROPERTY);
            if marker.is_file() {
                fsutil::set_permissions(&marker, 0o600)?;
            }
        }
    }
    Ok(())
}

/// After an app is deleted: its `ENV`, and its config directory once empty.
/// (Dokku removes the whole directory; an app named like a plugin shares
/// it with that plugin's properties, which are left alone here.)
pub fn remove_app(paths: &Paths, app: &str) -> Result<()> {
    let scope = Scope::App(app.to_string());
    remove_file(&env_path(paths, &scope))?;
    remove_file(&env_path(paths, &scope).with_file_name(PRESERVED_FILE))?;
    let _ = std::fs::remove_dir(paths.app_config_dir(app));
    Ok(())
}

/// Copy the environment of `from` to `to` (rename and clone).
pub fn copy_app(paths: &Paths, out: &Output, from: &str, to: &str) -> Result<()> {
    let env = load(paths, out, &Scope::App(from.to_string()))?;
    if env.is_empty() && !env_path(paths, &Scope::App(from.to_string())).exists() {
        return Ok(());
    }
    update(paths, out, &Scope::App(to.to_string()), |e| {
        *e = env;
        Ok(())
    })?;
    // The new file may equal an empty default and not have been written.
    let path = env_path(paths, &Scope::App(to.to_string()));
    if !path.exists() {
        write_file(&path, &Env::new())?;
    }
    Ok(())
}

/// The environment of `scope` (after draining any old file).
pub fn load(paths: &Paths, out: &Output, scope: &Scope) -> Result<Env> {
    migrate(paths, out, scope)?;
    read_file(&env_path(paths, scope))
}

/// The environment of `scope` with the global one beneath it when `merged`:
/// app values win over global ones.
pub fn load_view(paths: &Paths, out: &Output, scope: &Scope, merged: bool) -> Result<Env> {
    if !merged || *scope == Scope::Global {
        return load(paths, out, scope);
    }
    let mut env = load(paths, out, &Scope::Global)?;
    env.extend(load(paths, out, scope)?);
    Ok(env)
}

/// Change the environment of `scope` under its state lock: read, apply `f`,
/// and write the result back atomically when it differs. If `f` fails,
/// nothing is written.
pub fn update<R>(
    paths: &Paths,
    out: &Output,
    scope: &Scope,
    f: impl FnOnce(&mut Env) -> Result<R>,
) -> Result<R> {
    let _lock = StateLock::acquire(paths, scope.name())?;
    migrate(paths, out, scope)?;
    let path = env_path(paths, scope);
    let before = read_file(&path)?;
    let mut env = before.clone();
    let r = f(&mut env)?;
    if env != before {
        write_file(&path, &env)?;
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    struct T {
        _dir: tempfile::TempDir,
        paths: Paths,
    }

    fn setup() -> T {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&dir.path().join("home"), &dir.path().join("lib"));
        fs::create_dir_all(paths.app_dir("app")).expect("app dir");
        T { _dir: dir, paths }
    }

    fn app() -> Scope {
        Scope::App("app".into())
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        crate::envfile::env_of(pairs)
    }

    #[test]
    fn files_live_in_the_config_property_tree() {
        let t = setup();
        assert!(env_path(&t.paths, &app()).ends_with("lib/config/app/ENV"));
        assert!(env_path(&t.paths, &Scope::Global).ends_with("lib/config/--global/ENV"));
        assert!(interim_path(&t.paths, &app()).ends_with("lib/config/config/app/ENV"));
        assert!(legacy_path(&t.paths, &app()).ends_with("home/app/ENV"));
        assert!(legacy_path(&t.paths, &Scope::Global).ends_with("home/ENV"));
    }

    #[test]
    fn update_writes_sorted_file_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let t = setup();
        let (out, _) = Output::captured(false);
        update(&t.paths, &out, &app(), |e| {
            e.insert("B".into(), "2".into());
            e.insert("A".into(), "x y".into());
            Ok(())
        })
        .expect("update");
        let p = env_path(&t.paths, &app());
        assert_eq!(fs::read_to_string(&p).expect("read"), "A=\"x y\"\nB=2\n");
        assert_eq!(
            fs::metadata(&p).expect("meta").permissions().mode() & 0o777,
            0o600
        );
        let failed: Result<()> = update(&t.paths, &out, &app(), |e| {
            e.clear();
            Err(Error::fail("no"))
        });
        assert!(failed.is_err());
        assert_eq!(
            load(&t.paths, &out, &app()).expect("load"),
            env(&[("A", "x y"), ("B", "2")])
        );
    }

    #[test]
    fn first_read_drains_the_old_file() {
        let t = setup();
        let (out, cap) = Output::captured(false);
        let old = legacy_path(&t.paths, &app());
        fs::write(&old, "export A='it'\\''s'\nexport B='2'\n").expect("write");
        assert_eq!(
            load(&t.paths, &out, &app()).expect("load"),
            env(&[("A", "it's"), ("B", "2")])
        );
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(env_path(&t.paths, &app())).expect("read"),
            "A=\"it's\"\nB=2\n"
        );
        let props = Properties::new(&t.paths, PLUGIN);
        assert_eq!(
            props.get("app", MIGRATED_PROPERTY).expect("get").as_deref(),
            Some("true")
        );
        assert_eq!(cap.stderr(), "");
    }

    #[test]
    fn global_old_file_is_drained_too() {
        let t = setup();
        let (out, _) = Output::captured(false);
        fs::write(legacy_path(&t.paths, &Scope::Global), "G=\"1\"\n").expect("write");
        assert_eq!(
            load(&t.paths, &out, &Scope::Global).expect("load"),
            env(&[("G", "1")])
        );
        assert!(!legacy_path(&t.paths, &Scope::Global).exists());
    }

    /// The app's env set to `current` and recorded as migrated, then an
    /// old-style file with `old_text` left beside it; returns its path.
    fn migrated_with_old_file(
        t: &T,
        out: &Output,
        current: &[(&str, &str)],
        old_text: &str,
    ) -> std::path::PathBuf {
        update(&t.paths, out, &app(), |e| {
            for (k, v) in current {
                e.insert(k.to_string(), v.to_string());
            }
            Ok(())
        })
        .expect("set");
        Properties::new(&t.paths, PLUGIN)
            .write("app", MIGRATED_PROPERTY, "true")
            .expect("record");
        let old = legacy_path(&t.paths, &app());
        fs::write(&old, old_text).expect("write");
        old
    }

    #[test]
    fn old_file_after_migration_is_removed_when_it_agrees() {
        let t = setup();
        let (out, cap) = Output::captured(false);
        let old = migrated_with_old_file(&t, &out, &[("A", "1"), ("NEW", "n")], "A=1\n");
        assert_eq!(
            load(&t.paths, &out, &app()).expect("load"),
            env(&[("A", "1"), ("NEW", "n")])
        );
        assert!(!old.exists());
        assert!(!old.with_file_name(PRESERVED_FILE).exists());
        assert_eq!(cap.stderr(), "");
    }

    #[test]
    fn old_file_after_migration_is_preserved_when_it_disagrees() {
        let t = setup();
        let (out, cap) = Output::captured(false);
        let old = migrated_with_old_file(
            &t,
            &out,
            &[("A", "current")],
            "A=\"old\"\nSECRET=\"unset-since\"\n",
        );
        assert_eq!(
            load(&t.paths, &out, &app()).expect("load"),
            env(&[("A", "current")])
        );
        assert!(!old.exists());
        let preserved = old.with_file_name(PRESERVED_FILE);
        assert_eq!(
            fs::read_to_string(&preserved).expect("read"),
            "A=\"old\"\nSECRET=\"unset-since\"\n"
        );
        let root = t.paths.dokku_root.display().to_string();
        insta::assert_snapshot!(cap.stderr().replace(&root, "$DOKKU_ROOT"), @r"
         !     Not importing already-migrated ENV file $DOKKU_ROOT/app/ENV: the current config takes precedence for A SECRET
         !     Preserved at $DOKKU_ROOT/app/ENV.migrated: re-apply anything still needed with dokku config:set, then delete it - dokku does not read it and it may hold values that were unset on purpose
        ");
    }

    #[test]
    fn old_file_is_never_imported_once_recorded() {
        let t = setup();
        let (out, _) = Output::captured(false);
        Properties::new(&t.paths, PLUGIN)
            .write("app", MIGRATED_PROPERTY, "true")
            .expect("record");
        fs::write(legacy_path(&t.paths, &app()), "A=1\n").expect("write");
        assert_eq!(load(&t.paths, &out, &app()).expect("load"), Env::new());
        assert!(legacy_path(&t.paths, &app())
            .with_file_name(PRESERVED_FILE)
            .exists());
    }

    #[test]
    fn merged_view_puts_app_over_global() {
        let t = setup();
        let (out, _) = Output::captured(false);
        update(&t.paths, &out, &Scope::Global, |e| {
            e.insert("G".into(), "g".into());
            e.insert("BOTH".into(), "global".into());
            Ok(())
        })
        .expect("global");
        update(&t.paths, &out, &app(), |e| {
            e.insert("BOTH".into(), "app".into());
            Ok(())
        })
        .expect("app");
        assert_eq!(
            load_view(&t.paths, &out, &app(), true).expect("merged"),
            env(&[("BOTH", "app"), ("G", "g")])
        );
        assert_eq!(
            load_view(&t.paths, &out, &app(), false).expect("own"),
            env(&[("BOTH", "app")])
        );
        assert_eq!(
            load_view(&t.paths, &out, &Scope::Global, true).expect("global"),
            env(&[("BOTH", "global"), ("G", "g")])
        );
    }
}
