//! The per-app certificate directory, `$DOKKU_ROOT/<app>/tls`.

use std::path::PathBuf;

use dokku_core::{fsutil, Paths, Result};

/// The plugin's name.
pub const PLUGIN: &str = "certs";

/// `$DOKKU_ROOT/<app>/tls`.
pub fn dir(paths: &Paths, app: &str) -> PathBuf {
    paths.app_dir(app).join("tls")
}

/// `server.crt` of an app.
pub fn crt(paths: &Paths, app: &str) -> PathBuf {
    dir(paths, app).join("server.crt")
}

/// `server.key` of an app.
pub fn key(paths: &Paths, app: &str) -> PathBuf {
    dir(paths, app).join("server.key")
}

/// Whether an app has both a certificate and its key.
pub fn exists(paths: &Paths, app: &str) -> bool {
    crt(paths, app).is_file() && key(paths, app).is_file()
}

/// Install a certificate and key (and optionally a signing request).
pub fn install(
    paths: &Paths,
    app: &str,
    crt_pem: &[u8],
    key_pem: &[u8],
    csr: Option<&[u8]>,
) -> Result<()> {
    let d = dir(paths, app);
    let _lock = dokku_core::lock::StateLock::acquire(paths, app)?;
    fsutil::ensure_dir(&d)?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o750))
            .map_err(|e| dokku_core::Error::io("chmod", &d, e))?;
    }
    fsutil::write_atomic(&d.join("server.crt"), crt_pem, 0o640)?;
    fsutil::write_atomic(&d.join("server.key"), key_pem, 0o640)?;
    match csr {
        Some(c) => fsutil::write_atomic(&d.join("server.csr"), c, 0o640),
        None => fsutil::remove_file(&d.join("server.csr")),
    }
}

/// Remove an app's certificate directory.
pub fn remove(paths: &Paths, app: &str) -> Result<()> {
    let _lock = dokku_core::lock::StateLock::acquire(paths, app)?;
    fsutil::remove_dir_all(&dir(paths, app))
}
