//! The `openssl` command: certificate details for reports, and
//! self-signed certificates. Always run with argument vectors.

use std::path::Path;
use std::process::{Command, Stdio};

use dokku_core::{Error, Result};

fn run(args: &[&str]) -> Result<(bool, String)> {
    let out = Command::new("openssl")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::other("openssl", format!("cannot run openssl: {e}")))?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

fn x509_field(crt: &Path, args: &[&str], prefix: &str) -> String {
    let path = crt.display().to_string();
    let mut all = vec!["x509", "-in", path.as_str(), "-noout"];
    all.extend_from_slice(args);
    match run(&all) {
        Ok((true, out)) => out
            .trim()
            .strip_prefix(prefix)
            .unwrap_or(out.trim())
            .trim()
            .to_string(),
        _ => String::new(),
    }
}

/// What a certificate says about itself, as `certs:report` shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertInfo {
    /// `notAfter`.
    pub expires_at: String,
    /// `notBefore`.
    pub starts_at: String,
    /// Issuer DN, `C=GB, ST=...`.
    pub issuer: String,
    /// Subject DN, `OU=...; CN=...`.
    pub subject: String,
    /// CN and subject alternative names, space-separated.
    pub hostnames: String,
    /// `verified by a certificate authority.` or `self signed.`.
    pub verified: String,
}

/// The names in a subject, the CN and the DNS alternative names, sorted
/// (bytewise) and without repeats.
pub fn hostnames(subject: &str, san: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in subject.split(';') {
        if let Some(cn) = part.trim().strip_prefix("CN=") {
            out.push(cn.trim().to_string());
        }
    }
    for item in san.split([',', '\n']) {
        if let Some(d) = item.trim().strip_prefix("DNS:") {
            let d = d.trim().to_string();
            out.push(d);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Read a certificate's details.
pub fn inspect(crt: &Path) -> CertInfo {
    let subject = x509_field(
        crt,
        &["-subject", "-nameopt", "sep_semi_plus_space,esc_2253,utf8"],
        "subject=",
    );
    let san = x509_field(crt, &["-ext", "subjectAltName"], "");
    let path = crt.display().to_string();
    let verified = match run(&["verify", "-purpose", "sslserver", path.as_str()]) {
        Ok((true, _)) => "verified by a certificate authority.",
        _ => "self signed.",
    };
    CertInfo {
        expires_at: x509_field(crt, &["-enddate"], "notAfter="),
        starts_at: x509_field(crt, &["-startdate"], "notBefore="),
        issuer: x509_field(
            crt,
            &["-issuer", "-nameopt", "sep_comma_plus_space,esc_2253,utf8"],
            "issuer=",
        ),
        hostnames: hostnames(&subject, &san).join(" "),
        subject,
        verified: verified.to_string(),
    }
}

/// A new RSA key, a signing request and a self-signed certificate for
/// `domain`, valid a year, written into `dir` as `server.key`,
/// `server.csr` and `server.crt`.
pub fn generate(dir: &Path, domain: &str) -> Result<()> {
    let key = dir.join("server.key").display().to_string();
    let csr = dir.join("server.csr").display().to_string();
    let crt = dir.join("server.crt").display().to_string();
    let subj = format!("/CN={domain}");
    let san = format!("subjectAltName=DNS:{domain}");
    let steps: [Vec<&str>; 3] = [
        vec!["genrsa", "-out", key.as_str(), "2048"],
        vec![
            "req",
            "-new",
            "-key",
            key.as_str(),
            "-out",
            csr.as_str(),
            "-subj",
            subj.as_str(),
            "-addext",
            san.as_str(),
        ],
        vec![
            "x509",
            "-req",
            "-days",
            "365",
            "-in",
            csr.as_str(),
            "-signkey",
            key.as_str(),
            "-out",
            crt.as_str(),
            "-copy_extensions",
            "copyall",
        ],
    ];
    for args in steps {
        let out = Command::new("openssl")
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| Error::other("openssl", format!("cannot run openssl: {e}")))?;
        Error::from_output(format!("openssl {}", args[0]), &out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_subject_and_alternatives() {
        let got = hostnames(
            "OU=Domain Control Validated; CN=*.dokku.org",
            "X509v3 Subject Alternative Name: \n    DNS:*.dokku.org, DNS:dokku.org",
        );
        assert_eq!(got, vec!["*.dokku.org", "dokku.org"]);
        assert!(hostnames("O=x", "").is_empty());
        assert_eq!(
            hostnames(
                "CN=www.example.com",
                "DNS:www.example.com, DNS:api.example.com, DNS:api.example.com"
            ),
            vec!["api.example.com", "www.example.com"]
        );
    }

    #[test]
    fn generated_certificates_name_their_domain() {
        let d = tempfile::tempdir().expect("tempdir");
        generate(d.path(), "app.dokku.me").expect("generate");
        let info = inspect(&d.path().join("server.crt"));
        assert_eq!(info.hostnames, "app.dokku.me");
        assert_eq!(info.subject, "CN=app.dokku.me");
        assert_eq!(info.verified, "self signed.");
        assert!(info.expires_at.ends_with(" GMT"), "{info:?}");
    }
}
