//! Names arriving from users: the app argument of `git-receive-pack` as an
//! ssh client quotes it, and branch names.

use dokku_core::{apps, Error, Result};

/// The app name of `git-receive-pack '<app>'`: unescaped single quotes are
/// removed, `\'` becomes `'`, and one leading `/` is dropped (clients that
/// use `ssh://dokku@host/app` send `/app`). The result must pass Dokku's
/// app-name rule.
pub fn unquote_app(raw: &str) -> Result<String> {
    let mut out = String::with_capacity(raw.len());
    let mut prev_backslash = false;
    for c in raw.chars() {
        if c == '\'' && !prev_backslash {
            prev_backslash = false;
            continue;
        }
        if prev_backslash && c == '\'' {
            out.pop();
        }
        out.push(c);
        prev_backslash = c == '\\';
    }
    let app = out.strip_prefix('/').unwrap_or(&out).to_string();
    apps::validate_name(&app)?;
    Ok(app)
}

/// Whether `name` is a usable branch name: what `git check-ref-format
/// --branch` accepts, checked here without running git.
pub fn is_valid_branch(name: &str) -> bool {
    if name.is_empty()
        || name.starts_with('-')
        || name.starts_with('/')
        || name.ends_with('/')
        || name.ends_with('.')
    {
        return false;
    }
    if name == "@"
        || name.contains("..")
        || name.contains("@{")
        || name.contains("//")
        || name.ends_with(".lock")
    {
        return false;
    }
    if name.chars().any(|c| {
        c.is_ascii_control()
            || matches!(c, ' ' | '~' | '^' | ':' | '?' | '*' | '[' | '\\' | '\u{7f}')
    }) {
        return false;
    }
    name.split('/')
        .all(|part| !part.is_empty() && !part.starts_with('.') && !part.ends_with(".lock"))
}

/// Refuse an argument that git would read as an option.
pub fn not_an_option(what: &str, value: &str) -> Result<()> {
    if value.starts_with('-') {
        return Err(Error::fail(format!("Invalid {what} specified: {value}")));
    }
    Ok(())
}

/// Whether `image` is a plain docker image reference (no whitespace, quotes
/// or other characters that could break the generated Dockerfile).
pub fn is_image_reference(image: &str) -> bool {
    !image.is_empty()
        && !image.starts_with('-')
        && image.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '@' | '+')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_unquote(raw: &str, expected: Option<&str>) {
        assert_eq!(unquote_app(raw).ok().as_deref(), expected, "{raw:?}");
    }

    #[test]
    fn app_names_as_ssh_sends_them() {
        check_unquote("'node-js-app'", Some("node-js-app"));
        check_unquote("node-js-app", Some("node-js-app"));
        check_unquote("'/node-js-app'", Some("node-js-app"));
        check_unquote("/app.example.com", Some("app.example.com"));
        check_unquote("'../etc'", None);
        check_unquote("'a/b'", None);
        check_unquote("'it\\'s'", None);
        check_unquote("''", None);
    }

    #[test]
    fn branch_names_follow_git_rules() {
        for good in ["master", "main", "feature/x", "release-1.2", "v1"] {
            assert!(is_valid_branch(good), "{good}");
        }
        for bad in [
            "", "-x", "a..b", "a b", "a:b", "a/", "/a", ".a", "a.lock", "a//b", "@", "x@{y",
            "a\\b", "a~1", "a^", "a*",
        ] {
            assert!(!is_valid_branch(bad), "{bad}");
        }
    }

    #[test]
    fn image_references() {
        for good in ["my-registry/node-js:latest", "app@sha256:9d18"] {
            assert!(is_image_reference(good), "{good}");
        }
        for bad in ["a\nRUN x", "a b", "--x", "a\"b"] {
            assert!(!is_image_reference(bad), "{bad:?}");
        }
    }
}
