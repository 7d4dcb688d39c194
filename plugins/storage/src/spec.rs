//! The legacy `host-path:container-path[:options]` mount spec, and the
//! checks every path from a user passes before it is stored: absolute,
//! no `.` or `..` segments, no control characters or whitespace.

use dokku_core::{Error, Result};

/// Dokku's refusal of a malformed spec.
pub const BAD_SPEC: &str = "Storage path must be two valid paths divided by colon.";

/// A parsed legacy spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacySpec {
    /// Absolute host path or docker volume name.
    pub source: String,
    /// Absolute container path.
    pub target: String,
    /// `ro` was among the options.
    pub readonly: bool,
    /// The other options, comma-separated, in order.
    pub options: String,
}

impl LegacySpec {
    /// Whether the source is a host path.
    pub fn is_bind(&self) -> bool {
        self.source.starts_with('/')
    }

    /// The spec as typed, normalised: `source:target[:ro,opts]`.
    pub fn display(&self) -> String {
        let opts = match (self.readonly, self.options.is_empty()) {
            (true, true) => "ro".to_string(),
            (true, false) => format!("ro,{}", self.options),
            (false, _) => self.options.clone(),
        };
        if opts.is_empty() {
            format!("{}:{}", self.source, self.target)
        } else {
            format!("{}:{}:{opts}", self.source, self.target)
        }
    }
}

fn safe_chars(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == ':' || c == ',')
}

/// Whether `p` is an absolute path without `.`/`..` segments and without
/// characters that would break a `-v` flag. A trailing slash is allowed.
pub fn is_clean_absolute(p: &str) -> bool {
    p.starts_with('/')
        && p.len() > 1
        && safe_chars(p)
        && p.split('/').skip(1).enumerate().all(|(i, seg)| {
            let last = i + 1 == p.split('/').count() - 1;
            (seg != "." && seg != "..") && (!seg.is_empty() || last)
        })
}

/// Whether `p` is a relative path that stays inside its base: no leading
/// slash, no empty, `.` or `..` segment.
pub fn is_clean_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && safe_chars(p)
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// Whether `v` can name a docker volume: an alphanumeric first character,
/// then at least one of `[A-Za-z0-9_.-]`.
pub fn is_volume_name(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphanumeric()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.' || *c == b'-')
}

/// Whether one mount option (`Z`, `nocopy`, `rshared`) is acceptable.
pub fn is_mount_option(o: &str) -> bool {
    !o.is_empty()
        && o.len() <= 64
        && o.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'=')
}

/// Check a comma-separated option list.
pub fn is_option_list(opts: &str) -> bool {
    opts.is_empty() || opts.split(',').all(is_mount_option)
}

/// Drop a trailing slash (but keep `/`).
pub fn trim_slash(p: &str) -> &str {
    if p.len() > 1 {
        p.trim_end_matches('/')
    } else {
        p
    }
}

/// Parse `host-path:container-path[:options]` or
/// `volume-name:container-path[:options]`.
pub fn parse_legacy(spec: &str) -> Result<LegacySpec> {
    let bad = || Error::fail(BAD_SPEC);
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return Err(bad());
    }
    let (source, target) = (parts[0], parts[1]);
    let source_ok = if source.starts_with('/') {
        is_clean_absolute(source)
    } else {
        is_volume_name(source)
    };
    if !source_ok || !is_clean_absolute(target) || trim_slash(target) == "/" {
        return Err(bad());
    }
    let mut readonly = false;
    let mut options: Vec<&str> = Vec::new();
    if let Some(opts) = parts.get(2) {
        if opts.is_empty() {
            return Err(bad());
        }
        for o in opts.split(',') {
            if !is_mount_option(o) {
                return Err(bad());
            }
            if o == "ro" {
                readonly = true;
            } else if !options.contains(&o) {
                options.push(o);
            }
        }
    }
    Ok(LegacySpec {
        source: trim_slash(source).to_string(),
        target: trim_slash(target).to_string(),
        readonly,
        options: options.join(","),
    })
}

/// The value of a stored `-v` docker option (`-v /a:/b`, `--volume=/a:/b`,
/// quoted or not), parsed.
pub fn parse_volume_option(option: &str) -> Option<LegacySpec> {
    let o = option.trim();
    let rest = o
        .strip_prefix("--volume=")
        .or_else(|| o.strip_prefix("-v="))
        .or_else(|| o.strip_prefix("--volume "))
        .or_else(|| o.strip_prefix("-v "))?;
    let rest = rest.trim();
    let unquoted = rest
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .or_else(|| rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')))
        .unwrap_or(rest);
    parse_legacy(unquoted).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let got = match parse_legacy(input) {
            Ok(s) => format!(
                "{} | {} | ro={} | {}",
                s.source, s.target, s.readonly, s.options
            ),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected, "{input}");
    }

    #[test]
    fn legacy_specs() {
        check(
            "/var/lib/dokku/data/storage/a:/app/storage",
            "/var/lib/dokku/data/storage/a | /app/storage | ro=false | ",
        );
        check(
            "some-docker-volume:/app/storage",
            "some-docker-volume | /app/storage | ro=false | ",
        );
        check("/h:/c:ro", "/h | /c | ro=true | ");
        check("/h/:/c/:ro,Z,ro", "/h | /c | ro=true | Z");
        check("/h:/c:z", "/h | /c | ro=false | z");
        for bad in [
            "",
            "/h",
            "relative/path:/c",
            "./h:/c",
            "/h:c",
            "/h:/c:",
            "/h:/c:o:p",
            "/../etc:/c",
            "/h/..:/c",
            "/h:/c/../x",
            "/h:/",
            "a:/c",
            "-v:/c",
            "/h h:/c",
            "/h:/c:ro;rm",
            "/h\n:/c",
            "vol/x:/c",
            "/h//x:/c",
        ] {
            check(bad, BAD_SPEC);
        }
    }

    #[test]
    fn stored_volume_options() {
        let s = parse_volume_option("-v /a:/b:ro").expect("spec");
        assert_eq!(s.display(), "/a:/b:ro");
        assert_eq!(
            parse_volume_option("--volume='/a:/b'")
                .expect("spec")
                .display(),
            "/a:/b"
        );
        assert_eq!(
            parse_volume_option("--volume cache:/c")
                .expect("spec")
                .display(),
            "cache:/c"
        );
        assert!(parse_volume_option("--ulimit nofile=12").is_none());
    }

    #[test]
    fn clean_paths() {
        for (path, clean) in [
            ("/app/storage", true),
            ("/app/storage/", true),
            ("/app//storage", false),
            ("/", false),
        ] {
            assert_eq!(is_clean_absolute(path), clean, "{path}");
        }
        assert!(is_clean_relative("uploads/images"));
        for bad in ["", "/abs", "../up", "a/../b", "a/./b", "a//b", "a/"] {
            assert!(!is_clean_relative(bad), "{bad}");
        }
    }

    fn has_traversal(p: &str) -> bool {
        p.split('/').any(|s| s == ".." || s == ".")
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_specs_never_panic_nor_traverse(s in ".*") {
            if let Ok(spec) = parse_legacy(&s) {
                proptest::prop_assert!(!has_traversal(&spec.source) && !has_traversal(&spec.target));
                proptest::prop_assert!(spec.target.starts_with('/'));
                proptest::prop_assert!(spec.is_bind() || !spec.source.contains('/'));
            }
            let _ = parse_volume_option(&s);
        }

        #[test]
        fn path_like_specs_never_traverse(a in "[a-z./]{0,12}", b in "[a-z./]{0,12}", o in "[a-zA-Z,]{0,6}") {
            let s = format!("{a}:{b}:{o}");
            if let Ok(spec) = parse_legacy(&s) {
                proptest::prop_assert!(!has_traversal(&spec.source) && !has_traversal(&spec.target));
            }
            if is_clean_relative(&a) {
                proptest::prop_assert!(!has_traversal(&a) && !a.starts_with('/'));
            }
        }
    }
}
