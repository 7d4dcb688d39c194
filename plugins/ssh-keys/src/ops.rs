//! Adding, removing and listing keys in `$DOKKU_ROOT/.ssh/authorized_keys`.
//!
//! Every change is a read-modify-write under one state lock, written
//! atomically; the `.ssh` directory is kept at mode 0700 and the file at
//! 0600, both owned by the system user, which is what sshd's StrictModes
//! wants before it trusts the file.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use dokku_core::fsutil::{ensure_dir, read_optional, write_atomic};
use dokku_core::lock::StateLock;
use dokku_core::system::chown_to_system;
use dokku_core::{Error, Paths, Result};
use dokku_output::Output;

use crate::authorized_keys::{self as ak, Entry, Line};
use crate::keygen;

/// Dokku's message when there is no key to list.
pub const NO_KEYS: &str = "No public keys found.";
/// Dokku's message for an empty key.
pub const EMPTY_KEY: &str = "Empty key was specified";
/// Dokku's message for more than one key at once.
pub const TOO_MANY_KEYS: &str =
    "Too many keys provided, set one per invocation of dokku ssh-keys:add <NAME> <KEY_FILE>";
/// Dokku's message for something ssh-keygen does not accept.
pub const INVALID_KEY: &str = "Key specified in is not a valid ssh public key";
/// sshcommand's message for a name already in use.
pub const DUPLICATE_NAME: &str = "Duplicate ssh key name";
/// sshcommand's message for a key already present.
pub const DUPLICATE_KEY: &str = "Duplicate ssh public key specified";

/// Name of the state lock guarding the file (not an app name: app names
/// cannot start with a dash).
const LOCK: &str = "--ssh-keys";

/// `$DOKKU_ROOT/.ssh`.
pub fn ssh_dir(paths: &Paths) -> PathBuf {
    paths.dokku_root.join(".ssh")
}

/// `$DOKKU_ROOT/.ssh/authorized_keys`.
pub fn key_file(paths: &Paths) -> PathBuf {
    ssh_dir(paths).join("authorized_keys")
}

/// `$DOKKU_ROOT/.sshcommand`: the path of the binary the forced command runs.
pub fn sshcommand_file(paths: &Paths) -> PathBuf {
    paths.dokku_root.join(".sshcommand")
}

fn read_lines(paths: &Paths) -> Result<Vec<Line>> {
    Ok(read_optional(&key_file(paths))?
        .map(|t| ak::parse(&t))
        .unwrap_or_default())
}

fn write_lines(paths: &Paths, lines: &[Line]) -> Result<()> {
    let dir = ssh_dir(paths);
    ensure_dir(&dir)?;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| Error::io("chmod", &dir, e))?;
    chown_to_system(&dir);
    write_atomic(&key_file(paths), ak::render(lines).as_bytes(), 0o700)
}

/// Write `.sshcommand` when it is missing, naming this binary, so the keys
/// just added can log in.
fn ensure_sshcommand(paths: &Paths) -> Result<()> {
    let path = sshcommand_file(paths);
    if path.exists() {
        return Ok(());
    }
    let exe = std::env::current_exe().map_err(|e| Error::other("locate the dokku binary", e))?;
    write_atomic(&path, format!("{}\n", exe.display()).as_bytes(), 0o644)
}

/// Print a line the way sshcommand fails (plain, on stderr), then Dokku's
/// wrapper line.
fn sshcommand_error(out: &Output, msg: &str) -> Error {
    out.write_err(&format!("{msg}\n"));
    Error::fail("sshcommand returned an error: 1")
}

/// The one key of `text`, validated: its public part and its fingerprint.
pub fn check_key(text: &str) -> Result<(String, String)> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let line = match lines.as_slice() {
        [] => return Err(Error::fail(EMPTY_KEY)),
        [one] => *one,
        _ => return Err(Error::fail(TOO_MANY_KEYS)),
    };
    let fp = keygen::fingerprint(line)?.ok_or_else(|| Error::fail(INVALID_KEY))?;
    let (key, _) = ak::public_key(line).ok_or_else(|| Error::fail(INVALID_KEY))?;
    Ok((key, fp))
}

/// Add `text` (one public key) under `name`; returns its fingerprint.
/// `options` is the ssh option list (`SSHCOMMAND_ALLOWED_KEYS` or the default).
pub fn add(paths: &Paths, out: &Output, name: &str, text: &str, options: &str) -> Result<String> {
    let (key, fingerprint) = check_key(text)?;
    if !ak::is_valid_name(name) {
        return Err(Error::fail(format!(
            "Invalid key name {name:?}: use letters, digits and . _ - @ + : only"
        )));
    }
    if !ak::is_valid_options(options) {
        return Err(Error::fail(format!(
            "Invalid SSHCOMMAND_ALLOWED_KEYS value: {options}"
        )));
    }
    if !ak::is_valid_root(&paths.dokku_root) {
        return Err(Error::fail(format!(
            "DOKKU_ROOT {} cannot be written into a forced ssh command",
            paths.dokku_root.display()
        )));
    }
    let _lock = StateLock::acquire(paths, LOCK)?;
    let mut lines = read_lines(paths)?;
    if lines.iter().filter_map(Line::entry).any(|e| e.name == name) {
        return Err(sshcommand_error(out, DUPLICATE_NAME));
    }
    let blob = ak::public_key(&key).map(|k| k.1).unwrap_or_default();
    if lines
        .iter()
        .filter_map(|l| ak::public_key(l.raw()))
        .any(|(_, b)| b == blob)
    {
        return Err(sshcommand_error(out, DUPLICATE_KEY));
    }
    let entry = Entry {
        fingerprint: fingerprint.clone(),
        name: name.to_string(),
        options: options.to_string(),
        key,
    };
    let raw = ak::render_entry(&entry, &paths.dokku_root);
    lines.push(Line::Managed { entry, raw });
    ensure_sshcommand(paths)?;
    write_lines(paths, &lines)?;
    Ok(fingerprint)
}

/// Which keys to remove.
#[derive(Debug, Clone, Copy)]
pub enum Selector<'a> {
    /// Every key added under this name.
    Name(&'a str),
    /// Every key with this fingerprint.
    Fingerprint(&'a str),
}

/// Remove the selected keys; returns how many lines went. Nothing matching
/// is not an error, as with sshcommand.
pub fn remove(paths: &Paths, sel: Selector<'_>) -> Result<usize> {
    let _lock = StateLock::acquire(paths, LOCK)?;
    if !key_file(paths).exists() {
        return Ok(0);
    }
    let lines = read_lines(paths)?;
    let before = lines.len();
    let kept: Vec<Line> = lines
        .into_iter()
        .filter(|l| match (l.entry(), sel) {
            (Some(e), Selector::Name(n)) => e.name != n,
            (Some(e), Selector::Fingerprint(f)) => e.fingerprint != f,
            (None, _) => true,
        })
        .collect();
    let removed = before - kept.len();
    if removed > 0 {
        write_lines(paths, &kept)?;
    }
    Ok(removed)
}

/// The managed keys, after checking every key line with ssh-keygen as Dokku
/// does before listing. Fails with Dokku's words when there is no file.
pub fn verified_entries(paths: &Paths) -> Result<Vec<Entry>> {
    let path = key_file(paths);
    let text = read_optional(&path)?.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(Error::fail(NO_KEYS));
    }
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if keygen::fingerprint(trimmed)?.is_none() {
            return Err(Error::fail(format!(
                "{} line {} failed ssh-keygen check.",
                path.display(),
                i + 1
            )));
        }
        if let Some(e) = ak::parse_line(line).entry() {
            entries.push(e.clone());
        }
    }
    Ok(entries)
}

/// One key as `ssh-keys:list` prints it.
pub fn text_line(e: &Entry) -> String {
    format!(
        "{} NAME=\"{}\" SSHCOMMAND_ALLOWED_KEYS=\"{}\"",
        e.fingerprint, e.name, e.options
    )
}

/// Keys as `ssh-keys:list --format json` prints them: one compact array,
/// fields in sshcommand's order.
pub fn json(entries: &[Entry]) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let items: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "{{\"fingerprint\":{},\"name\":{},\"SSHCOMMAND_ALLOWED_KEYS\":{}}}",
                q(&e.fingerprint),
                q(&e.name),
                q(&e.options)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICcHhyrPXbex5SodKg6v4vB59yIOj998WQ38kgqbV8lb me@laptop";
    const FP: &str = "SHA256:Xb9A+DDb1h0pD6wrIpWPNsxVOF256q5W+QJIC02rBsU";

    fn check(text: &str) -> std::result::Result<String, String> {
        check_key(text).map(|(_, fp)| fp).map_err(|e| e.to_string())
    }

    #[test]
    fn key_checks_in_dokku_order() {
        assert_eq!(check(&format!("{KEY}\r\n")), Ok(FP.to_string()));
        assert_eq!(check(" \n\n"), Err(EMPTY_KEY.to_string()));
        assert_eq!(
            check(&format!("{KEY}\n{KEY}\n")),
            Err(TOO_MANY_KEYS.to_string())
        );
        assert_eq!(check("ssh-rsa AAAA"), Err(INVALID_KEY.to_string()));
    }

    #[test]
    fn add_list_remove_round_trip() {
        let dir = tempfile::tempdir().expect("tmp");
        let paths = Paths::for_roots(&dir.path().join("home"), &dir.path().join("lib"));
        fs::create_dir_all(&paths.dokku_root).expect("mkdir");
        let (out, cap) = Output::captured(false);
        assert_eq!(
            add(&paths, &out, "admin", KEY, ak::DEFAULT_OPTIONS).expect("add"),
            FP
        );
        let e = add(&paths, &out, "admin", KEY, ak::DEFAULT_OPTIONS).expect_err("dup name");
        assert_eq!(e.to_string(), "sshcommand returned an error: 1");
        let e = add(&paths, &out, "other", KEY, ak::DEFAULT_OPTIONS).expect_err("dup key");
        assert_eq!(e.to_string(), "sshcommand returned an error: 1");
        assert_eq!(cap.stderr(), format!("{DUPLICATE_NAME}\n{DUPLICATE_KEY}\n"));
        let mode = |p: PathBuf| fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(ssh_dir(&paths)), 0o700);
        assert_eq!(mode(key_file(&paths)), 0o700);
        assert!(sshcommand_file(&paths).is_file());
        let entries = verified_entries(&paths).expect("list");
        assert_eq!(entries.len(), 1);
        assert_eq!(
            text_line(&entries[0]),
            format!(
                "{FP} NAME=\"admin\" SSHCOMMAND_ALLOWED_KEYS=\"{}\"",
                ak::DEFAULT_OPTIONS
            )
        );
        assert_eq!(
            json(&entries),
            format!(
                r#"[{{"fingerprint":"{FP}","name":"admin","SSHCOMMAND_ALLOWED_KEYS":"{}"}}]"#,
                ak::DEFAULT_OPTIONS
            )
        );
        assert_eq!(remove(&paths, Selector::Name("nobody")).expect("rm"), 0);
        assert_eq!(remove(&paths, Selector::Fingerprint(FP)).expect("rm"), 1);
        assert_eq!(
            verified_entries(&paths).expect_err("empty").to_string(),
            NO_KEYS
        );
    }
}
