//! `git:from-archive`: fetch an archive (stdin, `file://` or http(s)),
//! validate it, extract it and deploy its contents.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::archive::{self, ArchiveType};
use crate::directory::deploy_directory;
use crate::props;
use crate::receive::{self, Source};

/// What `git:from-archive` was asked for.
#[derive(Debug, Clone)]
pub struct ArchiveRequest {
    /// The app.
    pub app: String,
    /// A url, or `--` for stdin.
    pub url: String,
    /// The archive format.
    pub kind: ArchiveType,
    /// Committer name.
    pub user: String,
    /// Committer email.
    pub email: String,
}

/// Dokku's message when no url is given.
pub const MISSING_URL: &str = "Please specify an archive url or -- to fetch the archive from stdin";

/// The local path of a `file://` url.
pub fn file_url_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    rest.starts_with('/').then(|| PathBuf::from(rest))
}

fn fetch(url: &str, stdin: &mut dyn Read, dest: &Path) -> Result<()> {
    let mut out = File::create(dest).map_err(|e| Error::io("create", dest, e))?;
    if url == "--" {
        std::io::copy(stdin, &mut out).map_err(|e| Error::other("read archive from stdin", e))?;
        return Ok(());
    }
    if let Some(path) = file_url_path(url) {
        let mut f = File::open(&path).map_err(|e| Error::io("open", &path, e))?;
        std::io::copy(&mut f, &mut out).map_err(|e| Error::io("read", &path, e))?;
        return Ok(());
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        let status = Command::new("curl")
            .args([
                "--fail",
                "--location",
                "--silent",
                "--show-error",
                "--proto",
                "=http,https",
                "--output",
            ])
            .arg(dest)
            .arg(url)
            .status()
            .map_err(|e| Error::other("run curl", e))?;
        if !status.success() {
            return Err(Error::fail(format!(
                "Unable to download archive from {url}"
            )));
        }
        return Ok(());
    }
    Err(Error::fail(format!("Unsupported archive url: {url}")))
}

/// Run `git:from-archive`.
pub fn from_archive(ctx: &Ctx, req: &ArchiveRequest, stdin: &mut dyn Read) -> Result<()> {
    apps::verify(&ctx.paths, &req.app)?;
    if req.url.is_empty() {
        return Err(Error::fail(MISSING_URL));
    }
    let work = receive::temp_dir("git_from_archive")?;
    let archive_path = work.path().join("archive");
    if req.url == "--" {
        ctx.out.info1("Reading archive from stdin");
    } else {
        ctx.out
            .info1(&format!("Downloading archive from {}", req.url));
    }
    fetch(&req.url, stdin, &archive_path)?;
    let size = std::fs::metadata(&archive_path)
        .map(|m| m.len())
        .unwrap_or(0);
    let (max_files, max_size) = props::archive_limits(&ctx.paths, &req.app);
    let entries = archive::list(req.kind, &archive_path)?;
    archive::validate(&entries, size, max_files, max_size)?;

    ctx.out.info1("Extracting archive");
    let root = work.path().join("src");
    std::fs::create_dir(&root).map_err(|e| Error::io("create directory", &root, e))?;
    if let Err(e) = archive::extract(req.kind, &archive_path, &root) {
        dokku_core::fsutil::remove_dir_all(&root)?;
        return Err(e);
    }
    let source_root = archive::source_root(&root);
    props::delete(&ctx.paths, &req.app, "source-image")?;
    let source = Source {
        kind: "archive",
        metadata: req.url.clone(),
    };
    deploy_directory(ctx, &req.app, &source_root, &req.user, &req.email, source)
}
