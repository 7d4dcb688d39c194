//! Unpacking plugin tarballs without letting them write outside the target.
//!
//! Every entry is checked before anything is written: no absolute paths, no
//! `..`, only files, directories and links, symlink targets that stay inside
//! the tree and hard links to members of the tree. After unpacking, every
//! symlink that resolves is resolved once more and must land inside the
//! tree, which catches chains of individually harmless links. On error the
//! caller throws the whole target directory away.

use std::fs::{self, File};
use std::path::{Component, Path, PathBuf};

use dokku_core::{Error, Result};
use tar::EntryType;

/// An entry with an absolute path.
pub const ABSOLUTE: &str = "Archive contains entries with absolute paths";
/// An entry whose path climbs out with `..`.
pub const TRAVERSAL: &str = "Archive contains entries with parent directory traversal";
/// An entry of a kind a plugin never needs (devices, fifos) or with an empty
/// or unreadable path.
pub const UNSAFE: &str = "Archive contains entries with unsafe paths";
/// A symlink whose target leaves the tree.
pub const LINK_OUTSIDE: &str = "Archive contains symlinks pointing outside extraction directory";
/// A symlink with an absolute target.
pub const LINK_ABSOLUTE: &str = "Archive contains symlinks with absolute targets";

fn open(path: &Path) -> Result<tar::Archive<flate2::read::GzDecoder<File>>> {
    let f = File::open(path).map_err(|e| Error::io("open", path, e))?;
    Ok(tar::Archive::new(flate2::read::GzDecoder::new(f)))
}

/// Check one member path: relative, no `..`, not empty.
fn check_path(p: &Path) -> Result<()> {
    let mut normal = 0;
    for c in p.components() {
        match c {
            Component::RootDir | Component::Prefix(_) => return Err(Error::fail(ABSOLUTE)),
            Component::ParentDir => return Err(Error::fail(TRAVERSAL)),
            Component::CurDir => {}
            Component::Normal(_) => normal += 1,
        }
    }
    if normal == 0 && !p.as_os_str().is_empty() && p.components().all(|c| c == Component::CurDir) {
        // `./` itself: harmless, it is the root.
        return Ok(());
    }
    if normal == 0 {
        return Err(Error::fail(UNSAFE));
    }
    Ok(())
}

/// Whether `target`, read relative to the directory holding `member`, climbs
/// above the root of the tree.
fn link_escapes(member: &Path, target: &Path) -> bool {
    let mut depth: i64 = member
        .parent()
        .map(|p| {
            p.components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .count()
        })
        .unwrap_or(0) as i64;
    for c in target.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return true,
        }
    }
    false
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io("read archive", path, e)
}

/// Check every entry of a gzipped tarball without writing anything.
pub fn validate(archive: &Path) -> Result<()> {
    let mut ar = open(archive)?;
    for entry in ar.entries().map_err(io_err(archive))? {
        let entry = entry.map_err(io_err(archive))?;
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            EntryType::XGlobalHeader
                | EntryType::XHeader
                | EntryType::GNULongName
                | EntryType::GNULongLink
        ) {
            continue;
        }
        let path = entry.path().map_err(|_| Error::fail(UNSAFE))?.into_owned();
        check_path(&path)?;
        match kind {
            EntryType::Regular | EntryType::Continuous | EntryType::Directory => {}
            EntryType::Symlink => {
                let target = entry
                    .link_name()
                    .map_err(|_| Error::fail(UNSAFE))?
                    .ok_or_else(|| Error::fail(UNSAFE))?;
                if target.is_absolute() {
                    return Err(Error::fail(LINK_ABSOLUTE));
                }
                if link_escapes(&path, &target) {
                    return Err(Error::fail(LINK_OUTSIDE));
                }
            }
            EntryType::Link => {
                let target = entry
                    .link_name()
                    .map_err(|_| Error::fail(UNSAFE))?
                    .ok_or_else(|| Error::fail(UNSAFE))?;
                check_path(&target)?;
            }
            _ => return Err(Error::fail(UNSAFE)),
        }
    }
    Ok(())
}

/// After unpacking: every symlink that resolves must resolve inside `root`.
fn check_resolved_links(root: &Path, dir: &Path) -> Result<()> {
    let canon_root = fs::canonicalize(root).map_err(|e| Error::io("resolve", root, e))?;
    let rd = fs::read_dir(dir).map_err(|e| Error::io("read directory", dir, e))?;
    for e in rd {
        let e = e.map_err(|e| Error::io("read directory", dir, e))?;
        let p = e.path();
        let ft = e.file_type().map_err(|e| Error::io("stat", &p, e))?;
        if ft.is_symlink() {
            if let Ok(resolved) = fs::canonicalize(&p) {
                if !resolved.starts_with(&canon_root) {
                    return Err(Error::fail(LINK_OUTSIDE));
                }
            }
        } else if ft.is_dir() {
            check_resolved_links(root, &p)?;
        }
    }
    Ok(())
}

/// Unpack a gzipped tarball into `dest` (an existing, empty directory).
/// Modes keep their permission bits only (no setuid), owners are not kept.
pub fn extract(archive: &Path, dest: &Path) -> Result<()> {
    validate(archive)?;
    let mut ar = open(archive)?;
    ar.set_preserve_permissions(false);
    ar.set_preserve_ownerships(false);
    ar.set_unpack_xattrs(false);
    ar.set_overwrite(true);
    for entry in ar.entries().map_err(io_err(archive))? {
        let mut entry = entry.map_err(io_err(archive))?;
        if !entry
            .unpack_in(dest)
            .map_err(|e| Error::other("extract archive", e))?
        {
            return Err(Error::fail(TRAVERSAL));
        }
    }
    check_resolved_links(dest, dest)
}

/// The plugin directory inside an unpacked tree: the tree itself, or its only
/// top-level directory when the tarball wraps the plugin in one (as source
/// archives of a repository do).
pub fn plugin_root(tree: &Path) -> Result<PathBuf> {
    if tree.join("plugin.toml").exists() {
        return Ok(tree.to_path_buf());
    }
    let entries: Vec<_> = fs::read_dir(tree)
        .map_err(|e| Error::io("read directory", tree, e))?
        .flatten()
        .collect();
    if let [only] = entries.as_slice() {
        if only.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            return Ok(only.path());
        }
    }
    Ok(tree.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// One raw member: the path bytes go into the header untouched, so
    /// hostile names can be written.
    enum Member<'a> {
        File(&'a str, &'a [u8], u32),
        Dir(&'a str),
        Symlink(&'a str, &'a str),
        HardLink(&'a str, &'a str),
        Fifo(&'a str),
    }

    fn build(path: &Path, members: &[Member<'_>]) {
        let f = File::create(path).expect("create");
        let gz = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
        let mut b = tar::Builder::new(gz);
        for m in members {
            let mut h = tar::Header::new_gnu();
            let (name, kind, data, link, mode): (&str, EntryType, &[u8], Option<&str>, u32) =
                match m {
                    Member::File(n, d, mode) => (n, EntryType::Regular, d, None, *mode),
                    Member::Dir(n) => (n, EntryType::Directory, b"", None, 0o755),
                    Member::Symlink(n, t) => (n, EntryType::Symlink, b"", Some(t), 0o777),
                    Member::HardLink(n, t) => (n, EntryType::Link, b"", Some(t), 0o644),
                    Member::Fifo(n) => (n, EntryType::Fifo, b"", None, 0o644),
                };
            {
                let old = h.as_old_mut();
                old.name[..name.len()].copy_from_slice(name.as_bytes());
                if let Some(t) = link {
                    old.linkname[..t.len()].copy_from_slice(t.as_bytes());
                }
            }
            h.set_entry_type(kind);
            h.set_size(data.len() as u64);
            h.set_mode(mode);
            h.set_cksum();
            b.append(&h, data).expect("append");
        }
        let gz = b.into_inner().expect("finish tar");
        gz.finish().expect("finish gz").flush().expect("flush");
    }

    fn check(members: &[Member<'_>], want: Option<&str>) {
        let d = tempfile::tempdir().expect("tempdir");
        let ar = d.path().join("p.tar.gz");
        build(&ar, members);
        let dest = d.path().join("out");
        fs::create_dir(&dest).expect("mkdir");
        let got = extract(&ar, &dest);
        match want {
            None => {
                got.expect("extract");
            }
            Some(msg) => {
                assert_eq!(got.expect_err("must refuse").to_string(), msg);
                assert!(!d.path().join("evil").exists());
                assert!(!Path::new("/tmp/dokku-plugin-archive-evil").exists());
            }
        }
    }

    #[test]
    fn good_archive_unpacks_with_modes() {
        let d = tempfile::tempdir().expect("tempdir");
        let ar = d.path().join("p.tgz");
        build(
            &ar,
            &[
                Member::Dir("hello/"),
                Member::File("hello/plugin.toml", b"[plugin]\n", 0o644),
                Member::Dir("hello/subcommands/"),
                Member::File("hello/subcommands/default", b"#!/bin/sh\n", 0o4755),
                Member::Symlink("hello/commands", "subcommands/default"),
                Member::HardLink("hello/copy", "hello/plugin.toml"),
            ],
        );
        let dest = d.path().join("out");
        fs::create_dir(&dest).expect("mkdir");
        extract(&ar, &dest).expect("extract");
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dest.join("hello/subcommands/default"))
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o7777, 0o755, "setuid dropped, exec kept");
        assert_eq!(
            fs::read_link(dest.join("hello/commands")).expect("link"),
            Path::new("subcommands/default")
        );
        assert_eq!(plugin_root(&dest).expect("root"), dest.join("hello"));
    }

    #[test]
    fn hostile_archives_are_refused() {
        check(&[Member::File("../evil", b"x", 0o644)], Some(TRAVERSAL));
        check(
            &[Member::File("a/../../evil", b"x", 0o644)],
            Some(TRAVERSAL),
        );
        check(
            &[Member::File("/tmp/dokku-plugin-archive-evil", b"x", 0o644)],
            Some(ABSOLUTE),
        );
        check(&[Member::Symlink("link", "/etc")], Some(LINK_ABSOLUTE));
        check(
            &[Member::Symlink("a/link", "../../etc")],
            Some(LINK_OUTSIDE),
        );
        check(
            &[
                Member::Symlink("link", ".."),
                Member::File("link/evil", b"x", 0o644),
            ],
            Some(LINK_OUTSIDE),
        );
        check(&[Member::HardLink("h", "/etc/passwd")], Some(ABSOLUTE));
        check(&[Member::HardLink("h", "../x")], Some(TRAVERSAL));
        check(&[Member::Fifo("pipe")], Some(UNSAFE));
        // A chain of links that each look harmless but together leave the tree.
        check(
            &[
                Member::Dir("sub/"),
                Member::Symlink("sub/up", ".."),
                Member::Symlink("out", "sub/up/.."),
            ],
            Some(LINK_OUTSIDE),
        );
        check(
            &[Member::Dir("./"), Member::Symlink("ok", "sub/../x")],
            None,
        );
    }

    #[test]
    fn escape_rule() {
        assert!(!link_escapes(Path::new("a/b"), Path::new("..")));
        assert!(link_escapes(Path::new("a/b"), Path::new("../..")));
        assert!(!link_escapes(Path::new("a"), Path::new("b/../c")));
        assert!(link_escapes(Path::new("a"), Path::new("/x")));
    }
}
