//! Credentials for remote repositories: `git:auth` and `git:auth-status`
//! (the netrc entry of a host), `git:allow-host` (its ssh host key),
//! `git:generate-deploy-key` and `git:public-key` (the ssh key the dokku
//! user clones with).

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use dokku_core::{fsutil, system, Error, Result};
use dokku_trigger::Ctx;

use crate::netrc;

fn host_arg(argv: &[String]) -> Result<&str> {
    argv.first()
        .map(String::as_str)
        .filter(|h| !h.is_empty())
        .ok_or_else(|| Error::fail("Please supply a git host"))
}

/// A host name as netrc and ssh take it: no spaces, no option lookalikes.
fn checked_host(host: &str) -> Result<&str> {
    let ok = !host.starts_with('-')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']'));
    if ok {
        Ok(host)
    } else {
        Err(Error::fail(format!("Invalid git host specified: {host}")))
    }
}

/// The password from the arguments, else from piped stdin (first line).
fn password(argv: &[String]) -> String {
    if let Some(p) = argv.get(2).filter(|p| !p.is_empty()) {
        return p.clone();
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return String::new();
    }
    let mut text = String::new();
    let _ = stdin.lock().read_to_string(&mut text);
    text.lines().next().unwrap_or_default().trim().to_string()
}

/// `git:auth <host> [<username> <password>]`.
pub fn auth(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let host = checked_host(host_arg(argv)?)?;
    let user = argv.get(1).map(String::as_str).unwrap_or("");
    if user.is_empty() {
        ctx.out
            .info1(&format!("Removing netrc auth entry for host {host}"));
        return netrc::unset(&ctx.paths, host);
    }
    let pass = password(argv);
    if pass.is_empty() {
        return Err(Error::fail("Missing password for netrc auth entry"));
    }
    ctx.out
        .info1(&format!("Setting netrc auth entry for host {host}"));
    netrc::set(&ctx.paths, host, user, &pass)
}

/// `git:auth-status <host> [<username> <password>]`: exit 0 when the entry
/// is as described (absent when no user is given).
pub fn auth_status(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let host = checked_host(host_arg(argv)?)?;
    let user = argv.get(1).map(String::as_str).unwrap_or("");
    let entry = netrc::get(&ctx.paths, host);
    let matches = if user.is_empty() {
        entry.is_none()
    } else {
        let pass = password(argv);
        if pass.is_empty() {
            return Err(Error::fail("Missing password for netrc auth entry"));
        }
        entry.is_some_and(|e| e.login == user && e.password == pass)
    };
    if matches {
        Ok(())
    } else {
        Err(Error::exit(1))
    }
}

fn ssh_dir(ctx: &Ctx) -> PathBuf {
    ctx.paths.dokku_root.join(".ssh")
}

/// `git:allow-host <host>`: append the host's keys to `known_hosts`.
pub fn allow_host(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let host = checked_host(host_arg(argv)?)?;
    let (name, port) = match host.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') && p.chars().all(|c| c.is_ascii_digit()) => (h, Some(p)),
        _ => (host, None),
    };
    let mut scan = Command::new("ssh-keyscan");
    if let Some(p) = port {
        scan.args(["-p", p]);
    }
    let o = scan
        .args(["-t", "rsa,ecdsa,ed25519", "--", name])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| Error::other("run ssh-keyscan", e))?;
    if o.stdout.is_empty() {
        return Err(Error::fail(format!(
            "Unable to fetch the ssh host keys of {host}"
        )));
    }
    let dir = ssh_dir(ctx);
    fsutil::ensure_dir(&dir)?;
    let file = dir.join("known_hosts");
    let mut text = std::fs::read(&file).unwrap_or_default();
    if !text.is_empty() && !text.ends_with(b"\n") {
        text.push(b'\n');
    }
    text.extend_from_slice(&o.stdout);
    fsutil::write_atomic(&file, &text, 0o600)?;
    ctx.out.info1(&format!("{host} added to known hosts"));
    Ok(())
}

/// `git:generate-deploy-key`: an ed25519 key pair without passphrase in
/// `~dokku/.ssh/id_ed25519`, unless one exists.
pub fn generate_deploy_key(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    let dir = ssh_dir(ctx);
    fsutil::ensure_dir(&dir)?;
    let key = dir.join("id_ed25519");
    if key.exists() {
        ctx.out.info1("Deploy key already exists");
        return Ok(());
    }
    let status = Command::new("ssh-keygen")
        .args(["-t", "ed25519", "-N", "", "-C"])
        .arg(format!("{}@{}", ctx.paths.system_user, hostname()))
        .arg("-f")
        .arg(&key)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| Error::other("run ssh-keygen", e))?;
    if !status.success() {
        return Err(Error::fail("Unable to generate a deploy key"));
    }
    system::chown_to_system(&key);
    system::chown_to_system(&key.with_extension("pub"));
    Ok(())
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into())
}

/// `git:public-key`: the deploy key's public half.
pub fn public_key(ctx: &Ctx, _argv: &[String]) -> Result<()> {
    let dir = ssh_dir(ctx);
    for name in ["id_ed25519.pub", "id_rsa.pub"] {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            ctx.out.write_out(&text);
            return Ok(());
        }
    }
    ctx.out.warn(&format!(
        "There is no deploy key associated with the {} user.",
        ctx.paths.system_user
    ));
    ctx.out
        .warn("Generate an ssh key with the following command:");
    ctx.out.warn("  dokku git:generate-deploy-key");
    Err(Error::exit(1))
}
