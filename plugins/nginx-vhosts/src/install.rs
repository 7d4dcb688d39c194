//! The parts of the install step that lay files down: the plugin's
//! templates in its core plugin directory (where Dokku's package ships
//! them, and where the package scripts pick the default site from), the
//! `server_names_hash_bucket_size` include, and the deprecated
//! `DOKKU_NGINX_PORT` / `DOKKU_NGINX_SSL_PORT` variables moved into proxy
//! properties.

use std::path::Path;

use dokku_core::{fsutil, Result};
use dokku_trigger::migrate::{self, verbatim};
use dokku_trigger::Ctx;

use crate::template;

/// The include that lets long server names (60+ character app names with
/// extra domains) pass `nginx -t`.
pub const HASH_BUCKET_FILE: &str = "server_names_hash_bucket_size.conf";
/// Its content.
pub const HASH_BUCKET_CONF: &str = "server_names_hash_bucket_size 512;\n";
/// The catch-all for nginx older than 1.19.4 (no `ssl_reject_handshake`).
pub const DEFAULT_SITE_LEGACY: &str = include_str!("../templates/default-site-legacy.conf");

/// Every file of `templates/`, by name.
pub fn templates() -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = [
        ("nginx.conf.sigil", template::NGINX_CONF),
        ("dokku.conf.sigil", template::DOKKU_CONF),
        ("hsts.conf.sigil", template::HSTS_CONF),
        ("validate.conf.sigil", template::VALIDATE_CONF),
        ("default-site.conf", template::DEFAULT_SITE),
        ("default-site-legacy.conf", DEFAULT_SITE_LEGACY),
    ]
    .into_iter()
    .map(|(n, b)| (n, b.to_string()))
    .collect();
    v.extend(crate::pages::PAGES.iter().map(|(n, b)| (*n, b.clone())));
    v
}

/// Write the templates under `$PLUGIN_CORE_AVAILABLE_PATH/nginx-vhosts/`.
pub fn write_templates(ctx: &Ctx) -> Result<()> {
    let dir = ctx
        .paths
        .plugin_core_available
        .join(crate::PLUGIN.name)
        .join("templates");
    for (name, body) in templates() {
        let path = dir.join(name);
        if fsutil::read_optional(&path)?.as_deref() != Some(body.as_str()) {
            fsutil::write_atomic(&path, body.as_bytes(), 0o644)?;
        }
    }
    Ok(())
}

/// `<conf.d>/server_names_hash_bucket_size.conf`, only when missing (an
/// operator's own value is kept).
pub fn write_hash_bucket_include(conf_dir: &Path) -> Result<()> {
    let path = conf_dir.join(HASH_BUCKET_FILE);
    if path.exists() {
        return Ok(());
    }
    fsutil::write_atomic(&path, HASH_BUCKET_CONF.as_bytes(), 0o644)
}

/// Move the nginx-era port variables into the proxy plugin's properties.
pub fn migrate_ports(ctx: &Ctx) -> Result<()> {
    migrate::ensure_env_migrated(ctx)?;
    for (var, property) in [
        ("DOKKU_NGINX_PORT", "proxy-port"),
        ("DOKKU_NGINX_SSL_PORT", "proxy-ssl-port"),
    ] {
        migrate::config_to_property_everywhere(ctx, "proxy", var, property, false, verbatim)?;
    }
    Ok(())
}

/// Earlier builds kept the nginx properties under `config/nginx-vhosts/`;
/// Dokku keeps them under `config/nginx/`. Move every file that has no
/// counterpart at the new place, then drop the old tree.
pub fn move_property_root(ctx: &Ctx) -> Result<()> {
    let old = ctx.paths.plugin_config_dir(crate::props::PLUGIN);
    if !old.is_dir() {
        return Ok(());
    }
    let new = ctx.paths.plugin_config_dir(crate::props::STORE);
    if !new.exists() {
        std::fs::rename(&old, &new).map_err(|e| dokku_core::Error::io("rename", &old, e))?;
        return migrate::reown_property_tree(&new);
    }
    let scopes =
        std::fs::read_dir(&old).map_err(|e| dokku_core::Error::io("read directory", &old, e))?;
    for scope in scopes.flatten() {
        let Ok(files) = std::fs::read_dir(scope.path()) else {
            continue;
        };
        for file in files.flatten() {
            let target = new.join(scope.file_name()).join(file.file_name());
            if !target.exists() {
                fsutil::ensure_dir(&new.join(scope.file_name()))?;
                std::fs::rename(file.path(), &target)
                    .map_err(|e| dokku_core::Error::io("rename", file.path(), e))?;
            }
        }
    }
    fsutil::remove_dir_all(&old)?;
    migrate::reown_property_tree(&new)
}

/// How the system runs nginx, for the sudoers rule Dokku writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init<'a> {
    /// `systemctl` at this path.
    Systemd(&'a str),
    /// `/usr/sbin/invoke-rc.d`.
    InvokeRc,
    /// runit's `/usr/bin/sv`.
    Sv,
    /// `/etc/init.d/<service>`.
    InitD,
}

/// The service manager Dokku picks for a distro: debian and raspbian use
/// systemd when `systemctl` exists, else invoke-rc.d; ubuntu uses sv when
/// asked (`DOKKU_INIT_SYSTEM=sv`), else systemd, else sv when installed,
/// else init.d; arch uses systemd. Other distros get no rule.
pub fn init_for<'a>(
    distro: &str,
    systemctl: Option<&'a str>,
    init_system_sv: bool,
    has_sv: bool,
) -> Option<Init<'a>> {
    match distro {
        "debian" | "raspbian" => Some(systemctl.map_or(Init::InvokeRc, Init::Systemd)),
        "ubuntu" if init_system_sv => Some(Init::Sv),
        "ubuntu" => Some(match systemctl {
            Some(sc) => Init::Systemd(sc),
            None if has_sv => Init::Sv,
            None => Init::InitD,
        }),
        "arch" => Some(Init::Systemd(systemctl.unwrap_or("/usr/bin/systemctl"))),
        _ => None,
    }
}

/// Dokku's sudoers line for nginx: the service actions through the init
/// system, and the two config checks.
pub fn sudoers_line(group: &str, init: Init<'_>, service: &str, bin: &str) -> String {
    let action = |a: &str| match init {
        Init::Systemd(sc) => format!("{sc} {a} {service}"),
        Init::InvokeRc => format!("/usr/sbin/invoke-rc.d {service} {a}"),
        Init::Sv => format!("/usr/bin/sv {a} {service}"),
        Init::InitD => format!("/etc/init.d/{service} {a}"),
    };
    let status = match init {
        Init::Systemd(sc) => Some(format!("{sc} is-active --quiet {service}")),
        Init::Sv => Some(format!("/usr/bin/sv status {service}")),
        Init::InvokeRc | Init::InitD => None,
    };
    let mut cmds: Vec<String> = ["enable", "disable", "reload", "start", "stop"]
        .into_iter()
        .map(action)
        .collect();
    cmds.extend(status);
    cmds.push(format!("{bin} -t"));
    cmds.push(format!("{bin} -t -c *"));
    format!("%{group} ALL=(ALL) NOPASSWD:{}\n", cmds.join(", "))
}

/// Our own addition beside Dokku's rule: where no service manager runs
/// nginx, it is started, reloaded and stopped with the binary itself.
pub fn signal_line(group: &str, bin: &str) -> String {
    format!("%{group} ALL=(ALL) NOPASSWD:{bin} \"\", {bin} -s reload, {bin} -s quit\n")
}

/// Write a sudoers file (0440) when `visudo` accepts it (or is missing).
pub fn write_sudoers(path: &Path, text: &str) -> Result<()> {
    dokku_core::system::write_sudoers(path, text)
}

/// `nginx.conf` without any `server_tokens` line (commented ones too):
/// `dokku.conf` sets it, and nginx refuses a directive given twice.
/// `None` when there is none.
pub fn without_server_tokens(text: &str) -> Option<String> {
    if !text.contains("server_tokens") {
        return None;
    }
    Some(
        text.split_inclusive('\n')
            .filter(|l| !l.contains("server_tokens"))
            .collect(),
    )
}

/// The distribution's nginx log rotation as Dokku leaves it: new logs
/// group-owned by `adm` (not `dokku`), and the reload through `service`.
/// `None` when nothing changes.
pub fn logrotate_for_adm(text: &str) -> Option<String> {
    let fixed = text
        .replace("create 0640 www-data dokku", "create 0640 www-data adm")
        .replace("invoke-rc.d", "service");
    (fixed != text).then_some(fixed)
}

/// Rewrite `path` through `edit` when it exists and the edit changes it
/// (the file keeps its mode; root's files stay root's).
pub fn edit_host_file(path: &Path, edit: fn(&str) -> Option<String>) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let Some(text) = fsutil::read_optional(path)? else {
        return Ok(());
    };
    if let Some(new) = edit(&text) {
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        fsutil::write_atomic_unowned(path, new.as_bytes(), mode)?;
    }
    Ok(())
}

/// The system user joins `adm`, and the nginx log root (created when
/// missing) with everything in it goes to group `adm`, so app logs are
/// readable by the system user.
pub fn share_log_root(user: &str, log_root: &Path) -> Result<()> {
    use std::process::{Command, Stdio};
    std::fs::create_dir_all(log_root)
        .map_err(|e| dokku_core::Error::io("create directory", log_root, e))?;
    let quiet = |cmd: &mut Command| {
        let _ = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    };
    quiet(Command::new("gpasswd").args(["-a", user, "adm"]));
    quiet(Command::new("chgrp").args(["-R", "adm"]).arg(log_root));
    Ok(())
}

#[cfg(test)]
mod host_file_tests {
    use super::*;

    /// Each host-file edit: what it makes of a file, `None` when the file
    /// needs no change.
    #[test]
    fn host_file_edits() {
        type Edit = fn(&str) -> Option<String>;
        let cases: &[(Edit, &str, Option<&str>)] = &[
            // server_tokens lines go.
            (
                without_server_tokens,
                "http {\n\tsendfile on;\n\t# server_tokens off;\n\tserver_tokens on;\n}\n",
                Some("http {\n\tsendfile on;\n}\n"),
            ),
            (without_server_tokens, "http {}\n", None),
            // logrotate creates files for adm and rotates through service.
            (
                logrotate_for_adm,
                "/var/log/nginx/*.log {\n\tcreate 0640 www-data dokku\n\tpostrotate\n\t\tinvoke-rc.d nginx rotate >/dev/null 2>&1\n\tendscript\n}\n",
                Some("/var/log/nginx/*.log {\n\tcreate 0640 www-data adm\n\tpostrotate\n\t\tservice nginx rotate >/dev/null 2>&1\n\tendscript\n}\n"),
            ),
            (logrotate_for_adm, "create 0640 www-data adm\n", None),
        ];
        for (edit, conf, want) in cases {
            assert_eq!(edit(conf).as_deref(), *want, "{conf:?}");
        }
    }

    #[test]
    fn host_files_are_edited_in_place_keeping_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().expect("tempdir");
        let f = d.path().join("nginx.conf");
        std::fs::write(&f, "a\n# server_tokens off;\nb\n").expect("write");
        fsutil::set_mode(&f, 0o640).expect("chmod");
        edit_host_file(&f, without_server_tokens).expect("edit");
        assert_eq!(std::fs::read_to_string(&f).expect("read"), "a\nb\n");
        assert_eq!(
            std::fs::metadata(&f).expect("stat").permissions().mode() & 0o777,
            0o640
        );
        edit_host_file(&d.path().join("missing"), without_server_tokens).expect("missing");
        assert!(!d.path().join("missing").exists());
    }
}

#[cfg(test)]
mod sudoers_tests {
    use super::*;

    #[test]
    fn dokkus_forms() {
        let sc = "/usr/bin/systemctl";
        assert_eq!(
            sudoers_line("dokku", Init::Systemd(sc), "nginx", "/usr/sbin/nginx"),
            "%dokku ALL=(ALL) NOPASSWD:/usr/bin/systemctl enable nginx, /usr/bin/systemctl disable nginx, /usr/bin/systemctl reload nginx, /usr/bin/systemctl start nginx, /usr/bin/systemctl stop nginx, /usr/bin/systemctl is-active --quiet nginx, /usr/sbin/nginx -t, /usr/sbin/nginx -t -c *\n"
        );
        assert_eq!(
            sudoers_line("dokku", Init::InvokeRc, "nginx", "/usr/sbin/nginx"),
            "%dokku ALL=(ALL) NOPASSWD:/usr/sbin/invoke-rc.d nginx enable, /usr/sbin/invoke-rc.d nginx disable, /usr/sbin/invoke-rc.d nginx reload, /usr/sbin/invoke-rc.d nginx start, /usr/sbin/invoke-rc.d nginx stop, /usr/sbin/nginx -t, /usr/sbin/nginx -t -c *\n"
        );
        assert!(sudoers_line("dokku", Init::Sv, "nginx", "/usr/sbin/nginx")
            .contains("/usr/bin/sv stop nginx, /usr/bin/sv status nginx, "));
        assert_eq!(init_for("debian", None, false, false), Some(Init::InvokeRc));
        assert_eq!(
            init_for("debian", Some(sc), false, false),
            Some(Init::Systemd(sc))
        );
        assert_eq!(init_for("ubuntu", Some(sc), true, false), Some(Init::Sv));
        assert_eq!(init_for("ubuntu", None, false, false), Some(Init::InitD));
        assert_eq!(init_for("centos", Some(sc), false, false), None);
    }
}

/// `<nginx root>/dhparam.pem` for dokku.conf's `ssl_dhparam`, made once
/// when missing, as Dokku's install does. The parameters are DSA-style
/// (`-dsaparam`): seconds rather than minutes on a small machine, and
/// nginx takes either form. Without `openssl` nothing is made and
/// dokku.conf leaves the directive out.
pub fn ensure_dhparam(nginx_root: &Path) -> Result<()> {
    use std::process::{Command, Stdio};
    let target = nginx_root.join("dhparam.pem");
    if target.is_file() || !nginx_root.is_dir() {
        return Ok(());
    }
    let tmp = nginx_root.join(format!(".dhparam.pem.{}", std::process::id()));
    let made = Command::new("openssl")
        .args(["dhparam", "-dsaparam", "-out"])
        .arg(&tmp)
        .arg("2048")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !made {
        let _ = std::fs::remove_file(&tmp);
        return Ok(());
    }
    let data = std::fs::read(&tmp).map_err(|e| dokku_core::Error::io("read", &tmp, e))?;
    let _ = std::fs::remove_file(&tmp);
    fsutil::write_atomic_unowned(&target, &data, 0o644)
}

#[cfg(test)]
mod dhparam_tests {
    use super::*;

    #[test]
    fn dhparam_is_made_once_and_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        ensure_dhparam(dir.path()).expect("dhparam");
        let path = dir.path().join("dhparam.pem");
        let text = std::fs::read_to_string(&path).expect("made");
        assert!(text.starts_with("-----BEGIN "), "{text}");
        assert!(text.contains("DH PARAMETERS"), "{text}");
        // Kept as it is afterwards.
        std::fs::write(&path, "kept").expect("write");
        ensure_dhparam(dir.path()).expect("again");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "kept");
        // No temp file left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["dhparam.pem"]);
    }
}
