//! Where a plugin comes from: the kinds of source `plugin:install` accepts,
//! told apart by URL scheme, file ending and what is on disk.

use std::path::{Path, PathBuf};

/// One install source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A git repository to clone (`https:`, `git:`, `git@host:`, `ssh:`,
    /// `file://….git`, or a local repository path).
    Git {
        /// What is handed to `git clone`.
        url: String,
    },
    /// A plugin directory on disk, copied (`file://<dir>` or a local path).
    Dir {
        /// The directory.
        path: PathBuf,
    },
    /// A gzipped tarball on disk.
    LocalTarball {
        /// The archive.
        path: PathBuf,
    },
    /// A gzipped tarball fetched over the network.
    RemoteTarball {
        /// Where to fetch it.
        url: String,
    },
}

fn is_tarball(url: &str) -> bool {
    url.ends_with(".tar.gz") || url.ends_with(".tgz")
}

fn file_path(url: &str) -> Option<&str> {
    url.strip_prefix("file://")
        .or_else(|| url.strip_prefix("file:"))
}

fn is_remote(url: &str) -> bool {
    url.starts_with("https:")
        || url.starts_with("git:")
        || url.starts_with("git@")
        || url.starts_with("ssh:")
}

/// Whether `dir` is a git repository: a work tree with `.git`, or a bare
/// repository.
pub fn is_git_repo(dir: &Path) -> bool {
    dir.join(".git").exists()
        || (dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir())
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p)
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

/// Classify what the user gave; `None` when it is none of the accepted
/// kinds.
pub fn classify(url: &str) -> Option<Source> {
    if url.is_empty() || url.starts_with('-') {
        return None;
    }
    if is_tarball(url) {
        if let Some(p) = file_path(url) {
            return Some(Source::LocalTarball {
                path: PathBuf::from(p),
            });
        }
        if is_remote(url) {
            return Some(Source::RemoteTarball {
                url: url.to_string(),
            });
        }
        return Some(Source::LocalTarball {
            path: absolute(Path::new(url)),
        });
    }
    if let Some(p) = file_path(url) {
        if p.trim_end_matches('/').ends_with(".git") {
            return Some(Source::Git {
                url: url.to_string(),
            });
        }
        return Some(Source::Dir {
            path: PathBuf::from(p),
        });
    }
    if is_remote(url) {
        return Some(Source::Git {
            url: url.to_string(),
        });
    }
    let local = Path::new(url);
    if local.is_dir() {
        let abs = absolute(local);
        if is_git_repo(&abs) {
            return Some(Source::Git {
                url: abs.display().to_string(),
            });
        }
        return Some(Source::Dir { path: abs });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_scheme_and_ending() {
        let git = |u: &str| Some(Source::Git { url: u.to_string() });
        assert_eq!(
            classify("https://github.com/dokku/dokku-postgres.git"),
            git("https://github.com/dokku/dokku-postgres.git")
        );
        assert_eq!(
            classify("git@github.com:dokku/dokku-redis.git"),
            git("git@github.com:dokku/dokku-redis.git")
        );
        assert_eq!(classify("git://host/x.git"), git("git://host/x.git"));
        assert_eq!(classify("ssh://git@host/x"), git("ssh://git@host/x"));
        assert_eq!(
            classify("file:///srv/hello.git"),
            git("file:///srv/hello.git")
        );
        assert_eq!(
            classify("file:///srv/hello"),
            Some(Source::Dir {
                path: "/srv/hello".into()
            })
        );
        assert_eq!(
            classify("file:///srv/hello.tgz"),
            Some(Source::LocalTarball {
                path: "/srv/hello.tgz".into()
            })
        );
        assert_eq!(
            classify("/srv/hello.tar.gz"),
            Some(Source::LocalTarball {
                path: "/srv/hello.tar.gz".into()
            })
        );
        assert_eq!(
            classify("https://example.com/hello.tar.gz"),
            Some(Source::RemoteTarball {
                url: "https://example.com/hello.tar.gz".into()
            })
        );
        for bad in [
            "",
            "http://example.com/x.git",
            "ext::sh -c touch% /tmp/pwned",
            "-uhttps://x",
            "/nonexistent/dir",
            "ftp://x",
        ] {
            assert_eq!(classify(bad), None, "{bad}");
        }
    }

    #[test]
    fn local_directories() {
        let d = tempfile::tempdir().expect("tempdir");
        let plain = d.path().join("plain");
        std::fs::create_dir(&plain).expect("mkdir");
        let canon = std::fs::canonicalize(&plain).expect("canon");
        assert_eq!(
            classify(&plain.display().to_string()),
            Some(Source::Dir {
                path: canon.clone()
            })
        );
        std::fs::create_dir(plain.join(".git")).expect("mkdir");
        assert_eq!(
            classify(&plain.display().to_string()),
            Some(Source::Git {
                url: canon.display().to_string()
            })
        );
    }
}
