//! Copying a file or a directory out of an image (Dokku's
//! `copy_from_image` / `copy_dir_from_image`): a stopped container of the
//! image, labelled with the app, whose path is downloaded as a tar archive
//! and unpacked at the destination; the container is removed whatever
//! happens.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::{ContainerEngine, ContainerSpec, EngineError};

/// What to copy.
#[derive(Debug, Clone)]
pub struct CopyRequest<'a> {
    /// The app, for the `com.dokku.app-name` label of the container.
    pub app: &'a str,
    /// The image.
    pub image: &'a str,
    /// The path inside the image; a relative one is taken from `workdir`.
    pub source: &'a str,
    /// The working directory relative sources are taken from (Dokku: the
    /// image's `WORKDIR`, `/workspace` for CNB images, `/app` for
    /// herokuish ones); `None`: the image's `WORKDIR`, else `/`.
    pub workdir: Option<&'a str>,
    /// Where the file or directory goes on the host.
    pub destination: &'a Path,
}

/// Why a copy failed.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The image does not exist.
    #[error("Invalid docker image for copying content")]
    NoImage,
    /// The path is not in the image (or is not of the asked kind).
    #[error("Unable to copy {0} from image")]
    Missing(String),
    /// The copied file is empty.
    #[error("Unable to copy {0} from image: empty file")]
    Empty(String),
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// Writing the destination failed.
    #[error("{what} {path}: {source}")]
    Io {
        /// The operation.
        what: &'static str,
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> CopyError + 'a {
    move |source| CopyError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// The absolute path of `source` in an image whose relative paths start
/// at `workdir`.
pub fn source_path(source: &str, workdir: &str) -> String {
    if source.starts_with('/') {
        return source.to_string();
    }
    let base = workdir.trim_end_matches('/');
    format!("{base}/{source}")
}

/// Download `req.source` out of a stopped container of the image as a
/// tar archive.
fn download(
    engine: &dyn ContainerEngine,
    req: &CopyRequest<'_>,
) -> Result<(Vec<u8>, String), CopyError> {
    let info = match engine.image_inspect(req.image) {
        Ok(i) => i,
        Err(e) if e.is_not_found() => return Err(CopyError::NoImage),
        Err(e) => return Err(e.into()),
    };
    let workdir = req
        .workdir
        .map(str::to_string)
        .or(info.working_dir)
        .unwrap_or_else(|| "/".to_string());
    let src = source_path(req.source, &workdir);
    let mut spec = ContainerSpec::new(req.image);
    spec.labels
        .insert("com.dokku.app-name".into(), req.app.to_string());
    spec.labels.insert("dokku".into(), String::new());
    spec.cmd = Some(vec!["/bin/true".to_string()]);
    let cid = engine.create_container(&spec)?;
    let mut archive = Vec::new();
    let copied = engine.copy_from_container(&cid, &src, &mut archive);
    let _ = engine.remove_container(&cid, true);
    match copied {
        Ok(()) => Ok((archive, src)),
        Err(e) if e.is_not_found() => Err(CopyError::Missing(src)),
        Err(e) => Err(e.into()),
    }
}

/// The first entry of a `docker cp` archive.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    /// A regular file and its content.
    File(Vec<u8>),
    /// A symbolic link, as the absolute path it points to (resolved
    /// against the directory of `path`, the path that was copied).
    Link(String),
}

/// Read the first entry of `tar`, the archive of `path`; `None` for
/// anything but a regular file or a link, or an unreadable archive.
fn first_entry(tar: &[u8], path: &str) -> Option<Entry> {
    let mut archive = tar::Archive::new(tar);
    let mut entry = archive.entries().ok()?.next()?.ok()?;
    let kind = entry.header().entry_type();
    if kind.is_symlink() {
        let target = entry.link_name().ok()??.to_string_lossy().into_owned();
        if target.starts_with('/') {
            return Some(Entry::Link(target));
        }
        let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        return Some(Entry::Link(format!("{dir}/{target}")));
    }
    if !kind.is_file() {
        return None;
    }
    let mut data = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut data).ok()?;
    Some(Entry::File(data))
}

/// The regular file at the absolute `path` of `spec.image`, read as
/// Dokku's `copy_from_image` does, from a created container that never
/// starts (nothing in the image runs; it needs no shell or `cat`) and
/// carries `spec.labels`; links are followed inside the image (at most
/// eight). `None` when there is no such file. The container is removed.
pub fn read_image_file(
    engine: &dyn ContainerEngine,
    spec: &ContainerSpec,
    path: &str,
) -> Result<Option<Vec<u8>>, EngineError> {
    let cid = create_reader(engine, spec)?;
    let found = read_file_in(engine, &cid, path);
    let _ = engine.remove_container(&cid, true);
    found
}

/// A container of `spec.image` to read files from (created, never
/// started; see [`read_image_file`]); its id.
pub fn create_reader(
    engine: &dyn ContainerEngine,
    spec: &ContainerSpec,
) -> Result<String, EngineError> {
    let mut spec = spec.clone();
    spec.name = None;
    spec.entrypoint = Some(Vec::new());
    spec.cmd = Some(vec!["/bin/true".to_string()]);
    engine.create_container(&spec)
}

/// The regular file at `path` in the container `cid` made by
/// [`create_reader`], links followed; `None` when there is none.
pub fn read_file_in(
    engine: &dyn ContainerEngine,
    cid: &str,
    path: &str,
) -> Result<Option<Vec<u8>>, EngineError> {
    let mut path = path.to_string();
    for _ in 0..8 {
        let mut archive = Vec::new();
        match engine.copy_from_container(cid, &path, &mut archive) {
            Ok(()) => {}
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(e),
        }
        match first_entry(&archive, &path) {
            Some(Entry::File(data)) => return Ok(Some(data)),
            Some(Entry::Link(target)) => path = target,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// The archive entry path with its first component (the copied path's
/// own name) removed; `None` for that top entry itself and for any path
/// that is not plain relative components.
fn below_top(path: &Path) -> Option<PathBuf> {
    let mut parts = path.components();
    match parts.next() {
        Some(Component::Normal(_)) => {}
        _ => return None,
    }
    let mut rest = PathBuf::new();
    for c in parts {
        match c {
            Component::Normal(p) => rest.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!rest.as_os_str().is_empty()).then_some(rest)
}

/// Copy a file out of an image to `req.destination` (replaced atomically).
/// As Dokku does, an empty file counts as missing, the copy ends with a
/// newline and its line endings are made Unix ones.
pub fn copy_file_from_image(
    engine: &dyn ContainerEngine,
    req: &CopyRequest<'_>,
) -> Result<(), CopyError> {
    let (archive, src) = download(engine, req)?;
    let mut tar = tar::Archive::new(archive.as_slice());
    let mut body = None;
    for entry in tar
        .entries()
        .map_err(io("read archive of", Path::new(req.source)))?
    {
        let mut entry = entry.map_err(io("read archive of", Path::new(req.source)))?;
        if entry.header().entry_type().is_file() {
            let mut b = Vec::new();
            entry
                .read_to_end(&mut b)
                .map_err(io("read archive of", Path::new(req.source)))?;
            body = Some(b);
            break;
        }
    }
    let Some(body) = body else {
        return Err(CopyError::Missing(src));
    };
    if body.is_empty() {
        return Err(CopyError::Empty(src));
    }
    let mut text = Vec::with_capacity(body.len() + 1);
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\r' && body.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        text.push(body[i]);
        i += 1;
    }
    if text.last() != Some(&b'\n') {
        text.push(b'\n');
    }
    let dst = req.destination;
    let parent = dst
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (tmp, mut file) = tempfile_in(parent)?;
    let written = std::io::Write::write_all(&mut file, &text).map_err(io("write", &tmp));
    drop(file);
    let done = written.and_then(|()| fs::rename(&tmp, dst).map_err(io("rename", dst)));
    if done.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    done
}

/// A new private file next to the destination.
fn tempfile_in(dir: &Path) -> Result<(PathBuf, fs::File), CopyError> {
    use std::os::unix::fs::OpenOptionsExt;
    let pid = std::process::id();
    for n in 0..100u32 {
        let p = dir.join(format!(".dokku-copy.{pid}.{n}"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o644)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io("create", &p)(e)),
        }
    }
    Err(CopyError::Io {
        what: "create",
        path: dir.to_path_buf(),
        source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    })
}

/// Copy a directory out of an image: `req.destination` (created if
/// missing) gets its content (files, directories and symbolic links;
/// other entries are skipped). Nothing lands outside the destination: no
/// absolute paths, no `..`, and no writing through a link, whether the
/// archive made it or it was there.
pub fn copy_dir_from_image(
    engine: &dyn ContainerEngine,
    req: &CopyRequest<'_>,
) -> Result<(), CopyError> {
    let (archive, src) = download(engine, req)?;
    let dst = req.destination;
    let mut tar = tar::Archive::new(archive.as_slice());
    tar.set_preserve_permissions(true);
    tar.set_overwrite(true);
    let mut first = true;
    for entry in tar.entries().map_err(io("read archive of", dst))? {
        let mut entry = entry.map_err(io("read archive of", dst))?;
        let kind = entry.header().entry_type();
        if first {
            if !kind.is_dir() {
                return Err(CopyError::Missing(src));
            }
            fs::create_dir_all(dst).map_err(io("create directory", dst))?;
            first = false;
        }
        let path = entry
            .path()
            .map_err(io("read archive of", dst))?
            .into_owned();
        let Some(rel) = below_top(&path) else {
            continue;
        };
        if !(kind.is_file() || kind.is_dir() || kind.is_symlink()) {
            continue;
        }
        let target = dst.join(&rel);
        ensure_parents(dst, &rel)?;
        match fs::symlink_metadata(&target) {
            Ok(m) if m.is_dir() && kind.is_dir() => continue,
            Ok(m) if m.is_dir() => {
                fs::remove_dir_all(&target).map_err(io("remove", &target))?;
            }
            Ok(_) => fs::remove_file(&target).map_err(io("remove", &target))?,
            Err(_) => {}
        }
        entry.set_preserve_mtime(true);
        entry.unpack(&target).map_err(io("unpack", &target))?;
    }
    if first {
        return Err(CopyError::Missing(src));
    }
    Ok(())
}

/// Create the directories leading to `dst/rel`, refusing a link or a
/// file on the way.
fn ensure_parents(dst: &Path, rel: &Path) -> Result<(), CopyError> {
    let mut cur = dst.to_path_buf();
    let Some(parent) = rel.parent() else {
        return Ok(());
    };
    for c in parent.components() {
        cur.push(c);
        match fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(CopyError::Io {
                    what: "refuse to write below",
                    path: cur,
                    source: std::io::Error::from(std::io::ErrorKind::InvalidData),
                })
            }
            Err(_) => fs::create_dir(&cur).map_err(io("create directory", &cur))?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_sources_start_at_the_workdir() {
        assert_eq!(source_path("Procfile", "/app"), "/app/Procfile");
        assert_eq!(source_path("Procfile", "/"), "/Procfile");
        assert_eq!(source_path("/etc/x", "/app"), "/etc/x");
    }

    #[test]
    fn entries_lose_their_top_component() {
        assert_eq!(below_top(Path::new("www")), None);
        assert_eq!(below_top(Path::new("www/a/b")), Some(PathBuf::from("a/b")));
        assert_eq!(below_top(Path::new("www/../x")), None);
        assert_eq!(below_top(Path::new("/www/x")), None);
    }
}
