//! A certificate and key from a tar archive (optionally gzipped), read in
//! memory: nothing is extracted to disk. Entries with absolute paths or
//! `..` are refused, as Dokku refuses them before extracting; the `.crt`
//! and `.key` files may be named anything and nested anywhere.

use std::io::Read;

use dokku_core::{Error, Result};

/// The largest archive accepted.
pub const MAX_SIZE: u64 = 16 * 1024 * 1024;
/// The most entries accepted.
pub const MAX_FILES: usize = 1000;

/// The PEM contents found in an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The `.crt` file.
    pub crt: Vec<u8>,
    /// The `.key` file.
    pub key: Vec<u8>,
}

/// Read the archive `data`.
pub fn read_pair(data: &[u8]) -> Result<Pair> {
    if data.len() as u64 > MAX_SIZE {
        return Err(Error::fail(format!(
            "Archive exceeds maximum allowed size of {MAX_SIZE} bytes"
        )));
    }
    let plain: Vec<u8> = if data.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .take(MAX_SIZE + 1)
            .read_to_end(&mut out)
            .map_err(|e| {
                Error::fail(format!(
                    "Unsupported archive type for extraction: gzip ({e})"
                ))
            })?;
        if out.len() as u64 > MAX_SIZE {
            return Err(Error::fail(format!(
                "Archive exceeds maximum allowed size of {MAX_SIZE} bytes"
            )));
        }
        out
    } else {
        data.to_vec()
    };
    let mut crts: Vec<Vec<u8>> = Vec::new();
    let mut keys: Vec<Vec<u8>> = Vec::new();
    let mut archive = tar::Archive::new(plain.as_slice());
    let entries = archive.entries().map_err(|_| {
        Error::fail("Tar archive containing server.crt and server.key expected on stdin")
    })?;
    for (count, entry) in entries.enumerate() {
        if count >= MAX_FILES {
            return Err(Error::fail(format!(
                "Archive contains {} entries which exceeds the maximum of {MAX_FILES}",
                count + 1
            )));
        }
        let mut entry = entry.map_err(|_| {
            Error::fail("Tar archive containing server.crt and server.key expected on stdin")
        })?;
        let path = entry
            .path()
            .map_err(|_| Error::fail("Archive contains entries with unsafe paths"))?
            .into_owned();
        let raw = path.to_string_lossy().into_owned();
        if raw.starts_with('/') {
            return Err(Error::fail("Archive contains entries with absolute paths"));
        }
        if path
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(Error::fail(
                "Archive contains entries with parent directory traversal",
            ));
        }
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            let target = entry
                .link_name()
                .ok()
                .flatten()
                .map(|t| t.to_string_lossy().into_owned())
                .unwrap_or_default();
            if target.starts_with('/') {
                return Err(Error::fail(
                    "Archive contains symlinks with absolute targets",
                ));
            }
            if target.split('/').any(|s| s == "..") {
                return Err(Error::fail(
                    "Archive contains symlinks pointing outside extraction directory",
                ));
            }
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with("._") {
            continue;
        }
        let mut body = Vec::new();
        entry
            .read_to_end(&mut body)
            .map_err(|e| Error::other("read archive", e))?;
        if name.ends_with(".crt") {
            crts.push(body);
        } else if name.ends_with(".key") {
            keys.push(body);
        }
    }
    let crt = match crts.len() {
        0 => return Err(Error::fail("Tar archive is missing .crt file")),
        1 => crts.remove(0),
        _ => return Err(Error::fail("Tar archive contains more than one .crt file")),
    };
    let key = match keys.len() {
        0 => return Err(Error::fail("Tar archive is missing .key file")),
        1 => keys.remove(0),
        _ => return Err(Error::fail("Tar archive contains more than one .key file")),
    };
    Ok(Pair { crt, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, body) in files {
            let mut h = tar::Header::new_gnu();
            h.set_size(body.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, *body).expect("append");
        }
        b.into_inner().expect("tar")
    }

    fn check(files: &[(&str, &[u8])]) -> String {
        match read_pair(&tar_of(files)) {
            Ok(p) => format!(
                "crt={} key={}",
                String::from_utf8_lossy(&p.crt),
                String::from_utf8_lossy(&p.key)
            ),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn finds_the_pair_anywhere() {
        assert_eq!(
            check(&[("server.crt", b"C"), ("server.key", b"K")]),
            "crt=C key=K"
        );
        assert_eq!(
            check(&[
                ("certs/site.crt", b"C"),
                ("certs/site.key", b"K"),
                ("README", b"x")
            ]),
            "crt=C key=K"
        );
        assert_eq!(
            check(&[("server.key", b"K")]),
            "Tar archive is missing .crt file"
        );
        assert_eq!(
            check(&[("a.crt", b"C")]),
            "Tar archive is missing .key file"
        );
        assert_eq!(
            check(&[("a.crt", b"C"), ("b.crt", b"C"), ("a.key", b"K")]),
            "Tar archive contains more than one .crt file"
        );
        assert_eq!(
            check(&[("a.crt", b"C"), ("a.key", b"K"), ("b.key", b"K")]),
            "Tar archive contains more than one .key file"
        );
        assert_eq!(
            read_pair(b"").expect_err("empty").to_string(),
            "Tar archive is missing .crt file"
        );
    }

    #[test]
    fn traversal_is_refused() {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(1);
        h.set_mode(0o644);
        h.as_gnu_mut().expect("gnu").name[..12].copy_from_slice(b"../x/evil.cr");
        h.set_cksum();
        b.append(&h, &b"C"[..]).expect("append");
        let data = b.into_inner().expect("tar");
        assert_eq!(
            read_pair(&data).expect_err("traversal").to_string(),
            "Archive contains entries with parent directory traversal"
        );
    }
}
