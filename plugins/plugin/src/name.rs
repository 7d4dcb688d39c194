//! Plugin names: what is accepted as one, and the name a source URL implies.

use dokku_core::{Error, Result};

/// Dokku's message for a name that cannot be a plugin directory.
pub const INVALID_NAME: &str = "Invalid plugin name specified";

/// Whether `name` can name a plugin directory: ASCII letters, digits, `_`,
/// `.` and `-`, not starting with `.` or `-` (so it is never hidden, never
/// read as a flag, and never `.`/`..`), at most 255 bytes.
pub fn is_valid(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    name.len() <= 255
        && (first.is_ascii_alphanumeric() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// `name` if valid, else Dokku's error.
pub fn check(name: &str) -> Result<&str> {
    if is_valid(name) {
        Ok(name)
    } else {
        Err(Error::fail(INVALID_NAME))
    }
}

/// The name a source implies: the last path segment of the URL, without a
/// `.git`, `.tar.gz` or `.tgz` ending and without a `dokku-` head
/// (`https://github.com/dokku/dokku-postgres.git` gives `postgres`).
pub fn from_source(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    let last = trimmed.rsplit(['/', ':']).next().unwrap_or(trimmed);
    let mut base = last;
    for suffix in [".tar.gz", ".tgz", ".git"] {
        if let Some(b) = base.strip_suffix(suffix) {
            base = b;
            break;
        }
    }
    base.strip_prefix("dokku-").unwrap_or(base).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_sources() {
        let check = |url: &str, want: &str| assert_eq!(from_source(url), want, "{url}");
        check("https://github.com/dokku/dokku-postgres.git", "postgres");
        check("git@github.com:dokku/dokku-redis.git", "redis");
        check("git@host:plugin.git", "plugin");
        check("ssh://git@host/x/smoke-test-plugin", "smoke-test-plugin");
        check("file:///srv/plugins/dokku-hello/", "hello");
        check("file:///srv/dokku-hello.tar.gz", "hello");
        check("/tmp/hello-1.0.tgz", "hello-1.0");
        check("file:///srv/repos/hello.git", "hello");
        check("dokku-", "");
    }

    #[test]
    fn valid_names() {
        for good in [
            "postgres",
            "00_dokku-standard",
            "20_events",
            "letsencrypt",
            "a.b",
            "X1",
        ] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "", ".", "..", "../x", "a/b", ".hidden", "-flag", "a b", "a\nb", "ä", "a\0",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
            assert_eq!(check(bad).expect_err(bad).to_string(), INVALID_NAME);
        }
        assert!(!is_valid(&"a".repeat(256)));
    }

    #[test]
    fn valid_names_are_single_segments() {
        for n in ["a", "a.b", "a..b", "a-", "_"] {
            assert_eq!(is_valid(n), dokku_core::fsutil::is_single_segment(n), "{n}");
        }
    }
}
