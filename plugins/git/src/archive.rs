//! Archives for `git:from-archive`: tar, tar.gz and zip, validated before
//! anything is written and extracted without ever writing through a link.
//!
//! Refused, with Dokku's messages: archives over the size or entry limits,
//! entries with absolute paths or `..` components, symlinks with absolute
//! targets or targets that leave the extraction directory, and anything
//! else that is not a plain file, directory or link inside the root.

use std::fs::{self, File};
use std::io::{Read, Seek};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use dokku_core::{Error, Result};

/// The archive formats `git:from-archive` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveType {
    /// An uncompressed tar.
    Tar,
    /// A gzip-compressed tar.
    TarGz,
    /// A zip file.
    Zip,
}

/// Dokku's message for an unknown `--archive-type`.
pub const INVALID_TYPE: &str =
    "Invalid archive type specified, valid archive types include: tar, tar.gz, zip";

impl ArchiveType {
    /// Parse `--archive-type`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "tar" => Ok(ArchiveType::Tar),
            "tar.gz" => Ok(ArchiveType::TarGz),
            "zip" => Ok(ArchiveType::Zip),
            _ => Err(Error::fail(INVALID_TYPE)),
        }
    }
}

/// What an archive entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link and its target.
    Symlink(String),
    /// A hard link to another entry.
    Hardlink(String),
    /// A device, fifo or anything else.
    Other,
}

/// One entry of an archive listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path as stored.
    pub path: String,
    /// Its kind.
    pub kind: EntryKind,
    /// Its (uncompressed) size.
    pub size: u64,
    /// Its permission bits, if stored.
    pub mode: Option<u32>,
}

/// Why an entry is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation {
    /// The path starts with `/`.
    AbsolutePath,
    /// The path has a `..` component.
    ParentTraversal,
    /// A symlink's target starts with `/`.
    AbsoluteSymlink,
    /// A symlink's target resolves outside the root.
    SymlinkOutside,
    /// Anything else that cannot be extracted safely.
    UnsafePath,
}

impl Violation {
    /// Dokku's message.
    pub fn message(self) -> &'static str {
        match self {
            Violation::AbsolutePath => "Archive contains entries with absolute paths",
            Violation::ParentTraversal => {
                "Archive contains entries with parent directory traversal"
            }
            Violation::AbsoluteSymlink => "Archive contains symlinks with absolute targets",
            Violation::SymlinkOutside => {
                "Archive contains symlinks pointing outside extraction directory"
            }
            Violation::UnsafePath => "Archive contains entries with unsafe paths",
        }
    }

    fn fail(self) -> Error {
        Error::fail(self.message())
    }
}

/// The components of an entry path inside the root (`./` and empty
/// segments dropped); empty for the root itself.
pub fn check_path(path: &str) -> std::result::Result<Vec<String>, Violation> {
    if path.starts_with('/') {
        return Err(Violation::AbsolutePath);
    }
    if path.contains('\0') {
        return Err(Violation::UnsafePath);
    }
    let mut parts = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err(Violation::ParentTraversal),
            _ => parts.push(c.to_string()),
        }
    }
    Ok(parts)
}

/// Check a symlink at `link` (components inside the root) pointing at
/// `target`: the target must be relative and, resolved from the link's
/// directory, stay inside the root.
pub fn check_symlink(link: &[String], target: &str) -> std::result::Result<(), Violation> {
    if target.starts_with('/') {
        return Err(Violation::AbsoluteSymlink);
    }
    if target.is_empty() || target.contains('\0') || link.is_empty() {
        return Err(Violation::UnsafePath);
    }
    let mut stack: Vec<&str> = link[..link.len() - 1].iter().map(String::as_str).collect();
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if stack.pop().is_none() {
                    return Err(Violation::SymlinkOutside);
                }
            }
            other => stack.push(other),
        }
    }
    Ok(())
}

/// Check one entry.
pub fn check_entry(e: &Entry) -> std::result::Result<Vec<String>, Violation> {
    let parts = check_path(&e.path)?;
    match &e.kind {
        EntryKind::Dir => {}
        EntryKind::File => {
            if parts.is_empty() {
                return Err(Violation::UnsafePath);
            }
        }
        EntryKind::Symlink(target) => check_symlink(&parts, target)?,
        EntryKind::Hardlink(target) => {
            if parts.is_empty() || check_path(target)?.is_empty() {
                return Err(Violation::UnsafePath);
            }
        }
        EntryKind::Other => return Err(Violation::UnsafePath),
    }
    Ok(parts)
}

/// Check a listing against the limits and the path rules.
pub fn validate(entries: &[Entry], archive_size: u64, max_files: u64, max_size: u64) -> Result<()> {
    let too_big = || {
        Error::fail(format!(
            "Archive exceeds maximum allowed size of {max_size} bytes"
        ))
    };
    if archive_size > max_size {
        return Err(too_big());
    }
    if entries.len() as u64 > max_files {
        return Err(Error::fail(format!(
            "Archive contains {} entries which exceeds the maximum of {max_files}",
            entries.len()
        )));
    }
    let total: u64 = entries
        .iter()
        .map(|e| e.size)
        .fold(0u64, u64::saturating_add);
    if total > max_size {
        return Err(too_big());
    }
    for e in entries {
        check_entry(e).map_err(Violation::fail)?;
    }
    Ok(())
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read_err(e: impl std::fmt::Display) -> Error {
    Error::fail(format!("Unable to read archive: {e}"))
}

fn tar_reader(kind: ArchiveType, file: File) -> Box<dyn Read> {
    match kind {
        ArchiveType::TarGz => Box::new(flate2::read::GzDecoder::new(file)),
        _ => Box::new(file),
    }
}

fn tar_kind(entry: &tar::Entry<'_, Box<dyn Read>>) -> EntryKind {
    use tar::EntryType as T;
    let link = || {
        entry
            .link_name_bytes()
            .map(|b| lossy(&b))
            .unwrap_or_default()
    };
    match entry.header().entry_type() {
        T::Regular | T::Continuous => EntryKind::File,
        T::Directory => EntryKind::Dir,
        T::Symlink => EntryKind::Symlink(link()),
        T::Link => EntryKind::Hardlink(link()),
        _ => EntryKind::Other,
    }
}

fn zip_symlink(mode: Option<u32>) -> bool {
    mode.map(|m| m & 0o170000 == 0o120000).unwrap_or(false)
}

/// List an archive's entries.
pub fn list(kind: ArchiveType, path: &Path) -> Result<Vec<Entry>> {
    let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
    match kind {
        ArchiveType::Tar | ArchiveType::TarGz => {
            let mut archive = tar::Archive::new(tar_reader(kind, file));
            let mut out = Vec::new();
            for entry in archive.entries().map_err(read_err)? {
                let entry = entry.map_err(read_err)?;
                out.push(Entry {
                    path: lossy(&entry.path_bytes()),
                    kind: tar_kind(&entry),
                    size: entry.header().size().unwrap_or(0),
                    mode: entry.header().mode().ok(),
                });
            }
            Ok(out)
        }
        ArchiveType::Zip => {
            let mut archive = zip::ZipArchive::new(file).map_err(read_err)?;
            let mut out = Vec::new();
            for i in 0..archive.len() {
                let mut f = archive.by_index(i).map_err(read_err)?;
                out.push(zip_entry(&mut f)?);
            }
            Ok(out)
        }
    }
}

fn join(root: &Path, parts: &[String]) -> PathBuf {
    let mut p = root.to_path_buf();
    for c in parts {
        p.push(c);
    }
    p
}

/// Create the parents of `target` below `root`, refusing any existing
/// component that is not a real directory.
fn make_parents(root: &Path, parts: &[String]) -> Result<()> {
    let mut p = root.to_path_buf();
    for c in &parts[..parts.len().saturating_sub(1)] {
        p.push(c);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(Violation::UnsafePath.fail()),
            Err(_) => fs::create_dir(&p).map_err(|e| Error::io("create directory", &p, e))?,
        }
    }
    Ok(())
}

fn write_file(root: &Path, parts: &[String], data: &mut dyn Read, mode: Option<u32>) -> Result<()> {
    make_parents(root, parts)?;
    let target = join(root, parts);
    if fs::symlink_metadata(&target)
        .map(|m| !m.is_file())
        .unwrap_or(false)
    {
        return Err(Violation::UnsafePath.fail());
    }
    let mut f = File::create(&target).map_err(|e| Error::io("create", &target, e))?;
    std::io::copy(data, &mut f).map_err(|e| Error::io("write", &target, e))?;
    let mode = mode.map(|m| m & 0o777).filter(|m| *m != 0).unwrap_or(0o644) | 0o600;
    fs::set_permissions(&target, fs::Permissions::from_mode(mode))
        .map_err(|e| Error::io("chmod", &target, e))
}

fn make_dir(root: &Path, parts: &[String]) -> Result<()> {
    if parts.is_empty() {
        return Ok(());
    }
    make_parents(root, parts)?;
    let target = join(root, parts);
    match fs::symlink_metadata(&target) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Violation::UnsafePath.fail()),
        Err(_) => fs::create_dir(&target).map_err(|e| Error::io("create directory", &target, e)),
    }
}

/// What is left to do after regular files and directories are written.
#[derive(Default)]
struct Deferred {
    symlinks: Vec<(Vec<String>, String)>,
    hardlinks: Vec<(Vec<String>, Vec<String>)>,
}

fn finish(root: &Path, deferred: Deferred) -> Result<()> {
    for (parts, source) in deferred.hardlinks {
        let src = join(root, &source);
        let is_file = fs::symlink_metadata(&src)
            .map(|m| m.is_file())
            .unwrap_or(false);
        if !is_file {
            return Err(Violation::UnsafePath.fail());
        }
        let mut f = File::open(&src).map_err(|e| Error::io("open", &src, e))?;
        write_file(root, &parts, &mut f, None)?;
    }
    for (parts, target) in &deferred.symlinks {
        make_parents(root, parts)?;
        let link = join(root, parts);
        if fs::symlink_metadata(&link).is_ok() {
            return Err(Violation::UnsafePath.fail());
        }
        std::os::unix::fs::symlink(target, &link).map_err(|e| Error::io("symlink", &link, e))?;
    }
    // A chain of links can leave the root even when each target looks
    // relative and inside: resolve what resolves and check again.
    let real_root = fs::canonicalize(root).map_err(|e| Error::io("resolve", root, e))?;
    for (parts, _) in &deferred.symlinks {
        if let Ok(resolved) = fs::canonicalize(join(root, parts)) {
            if !resolved.starts_with(&real_root) {
                return Err(Violation::SymlinkOutside.fail());
            }
        }
    }
    Ok(())
}

/// Extract a validated archive into `root` (an empty directory). On error
/// the caller removes `root`.
pub fn extract(kind: ArchiveType, path: &Path, root: &Path) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
    let mut deferred = Deferred::default();
    match kind {
        ArchiveType::Tar | ArchiveType::TarGz => {
            let mut archive = tar::Archive::new(tar_reader(kind, file));
            for entry in archive.entries().map_err(read_err)? {
                let mut entry = entry.map_err(read_err)?;
                let e = Entry {
                    path: lossy(&entry.path_bytes()),
                    kind: tar_kind(&entry),
                    size: 0,
                    mode: entry.header().mode().ok(),
                };
                let parts = check_entry(&e).map_err(Violation::fail)?;
                match e.kind {
                    EntryKind::Dir => make_dir(root, &parts)?,
                    EntryKind::File => write_file(root, &parts, &mut entry, e.mode)?,
                    EntryKind::Symlink(t) => deferred.symlinks.push((parts, t)),
                    EntryKind::Hardlink(t) => deferred
                        .hardlinks
                        .push((parts, check_path(&t).map_err(Violation::fail)?)),
                    EntryKind::Other => return Err(Violation::UnsafePath.fail()),
                }
            }
        }
        ArchiveType::Zip => extract_zip(file, root, &mut deferred)?,
    }
    finish(root, deferred)
}

/// What a zip member is (a symlink's target is its content, read here).
fn zip_entry<R: Read>(f: &mut zip::read::ZipFile<'_, R>) -> Result<Entry> {
    let mode = f.unix_mode();
    let kind = if f.is_dir() {
        EntryKind::Dir
    } else if zip_symlink(mode) {
        let mut target = String::new();
        f.read_to_string(&mut target).map_err(read_err)?;
        EntryKind::Symlink(target)
    } else {
        EntryKind::File
    };
    Ok(Entry {
        path: lossy(f.name_raw()),
        kind,
        size: f.size(),
        mode,
    })
}

fn extract_zip<R: Read + Seek>(file: R, root: &Path, deferred: &mut Deferred) -> Result<()> {
    let mut archive = zip::ZipArchive::new(file).map_err(read_err)?;
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).map_err(read_err)?;
        let entry = Entry {
            size: 0,
            ..zip_entry(&mut f)?
        };
        let parts = check_entry(&entry).map_err(Violation::fail)?;
        let mode = entry.mode;
        match entry.kind {
            EntryKind::Dir => make_dir(root, &parts)?,
            EntryKind::Symlink(target) => deferred.symlinks.push((parts, target)),
            _ => write_file(root, &parts, &mut f, mode)?,
        }
    }
    Ok(())
}

/// The directory to treat as the source: the only top-level directory of
/// the extraction when there is exactly one entry and it is a directory
/// (archives made from a folder, like GitHub's), else the root itself.
pub fn source_root(root: &Path) -> PathBuf {
    let entries: Vec<_> = fs::read_dir(root)
        .map(|rd| rd.flatten().collect())
        .unwrap_or_default();
    if let [only] = entries.as_slice() {
        if only.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            return only.path();
        }
    }
    root.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(path: &str, kind: EntryKind) -> Entry {
        Entry {
            path: path.into(),
            kind,
            size: 1,
            mode: None,
        }
    }

    fn check(e: Entry, expected: std::result::Result<(), Violation>) {
        assert_eq!(check_entry(&e).map(|_| ()), expected, "{e:?}");
    }

    #[test]
    fn entry_rules() {
        check(entry("app/Dockerfile", EntryKind::File), Ok(()));
        check(entry("./app/./x", EntryKind::File), Ok(()));
        check(entry("./", EntryKind::Dir), Ok(()));
        check(
            entry("/etc/passwd", EntryKind::File),
            Err(Violation::AbsolutePath),
        );
        check(
            entry("../x", EntryKind::File),
            Err(Violation::ParentTraversal),
        );
        check(
            entry("a/../../x", EntryKind::File),
            Err(Violation::ParentTraversal),
        );
        check(
            entry("a/l", EntryKind::Symlink("/etc".into())),
            Err(Violation::AbsoluteSymlink),
        );
        check(
            entry("a/l", EntryKind::Symlink("../../etc".into())),
            Err(Violation::SymlinkOutside),
        );
        check(entry("a/l", EntryKind::Symlink("../b".into())), Ok(()));
        check(
            entry("l", EntryKind::Symlink("..".into())),
            Err(Violation::SymlinkOutside),
        );
        check(entry("dev", EntryKind::Other), Err(Violation::UnsafePath));
        check(
            entry("h", EntryKind::Hardlink("../x".into())),
            Err(Violation::ParentTraversal),
        );
        check(entry(".", EntryKind::File), Err(Violation::UnsafePath));
    }

    #[test]
    fn limits_use_dokku_words() {
        let es = vec![entry("a", EntryKind::File), entry("b", EntryKind::File)];
        assert_eq!(
            validate(&es, 10, 1, 100).expect_err("count").to_string(),
            "Archive contains 2 entries which exceeds the maximum of 1"
        );
        assert_eq!(
            validate(&es, 101, 5, 100).expect_err("size").to_string(),
            "Archive exceeds maximum allowed size of 100 bytes"
        );
        assert_eq!(
            validate(&es, 10, 5, 1).expect_err("total").to_string(),
            "Archive exceeds maximum allowed size of 1 bytes"
        );
        validate(&es, 10, 5, 100).expect("ok");
    }

    fn lexically_inside(parts: &[String]) -> bool {
        parts
            .iter()
            .all(|p| !p.is_empty() && p != "." && p != ".." && !p.contains('/'))
    }

    proptest! {
        #[test]
        fn accepted_paths_stay_inside(path in "[a-z./]{0,12}") {
            if let Ok(parts) = check_path(&path) {
                prop_assert!(lexically_inside(&parts));
                prop_assert!(!path.starts_with('/'));
            }
        }

        #[test]
        fn dotdot_components_are_always_refused(lead in proptest::bool::ANY, pre in "[a-z]{1,3}(/[a-z]{1,3}){0,2}", post in "(/[a-z]{1,3}){0,2}") {
            let path = if lead { format!("..{post}") } else { format!("{pre}/..{post}") };
            prop_assert_eq!(check_path(&path), Err(Violation::ParentTraversal));
        }

        #[test]
        fn accepted_symlinks_resolve_inside(link in "[a-z]{1,3}(/[a-z]{1,3}){0,3}", target in "(\\.\\.|[a-z]{1,2}|\\.)(/(\\.\\.|[a-z]{1,2}|\\.)){0,4}") {
            let parts = check_path(&link).expect("plain link path");
            if check_symlink(&parts, &target).is_ok() {
                let mut depth: i64 = parts.len() as i64 - 1;
                for c in target.split('/') {
                    match c {
                        "" | "." => {}
                        ".." => depth -= 1,
                        _ => depth += 1,
                    }
                    prop_assert!(depth >= 0);
                }
            }
        }
    }
}
