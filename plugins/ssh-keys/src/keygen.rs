//! Key validation and fingerprints by `ssh-keygen -l`, as Dokku does it.
//!
//! We call OpenSSH's own tool rather than parse keys in process: it accepts
//! exactly the key types and encodings the server's sshd accepts (the two
//! ship together), it is what Dokku uses, so a key Dokku takes we take and
//! the fingerprints are the same, and it keeps a crypto parser out of the
//! binary. The key goes through a private temporary file and the program is
//! run with an argument vector, never through a shell.

use std::io::Write;
use std::process::{Command, Stdio};

use dokku_core::{Error, Result};

use crate::authorized_keys::is_valid_fingerprint;

/// The SHA256 fingerprint of the one key in `text` (a public key or an
/// authorized_keys line), or `None` when ssh-keygen does not accept it.
pub fn fingerprint(text: &str) -> Result<Option<String>> {
    let mut file = tempfile::Builder::new()
        .prefix("dokku-ssh-key.")
        .tempfile()
        .map_err(|e| Error::other("create temporary key file", e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.flush())
        .map_err(|e| Error::io("write", file.path(), e))?;
    let out = Command::new("ssh-keygen")
        .arg("-l")
        .arg("-E")
        .arg("sha256")
        .arg("-f")
        .arg(file.path())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::other("run ssh-keygen", e))?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(parse_output(&String::from_utf8_lossy(&out.stdout)))
}

/// The fingerprint field of `ssh-keygen -l` output
/// (`256 SHA256:… comment (ED25519)`), when there is exactly one key.
fn parse_output(stdout: &str) -> Option<String> {
    let mut lines = stdout.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next()?;
    if lines.next().is_some() {
        return None;
    }
    let fp = first.split_whitespace().nth(1)?;
    is_valid_fingerprint(fp).then(|| fp.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_field() {
        assert_eq!(
            parse_output(
                "256 SHA256:Xb9A+DDb1h0pD6wrIpWPNsxVOF256q5W+QJIC02rBsU me@laptop (ED25519)\n"
            )
            .as_deref(),
            Some("SHA256:Xb9A+DDb1h0pD6wrIpWPNsxVOF256q5W+QJIC02rBsU")
        );
        assert_eq!(parse_output(""), None);
        assert_eq!(
            parse_output("256 SHA256:a x (ED25519)\n256 SHA256:b y (ED25519)\n"),
            None
        );
        assert_eq!(parse_output("256 MD5:aa:bb x (RSA)\n"), None);
    }

    #[test]
    fn real_ssh_keygen() {
        let fp = fingerprint(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICcHhyrPXbex5SodKg6v4vB59yIOj998WQ38kgqbV8lb me@laptop",
        )
        .expect("run");
        assert_eq!(
            fp.as_deref(),
            Some("SHA256:Xb9A+DDb1h0pD6wrIpWPNsxVOF256q5W+QJIC02rBsU")
        );
        assert_eq!(fingerprint("ssh-ed25519 AAAAnotakey").expect("run"), None);
        assert_eq!(fingerprint("hello").expect("run"), None);
    }
}
