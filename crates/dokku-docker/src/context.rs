//! Turns a build context directory into the tar archive the engine takes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::EngineError;

/// A Dockerfile word in double quotes: quotes, backslashes and `$` (which
/// would start a variable) escaped with Dockerfile's default escape.
fn quoted(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$') {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

/// One `LABEL` instruction setting every label: one build step (or one
/// commit change), where the engine's `--label` option makes a step and
/// an intermediate container per label.
pub fn label_instruction(labels: &BTreeMap<String, String>) -> String {
    let mut line = String::from("LABEL");
    for (k, v) in labels {
        line.push(' ');
        line.push_str(&quoted(k));
        line.push('=');
        line.push_str(&quoted(v));
    }
    line
}

/// `dockerfile` with `labels` set by one `LABEL` instruction at its end
/// (they then apply to the final stage, as `--label` does); `None` when
/// a parser directive changes the escape character, so that the default
/// escaping of [`label_instruction`] would not hold.
pub(crate) fn with_labels(dockerfile: &str, labels: &BTreeMap<String, String>) -> Option<String> {
    for line in dockerfile.lines() {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = comment.split_once('=') else {
            break;
        };
        if key.trim().eq_ignore_ascii_case("escape") && value.trim() != "\\" {
            return None;
        }
    }
    let mut text = dockerfile.trim_end().to_string();
    let mut lines = text.rsplit('\n');
    let last = lines.next().unwrap_or("").trim();
    let continued = lines.next().is_some_and(|l| l.trim_end().ends_with('\\'));
    let is_label = !continued
        && last
            .get(..6)
            .is_some_and(|w| w.eq_ignore_ascii_case("LABEL ") || w.eq_ignore_ascii_case("LABEL\t"));
    if is_label && !last.ends_with('\\') {
        // One more instruction would be one more step: extend the last.
        let pairs = label_instruction(labels);
        text.push_str(&pairs["LABEL".len()..]);
    } else {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&label_instruction(labels));
    }
    text.push('\n');
    Some(text)
}

/// Archives `dir` (its contents at the archive root), keeping symlinks as
/// symlinks like the docker CLI does.
///
/// `replace`: a file of the directory (a relative path) whose content in
/// the archive is the given text instead; it is appended after the tree,
/// and the engine, unpacking in order, keeps the last entry of a path.
pub(crate) fn tar_directory(
    dir: &Path,
    replace: Option<(&str, &str)>,
) -> Result<Vec<u8>, EngineError> {
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
    if let Some((path, text)) = replace {
        let mut h = tar::Header::new_gnu();
        h.set_size(text.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        builder
            .append_data(&mut h, format!("./{path}"), text.as_bytes())
            .map_err(wrap)?;
    }
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

        let bytes = tar_directory(dir.path(), None)?;
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
        let err = tar_directory(Path::new("/nonexistent/dokku-context"), None);
        assert!(
            matches!(err, Err(EngineError::BuildContext { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn a_replaced_file_is_the_last_entry_of_its_path() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n")?;
        let bytes = tar_directory(
            dir.path(),
            Some(("Dockerfile", "FROM scratch\nLABEL a=b\n")),
        )?;
        let mut archive = tar::Archive::new(bytes.as_slice());
        let mut last = String::new();
        for entry in archive.entries()? {
            let mut entry = entry?;
            if entry.path()?.file_name() == Some(std::ffi::OsStr::new("Dockerfile")) {
                last.clear();
                std::io::Read::read_to_string(&mut entry, &mut last)?;
            }
        }
        assert_eq!(last, "FROM scratch\nLABEL a=b\n");
        Ok(())
    }

    #[test]
    fn labels_fold_into_one_escaped_instruction() {
        let labels = BTreeMap::from([
            ("com.dokku.app-name".to_string(), "app".to_string()),
            ("x".to_string(), "a \"q\" \\ $HOME".to_string()),
        ]);
        assert_eq!(
            with_labels("FROM scratch", &labels).as_deref(),
            Some("FROM scratch\nLABEL \"com.dokku.app-name\"=\"app\" \"x\"=\"a \\\"q\\\" \\\\ \\$HOME\"\n")
        );
        assert_eq!(
            with_labels(
                "# syntax=docker/dockerfile:1\n# escape=\\\nFROM scratch\n",
                &labels
            )
            .map(|t| t.lines().count()),
            Some(4)
        );
        assert_eq!(with_labels("# escape=`\nFROM scratch\n", &labels), None);
        let one = BTreeMap::from([("b".to_string(), "2".to_string())]);
        assert_eq!(
            with_labels("FROM x\nLABEL a=1\n\n", &one).as_deref(),
            Some("FROM x\nLABEL a=1 \"b\"=\"2\"\n")
        );
        assert_eq!(
            with_labels("FROM x\nLABEL a=1 \\\n  c=3\n", &one).as_deref(),
            Some("FROM x\nLABEL a=1 \\\n  c=3\nLABEL \"b\"=\"2\"\n")
        );
        assert_eq!(with_labels("#escape = `\nFROM scratch\n", &labels), None);
    }
}
