//! `build-dir`: build a sub-directory of the source. Its contents replace
//! the work directory's before the builder is detected.

use std::fs;
use std::path::{Component, Path, PathBuf};

use dokku_core::{Error, Result};

fn not_found(dir: &str) -> Error {
    Error::fail(format!(
        "Specified build-dir not found in sourcecode working directory: {dir}"
    ))
}

/// The build dir as a relative path inside the source, or `None` when it
/// would leave it.
pub fn relative(dir: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in Path::new(dir.trim_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Whether every component of `rel` below `root` is a real directory (no
/// symlinks).
fn real_dir(root: &Path, rel: &Path) -> bool {
    let mut p = root.to_path_buf();
    for c in rel.components() {
        p.push(c);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {}
            _ => return false,
        }
    }
    true
}

/// Make `work` hold only the contents of `work/<dir>`.
pub fn apply(dir: &str, work: &Path) -> Result<()> {
    let dir = dir.trim();
    if dir.trim_matches('/').is_empty() {
        return Ok(());
    }
    let rel = relative(dir).ok_or_else(|| not_found(dir))?;
    if rel.as_os_str().is_empty() || !real_dir(work, &rel) {
        return Err(not_found(dir.trim_matches('/')));
    }
    let parent = work
        .parent()
        .ok_or_else(|| Error::other("build-dir", "work directory has no parent"))?;
    let holder = tempfile::Builder::new()
        .prefix("dokku-build-dir.")
        .tempdir_in(parent)
        .map_err(|e| Error::other("create a temporary directory", e))?;
    let kept = holder.path().join("kept");
    fs::rename(work.join(&rel), &kept).map_err(|e| Error::io("move", work.join(&rel), e))?;
    for e in fs::read_dir(work)
        .map_err(|e| Error::io("read directory", work, e))?
        .flatten()
    {
        let p = e.path();
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        let r = if is_dir {
            fs::remove_dir_all(&p)
        } else {
            fs::remove_file(&p)
        };
        r.map_err(|err| Error::io("remove", &p, err))?;
    }
    for e in fs::read_dir(&kept)
        .map_err(|e| Error::io("read directory", &kept, e))?
        .flatten()
    {
        let to = work.join(e.file_name());
        fs::rename(e.path(), &to).map_err(|err| Error::io("move", &to, err))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_the_sub_directory_up() {
        let d = tempfile::tempdir().expect("tempdir");
        let work = d.path().join("work");
        fs::create_dir_all(work.join("apps/web")).expect("mkdir");
        fs::write(work.join("apps/web/Dockerfile"), "FROM x").expect("write");
        fs::write(work.join("README"), "top").expect("write");
        apply("/apps/web/", &work).expect("apply");
        assert!(work.join("Dockerfile").is_file());
        assert!(!work.join("README").exists());
        assert!(!work.join("apps").exists());
    }

    #[test]
    fn refuses_missing_and_escaping_dirs() {
        let d = tempfile::tempdir().expect("tempdir");
        let work = d.path().join("work");
        fs::create_dir_all(&work).expect("mkdir");
        std::os::unix::fs::symlink("/etc", work.join("link")).expect("symlink");
        for bad in ["missing", "../work", "link", "a/../.."] {
            let e = apply(bad, &work).expect_err(bad);
            assert!(
                e.to_string()
                    .starts_with("Specified build-dir not found in sourcecode working directory: "),
                "{e}"
            );
        }
        apply("", &work).expect("empty is a no-op");
    }
}
