//! Laying down the core plugins on disk, as Dokku's installer does: a
//! directory with a `plugin.toml` per core plugin under
//! `PLUGIN_CORE_AVAILABLE_PATH`, enabled in the core tree, linked into
//! `PLUGIN_AVAILABLE_PATH` and enabled there; plus the shell library bash
//! plugins source from `$PLUGIN_CORE_AVAILABLE_PATH/common/functions`.
//! Everything is written owned by whoever runs the install (root), never
//! handed to the system user: root sources and runs these files.

use std::path::Path;

use dokku_core::{Paths, Result};

use crate::fsroot::{create_dir_all, write_file};
use crate::manage::symlink_replace;
use crate::name;

/// One file of the shell library: the plugin directory it goes in, its
/// name, its content.
pub type ShellFile = (&'static str, &'static str, &'static str);

macro_rules! shell {
    ($plugin:literal, $file:literal) => {
        (
            $plugin,
            $file,
            include_str!(concat!("../shell/", $plugin, "/", $file)),
        )
    };
}

/// The files bash plugins source, at Dokku's paths under
/// `$PLUGIN_CORE_AVAILABLE_PATH/<plugin>/`.
pub const SHELL_FILES: &[ShellFile] = &[
    shell!("common", "functions"),
    shell!("common", "property-functions"),
    shell!("common", "archive-functions"),
    shell!("config", "functions"),
    shell!("certs", "functions"),
    shell!("checks", "functions"),
    shell!("checks", "property-functions"),
    shell!("domains", "functions"),
    shell!("ps", "functions"),
    shell!("proxy", "functions"),
    shell!("plugin", "functions"),
    shell!("ssh-keys", "functions"),
    shell!("builder-herokuish", "functions"),
    shell!("git", "functions"),
    shell!("git", "internal-functions"),
    shell!("nginx-vhosts", "functions"),
    shell!("nginx-vhosts", "internal-functions"),
];

/// The helper programs bash plugins run by path: links to the `dokku`
/// binary, which answers under these names.
pub const HELPER_LINKS: &[(&str, &str)] = &[
    ("common", "common"),
    ("common", "prop"),
    ("config", "config_sub"),
    ("nginx-vhosts", "nginx-property"),
];

/// Dokku's storage sudo helpers (`storage/bin/<name>`, listed in the
/// sudoers file the storage install writes): links to the
/// `dokku-storage-helper` binary installed beside `dokku`.
pub const STORAGE_HELPER_LINKS: &[&str] = &[
    "bin/chown-storage-dir",
    "bin/chmod-storage-dir",
    "bin/destroy-storage-dir",
];

/// The binary the storage helper links point at.
pub const STORAGE_HELPER: &str = "dokku-storage-helper";

/// `common/functions`.
pub const COMMON_FUNCTIONS: &str = SHELL_FILES[0].2;

/// The core plugin carrying the shell library.
const COMMON: (&str, &str) = ("common", "dokku core common plugin");

fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `plugin.toml` of a core plugin.
pub fn plugin_toml(description: &str, version: &str) -> String {
    format!(
        "[plugin]\ndescription = {}\nversion = {}\n[plugin.config]\n",
        toml_string(description),
        toml_string(version)
    )
}

/// Link `link` to `target` unless a real directory of a community plugin
/// already sits there (it is left alone).
fn link_unless_real(target: &Path, link: &Path) -> Result<()> {
    match std::fs::symlink_metadata(link) {
        Ok(m) if !m.file_type().is_symlink() => Ok(()),
        _ => symlink_replace(target, link),
    }
}

/// Install the metadata of the core plugins `core` (name, description) at
/// `version`, the shell library and, when `exe` (the `dokku` binary) is
/// given, the helper programs linked to it. Safe to run again: files are
/// rewritten and links repointed in place.
pub fn install_core_metadata(
    paths: &Paths,
    core: &[(&str, &str)],
    version: &str,
    exe: Option<&Path>,
) -> Result<()> {
    let mut all: Vec<(&str, &str)> = core.to_vec();
    if !all.iter().any(|(n, _)| *n == COMMON.0) {
        all.push(COMMON);
    }
    for d in [
        &paths.plugin_core_available,
        &paths.plugin_core_enabled,
        &paths.plugin_available,
        &paths.plugin_enabled,
    ] {
        create_dir_all(d)?;
    }
    for (plugin, description) in all {
        if !name::is_valid(plugin) {
            continue;
        }
        let dir = paths.plugin_core_available.join(plugin);
        create_dir_all(&dir)?;
        write_file(
            &dir.join("plugin.toml"),
            plugin_toml(description, version).as_bytes(),
            0o644,
        )?;
        link_unless_real(&dir, &paths.plugin_core_enabled.join(plugin))?;
        let available = paths.plugin_available.join(plugin);
        link_unless_real(&dir, &available)?;
        link_unless_real(&available, &paths.plugin_enabled.join(plugin))?;
        for (p, file, content) in SHELL_FILES {
            if *p == plugin {
                write_file(&dir.join(file), content.as_bytes(), 0o755)?;
            }
        }
        if let Some(exe) = exe {
            for (p, name) in HELPER_LINKS {
                if *p == plugin {
                    symlink_replace(exe, &dir.join(name))?;
                }
            }
            let storage_helper = exe.with_file_name(STORAGE_HELPER);
            if plugin == "storage" && storage_helper.is_file() {
                create_dir_all(&dir.join("bin"))?;
                for name in STORAGE_HELPER_LINKS {
                    symlink_replace(&storage_helper, &dir.join(name))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn layout_matches_dokku() {
        let (d, paths) = dokku_core::Paths::temp();
        let core = [
            ("apps", "dokku core apps plugin"),
            ("config", "dokku core config plugin"),
            ("../bad", "x"),
        ];
        install_core_metadata(&paths, &core, "0.38.27", None).expect("install");
        install_core_metadata(&paths, &core, "0.38.27", None).expect("again");
        let lib = d.path().join("lib");
        assert_eq!(
            fs::read_to_string(lib.join("core-plugins/available/apps/plugin.toml")).expect("toml"),
            "[plugin]\ndescription = \"dokku core apps plugin\"\nversion = \"0.38.27\"\n[plugin.config]\n"
        );
        assert_eq!(
            fs::read_link(lib.join("plugins/available/apps")).expect("link"),
            lib.join("core-plugins/available/apps")
        );
        assert_eq!(
            fs::read_link(lib.join("plugins/enabled/apps")).expect("link"),
            lib.join("plugins/available/apps")
        );
        assert_eq!(
            fs::read_link(lib.join("core-plugins/enabled/apps")).expect("link"),
            lib.join("core-plugins/available/apps")
        );
        assert_eq!(
            fs::read_to_string(lib.join("core-plugins/available/common/functions")).expect("fn"),
            COMMON_FUNCTIONS
        );
        assert!(lib
            .join("core-plugins/available/config/functions")
            .is_file());
        assert!(!lib.join("bad").exists() && !lib.join("core-plugins/bad").exists());
        let meta = dokku_trigger::external::read_meta(&lib.join("plugins/enabled/apps"));
        assert_eq!(
            (meta.description.as_str(), meta.version.as_str()),
            ("dokku core apps plugin", "0.38.27")
        );
        assert!(crate::manage::is_core(&paths, "apps"));
        assert!(crate::manage::is_core(&paths, "common"));
    }

    #[test]
    fn community_directory_is_left_alone() {
        let (_d, paths) = dokku_core::Paths::temp();
        let own = paths.plugin_available.join("apps");
        fs::create_dir_all(&own).expect("mkdir");
        fs::write(own.join("plugin.toml"), "mine").expect("write");
        install_core_metadata(&paths, &[("apps", "dokku core apps plugin")], "1", None)
            .expect("install");
        assert_eq!(
            fs::read_to_string(own.join("plugin.toml")).expect("read"),
            "mine"
        );
    }

    #[test]
    fn toml_escapes() {
        assert_eq!(
            plugin_toml("a \"q\" \\", "1"),
            "[plugin]\ndescription = \"a \\\"q\\\" \\\\\"\nversion = \"1\"\n[plugin.config]\n"
        );
    }
}
