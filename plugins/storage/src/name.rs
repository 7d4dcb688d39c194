//! Names that become paths: storage entry names (DNS-1123 labels, at most
//! 45 characters, so they can name Helm releases and PVCs too) and the
//! older, looser `storage:ensure-directory` directory names.

use dokku_core::{Error, Result};

/// The longest entry name.
pub const MAX_ENTRY_NAME: usize = 45;

/// Whether `name` is a valid entry name.
pub fn is_entry_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_ENTRY_NAME
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// Dokku's refusal of a bad entry name.
pub fn entry_name_error(name: &str) -> Error {
    Error::fail(format!(
        "storage entry name {name:?} must be a DNS-1123 label (lowercase letters, digits, and dashes; cannot start or end with a dash)"
    ))
}

/// Check an entry name.
pub fn check_entry_name(name: &str) -> Result<()> {
    if is_entry_name(name) {
        Ok(())
    } else {
        Err(entry_name_error(name))
    }
}

/// The prefix of the entries synthesised for legacy colon-form mounts.
pub const LEGACY_PREFIX: &str = "legacy-";

/// Whether `name` is in the namespace kept for synthesised legacy entries.
pub fn is_reserved(name: &str) -> bool {
    name.starts_with(LEGACY_PREFIX)
}

/// Check the name of an entry a user creates: a valid entry name outside
/// the reserved `legacy-` namespace.
pub fn check_user_entry_name(name: &str) -> Result<()> {
    check_entry_name(name)?;
    if is_reserved(name) {
        return Err(Error::fail(format!(
            "storage entry name {name:?} uses the reserved {LEGACY_PREFIX:?} prefix"
        )));
    }
    Ok(())
}

/// Whether `name` passes the `ensure-directory` rule: `[A-Za-z0-9_-]+`.
pub fn is_directory_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// Check an `ensure-directory` name.
pub fn check_directory_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::fail("Please specify a directory to create"));
    }
    if is_directory_name(name) {
        Ok(())
    } else {
        Err(Error::fail(
            "Directory can only contain the following set of characters: [A-Za-z0-9_-]",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names() {
        for good in [
            "a",
            "node-js-data",
            "legacy-0123abcd",
            "0x",
            &"a".repeat(45),
        ] {
            assert!(is_entry_name(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "A",
            "a_b",
            "a.b",
            "a/b",
            "..",
            "@",
            "a b",
            &"a".repeat(46),
        ] {
            assert!(!is_entry_name(bad), "{bad}");
        }
        assert_eq!(
            check_entry_name("Bad").expect_err("bad").to_string(),
            "storage entry name \"Bad\" must be a DNS-1123 label (lowercase letters, digits, and dashes; cannot start or end with a dash)"
        );
    }

    #[test]
    fn legacy_prefix_is_reserved_for_users() {
        assert!(check_user_entry_name("node-js-data").is_ok());
        assert!(check_user_entry_name("legacyx").is_ok());
        assert_eq!(
            check_user_entry_name("legacy-0123")
                .expect_err("reserved")
                .to_string(),
            "storage entry name \"legacy-0123\" uses the reserved \"legacy-\" prefix"
        );
    }

    #[test]
    fn directory_names() {
        assert!(check_directory_name("Node_js-app").is_ok());
        for bad in ["@", "a/", "a/b", "..", ".", "a b"] {
            assert_eq!(
                check_directory_name(bad).expect_err(bad).to_string(),
                "Directory can only contain the following set of characters: [A-Za-z0-9_-]"
            );
        }
        assert_eq!(
            check_directory_name("").expect_err("empty").to_string(),
            "Please specify a directory to create"
        );
    }

    proptest::proptest! {
        #[test]
        fn valid_names_are_safe_segments(s in ".*") {
            if is_entry_name(&s) || is_directory_name(&s) {
                proptest::prop_assert!(dokku_core::fsutil::is_single_segment(&s));
                proptest::prop_assert!(!s.contains(".."));
            }
        }
    }
}
