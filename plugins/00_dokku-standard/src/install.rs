//! The install step of the standard plugin: the rc directory, the global
//! `VHOST` taken from the host's name, and, on the host's installation,
//! the unit that restores apps after a reboot (under systemd), the login
//! hints in `/etc/update-motd.d/99-dokku` and docker's live-restore.

use std::path::Path;
use std::process::{Command, Stdio};

use dokku_core::{fsutil, system, Result};
use dokku_trigger::Ctx;

/// Where the login hints go.
const MOTD: &str = "/etc/update-motd.d/99-dokku";

/// The engine's configuration file.
const DAEMON_JSON: &str = "/etc/docker/daemon.json";

/// Run the install step.
pub fn install(ctx: &Ctx) -> Result<()> {
    let rc = ctx.paths.dokku_root.join(".dokkurc");
    fsutil::ensure_dir(&rc)?;
    system::chown_to_system(&rc);
    if let Ok(rd) = std::fs::read_dir(&rc) {
        for e in rd.flatten() {
            system::chown_to_system(&e.path());
        }
    }
    default_vhost(&ctx.paths.dokku_root, &|p, a| first_line(p, a))?;
    if !system::is_host_install(&ctx.paths.system_user, &ctx.paths.dokku_root) {
        return Ok(());
    }
    if system::has_systemd() {
        let unit = Path::new(REDEPLOY_UNIT);
        system::write_host_file(
            unit,
            &redeploy_service(&system::dokku_binary(), &ctx.paths.system_user),
        )?;
        system::systemctl(&["daemon-reload"]);
        system::systemctl(&["--quiet", "reenable", "dokku-redeploy"]);
    }
    write_motd(Path::new(MOTD), &ctx.paths.dokku_root)?;
    let engine_on = ctx
        .try_engine()
        .ok()
        .and_then(|e| e.live_restore_enabled().ok());
    if live_restore_wanted() {
        let changed = enable_live_restore(Path::new(DAEMON_JSON), engine_on, &|l| ctx.out.line(l))?;
        if changed && engine_on.is_some() {
            reload_engine();
        }
    }
    Ok(())
}

/// The unit that brings apps back once the engine is up after a boot.
const REDEPLOY_UNIT: &str = "/etc/systemd/system/dokku-redeploy.service";

/// The `dokku-redeploy.service` unit: `ps:restore` of every app (those
/// stopped with `ps:stop` stay stopped), as the system user, after docker.
pub fn redeploy_service(dokku: &Path, user: &str) -> String {
    format!(
        "[Unit]\nDescription=Dokku app redeploy service\nRequires=docker.service\nAfter=docker.service\n\n[Service]\nType=simple\nUser={user}\nExecStart={} ps:restore --parallel -1\n\n[Install]\nWantedBy=docker.service\n",
        dokku.display()
    )
}

/// First line of a program's output, when it succeeds and prints one.
fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let o = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !o.status.success() {
        return None;
    }
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .next()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
}

/// Runs a program and returns its first output line.
type Probe<'a> = &'a dyn Fn(&str, &[&str]) -> Option<String>;

/// `$DOKKU_ROOT/VHOST` from `hostname -f`, as Dokku's install writes it:
/// only when the file is missing (an upgrade keeps what `domains:set-global`
/// stored, even an empty file) and when DNS answers for that name (`dig
/// +short`; without `dig` nothing is written). Whatever is there then
/// belongs to the system user.
pub fn default_vhost(root: &Path, run: Probe) -> Result<()> {
    let vhost = root.join("VHOST");
    if std::fs::symlink_metadata(&vhost).is_err() {
        if let Some(name) = run("hostname", &["-f"]) {
            if run("dig", &["+short", &name]).is_some() {
                fsutil::write_atomic(&vhost, format!("{name}\n").as_bytes(), 0o644)?;
            }
        }
    }
    if vhost.is_file() {
        system::chown_to_system(&vhost);
    }
    Ok(())
}

/// The login hints: shown while the global domain or the ssh keys are
/// still empty. The wording is ours (the reference gives only the
/// condition).
pub fn motd_script(root: &Path) -> String {
    let root = root.display();
    format!(
        "#!/bin/sh\n\
         # Written by dokku's install step: what is left to set up.\n\
         vhost=\"{root}/VHOST\"\n\
         keys=\"{root}/.ssh/authorized_keys\"\n\
         if [ ! -s \"$vhost\" ] || [ ! -s \"$keys\" ]; then\n\
         \x20 echo\n\
         \x20 echo \"Dokku needs a little more setup before the first deploy:\"\n\
         \x20 if [ ! -s \"$keys\" ]; then\n\
         \x20   echo \"  add an ssh key:       cat ~/.ssh/authorized_keys | sudo dokku ssh-keys:add admin\"\n\
         \x20 fi\n\
         \x20 if [ ! -s \"$vhost\" ]; then\n\
         \x20   echo \"  set a global domain:  dokku domains:set-global <domain>\"\n\
         \x20 fi\n\
         \x20 echo \"  (https://dokku.com/docs/getting-started/installation/)\"\n\
         \x20 echo\n\
         fi\n"
    )
}

/// Install the hints at `path` (root's, 0755), rewritten when they differ.
pub fn write_motd(path: &Path, root: &Path) -> Result<()> {
    let text = motd_script(root);
    if fsutil::read_optional(path)?.as_deref() != Some(text.as_str()) {
        fsutil::write_atomic_unowned(path, text.as_bytes(), 0o755)?;
    }
    fsutil::set_mode(path, 0o755)
}

/// Whether the host wants live-restore turned on: not under runit
/// (`DOKKU_INIT_SYSTEM=sv`, Dokku's docker image) and not refused with
/// `DOKKU_LIVE_RESTORE=false`.
fn live_restore_wanted() -> bool {
    std::env::var("DOKKU_INIT_SYSTEM").as_deref() != Ok("sv")
        && std::env::var("DOKKU_LIVE_RESTORE").as_deref() != Ok("false")
}

/// The daemon configuration with `"live-restore": true` added, other keys
/// kept as they are (their order and layout too when the key is new);
/// `None` when it is already on. Empty text counts as `{}`.
pub fn with_live_restore(text: &str) -> std::result::Result<Option<String>, String> {
    let trimmed = text.trim();
    let source = if trimmed.is_empty() { "{}" } else { trimmed };
    let mut value: serde_json::Value = serde_json::from_str(source).map_err(|e| e.to_string())?;
    let Some(map) = value.as_object_mut() else {
        return Err("not a JSON object".into());
    };
    match map.get("live-restore") {
        Some(serde_json::Value::Bool(true)) => return Ok(None),
        Some(_) => {
            // Present but off: rewritten whole (keys then come out sorted).
            map.insert("live-restore".into(), serde_json::Value::Bool(true));
            let pretty = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
            return Ok(Some(format!("{pretty}\n")));
        }
        None => {}
    }
    if map.is_empty() {
        return Ok(Some("{\n  \"live-restore\": true\n}\n".into()));
    }
    let body = source
        .strip_suffix('}')
        .ok_or_else(|| "not a JSON object".to_string())?
        .trim_end();
    Ok(Some(format!("{body},\n  \"live-restore\": true\n}}\n")))
}

/// Turn live-restore on in `daemon_json` unless the engine (`engine_on`,
/// `None` when it cannot be asked) or the file already has it: the key
/// is merged into the file (created as `{}` first), and "Enabling docker
/// live-restore" is printed. The engine may have it from a command-line
/// flag, which the file must then not repeat (dockerd refuses to start
/// with a setting given both ways). A file that is not a JSON object is
/// left alone with a warning. Returns whether the file changed.
pub fn enable_live_restore(
    daemon_json: &Path,
    engine_on: Option<bool>,
    say: &dyn Fn(&str),
) -> Result<bool> {
    if engine_on == Some(true) {
        return Ok(false);
    }
    let current = fsutil::read_optional(daemon_json)?.unwrap_or_default();
    let merged = match with_live_restore(&current) {
        Ok(Some(m)) => m,
        Ok(None) => return Ok(false),
        Err(e) => {
            say(&format!(
                " !     Not enabling docker live-restore: {} is not valid ({e})",
                daemon_json.display()
            ));
            return Ok(false);
        }
    };
    say("Enabling docker live-restore");
    let mode = std::fs::metadata(daemon_json)
        .map(|m| {
            use std::os::unix::fs::PermissionsExt;
            m.permissions().mode() & 0o7777
        })
        .unwrap_or(0o644);
    fsutil::write_atomic_unowned(daemon_json, merged.as_bytes(), mode)?;
    Ok(true)
}

/// Make the running engine read its configuration again. live-restore is
/// one of the settings dockerd reloads on SIGHUP, so this never restarts
/// it (nor any container): `systemctl reload docker` under systemd, else
/// SIGHUP to the pid in docker's pid file.
fn reload_engine() {
    if system::has_systemd() {
        let _ = Command::new("systemctl")
            .args(["reload", "docker"])
            .stdin(Stdio::null())
            .status();
        return;
    }
    let pid = std::fs::read_to_string("/var/run/docker.pid")
        .ok()
        .and_then(|p| p.trim().parse::<i32>().ok());
    if let Some(pid) = pid.filter(|p| *p > 1) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGHUP,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn live_restore_merges_into_other_keys() {
        let text = "{\n    \"log-driver\": \"local\",\n    \"dns\": [\"1.1.1.1\"]\n}\n";
        let merged = with_live_restore(text).expect("valid").expect("changed");
        assert_eq!(
            merged,
            "{\n    \"log-driver\": \"local\",\n    \"dns\": [\"1.1.1.1\"],\n  \"live-restore\": true\n}\n"
        );
        let v: serde_json::Value = serde_json::from_str(&merged).expect("json");
        assert_eq!(v["log-driver"], "local");
        assert_eq!(v["dns"][0], "1.1.1.1");
        assert_eq!(v["live-restore"], true);
        assert_eq!(with_live_restore(&merged).expect("valid"), None);
        assert_eq!(
            with_live_restore("").expect("valid").as_deref(),
            Some("{\n  \"live-restore\": true\n}\n")
        );
        assert_eq!(
            with_live_restore("{}").expect("valid").as_deref(),
            Some("{\n  \"live-restore\": true\n}\n")
        );
        let off = with_live_restore("{\"live-restore\": false, \"b\": 1}")
            .expect("valid")
            .expect("changed");
        let v: serde_json::Value = serde_json::from_str(&off).expect("json");
        assert_eq!(v, serde_json::json!({"b": 1, "live-restore": true}));
        assert!(with_live_restore("[1]").is_err());
        assert!(with_live_restore("{\"a\":").is_err());
    }

    #[test]
    fn live_restore_file_is_written_once_and_only_when_needed() {
        let d = tempfile::tempdir().expect("tempdir");
        let file = d.path().join("docker/daemon.json");
        let said = RefCell::new(Vec::<String>::new());
        let say = |l: &str| said.borrow_mut().push(l.to_string());
        // The engine has it already (maybe from a flag): no file at all.
        assert!(!enable_live_restore(&file, Some(true), &say).expect("ok"));
        assert!(!file.exists());
        // Missing file, engine not reachable: created.
        assert!(enable_live_restore(&file, None, &say).expect("ok"));
        assert_eq!(
            std::fs::read_to_string(&file).expect("read"),
            "{\n  \"live-restore\": true\n}\n"
        );
        assert_eq!(*said.borrow(), vec!["Enabling docker live-restore"]);
        // On in the file: nothing more (the engine not reloaded again).
        assert!(!enable_live_restore(&file, Some(false), &say).expect("ok"));
        assert_eq!(said.borrow().len(), 1);
        // Other keys and the file's mode are kept.
        std::fs::write(&file, "{\"data-root\": \"/srv/docker\"}").expect("write");
        fsutil::set_mode(&file, 0o600).expect("chmod");
        assert!(enable_live_restore(&file, Some(false), &say).expect("ok"));
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
        assert_eq!(
            v,
            serde_json::json!({"data-root": "/srv/docker", "live-restore": true})
        );
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).expect("stat").permissions().mode() & 0o777,
            0o600
        );
        // Not JSON: left alone, with a warning.
        std::fs::write(&file, "nope").expect("write");
        assert!(!enable_live_restore(&file, None, &say).expect("ok"));
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "nope");
        assert!(said.borrow().last().expect("line").contains("not valid"));
    }

    #[test]
    fn vhost_from_a_resolving_host_name_only_when_missing() {
        let d = tempfile::tempdir().expect("tempdir");
        let vhost = d.path().join("VHOST");
        let answers = |resolves: bool| {
            move |p: &str, a: &[&str]| -> Option<String> {
                match (p, a) {
                    ("hostname", ["-f"]) => Some("box.example.test".into()),
                    ("dig", ["+short", "box.example.test"]) if resolves => Some("192.0.2.7".into()),
                    _ => None,
                }
            }
        };
        default_vhost(d.path(), &answers(false)).expect("ok");
        assert!(!vhost.exists());
        default_vhost(d.path(), &answers(true)).expect("ok");
        assert_eq!(
            std::fs::read_to_string(&vhost).expect("read"),
            "box.example.test\n"
        );
        std::fs::write(&vhost, "").expect("write");
        default_vhost(d.path(), &answers(true)).expect("ok");
        assert_eq!(std::fs::read_to_string(&vhost).expect("read"), "");
    }

    #[test]
    fn motd_hints_until_domain_and_key_are_set() {
        let d = tempfile::tempdir().expect("tempdir");
        let root = d.path().join("home");
        std::fs::create_dir_all(root.join(".ssh")).expect("mkdir");
        let motd = d.path().join("update-motd.d/99-dokku");
        write_motd(&motd, &root).expect("write");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&motd).expect("stat").permissions().mode() & 0o7777,
            0o755
        );
        let run = || {
            let o = Command::new(&motd).output().expect("run");
            assert!(o.status.success());
            String::from_utf8_lossy(&o.stdout).into_owned()
        };
        let both = run();
        assert!(both.contains("ssh-keys:add admin"), "{both}");
        assert!(both.contains("domains:set-global"), "{both}");
        std::fs::write(root.join("VHOST"), "dokku.me\n").expect("write");
        let keys_only = run();
        assert!(keys_only.contains("ssh-keys:add"), "{keys_only}");
        assert!(!keys_only.contains("domains:set-global"), "{keys_only}");
        std::fs::write(root.join(".ssh/authorized_keys"), "ssh-ed25519 AAAA x\n").expect("write");
        assert_eq!(run(), "");
    }
}
