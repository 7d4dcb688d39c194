//! Turns a build context directory into the tar archive the engine takes.

use std::path::Path;

use crate::EngineError;

/// Archives `dir` (its contents at the archive root), keeping symlinks as
/// symlinks like the docker CLI does.
pub(crate) fn tar_directory(dir: &Path) -> Result<Vec<u8>, EngineError> {
    let wrap = |source| EngineError::BuildContext {
        path: dir.to_path_buf(),
        source,
    };
    if !dir.is_dir() {
        return Err(wrap(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "not a directory",
        )));
    }
    let mut builder = tar::Builder::new(Vec::new());
    builder.follow_symlinks(false);
    builder.append_dir_all(".", dir).map_err(wrap)?;
    builder.into_inner().map_err(wrap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_the_directory_contents_and_keeps_symlinks() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n")?;
        std::fs::create_dir(dir.path().join("sub"))?;
        std::fs::write(dir.path().join("sub/file"), "x")?;
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link"))?;

        let bytes = tar_directory(dir.path())?;
        let mut archive = tar::Archive::new(bytes.as_slice());
        let mut entries: Vec<String> = Vec::new();
        for entry in archive.entries()? {
            let entry = entry?;
            let kind = if entry.header().entry_type().is_symlink() {
                " -> symlink"
            } else {
                ""
            };
            entries.push(format!("{}{kind}", entry.path()?.display()));
        }
        entries.sort();
        assert_eq!(
            entries,
            ["./", "Dockerfile", "link -> symlink", "sub", "sub/file"]
        );
        Ok(())
    }

    #[test]
    fn a_missing_directory_is_a_context_error() {
        let err = tar_directory(Path::new("/nonexistent/dokku-context"));
        assert!(
            matches!(err, Err(EngineError::BuildContext { .. })),
            "{err:?}"
        );
    }
}
