//! Ownership presets and directory modes, as `--chown` and `--mode` take
//! them.

use dokku_core::{Error, Result};

pub use dokku_trigger::triggers::chown_id;

/// Parse a 3 or 4 digit octal mode (`755`, `0770`).
pub fn parse_mode(value: &str) -> Result<u32> {
    let ok =
        (value.len() == 3 || value.len() == 4) && value.bytes().all(|b| (b'0'..=b'7').contains(&b));
    if !ok {
        return Err(Error::fail(format!(
            "Unsupported directory mode {value:?}. Value must be a 3 or 4 digit octal mode, such as 0755"
        )));
    }
    u32::from_str_radix(value, 8).map_err(|_| Error::fail("Unsupported directory mode"))
}

/// A valid mode in the four-digit form it is stored and shown in
/// (`755` becomes `0755`).
pub fn normalize_mode(value: &str) -> Result<String> {
    Ok(format!("{:04o}", parse_mode(value)?))
}

/// How a stored mode is shown: four octal digits, or as stored when it
/// does not parse.
pub fn display_mode(value: &str) -> String {
    normalize_mode(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_uids() {
        let check = |v: &str| chown_id(v).map_err(|e| e.to_string());
        assert_eq!(check("herokuish"), Ok(Some(32767)));
        assert_eq!(check("heroku"), Ok(Some(1000)));
        assert_eq!(check("paketo"), Ok(Some(2000)));
        assert_eq!(check("packeto"), Ok(Some(2000)));
        assert_eq!(check("root"), Ok(Some(0)));
        assert_eq!(check("false"), Ok(None));
        assert_eq!(check("0"), Ok(Some(0)));
        assert_eq!(check("65535"), Ok(Some(65535)));
        for bad in ["65536", "-1", "", "1e3", "abc", "999999", " 1"] {
            assert_eq!(
                check(bad),
                Err("Unsupported chown permissions".to_string()),
                "{bad}"
            );
        }
    }

    #[test]
    fn modes() {
        assert_eq!(parse_mode("0777").expect("mode"), 0o777);
        assert_eq!(parse_mode("755").expect("mode"), 0o755);
        assert_eq!(parse_mode("1777").expect("mode"), 0o1777);
        assert_eq!(normalize_mode("755").expect("mode"), "0755");
        assert_eq!(normalize_mode("0770").expect("mode"), "0770");
        assert_eq!(display_mode("700"), "0700");
        assert_eq!(display_mode(""), "");
        for bad in ["77", "0888", "07777", "rwx", "", "-755"] {
            assert_eq!(
                parse_mode(bad).expect_err(bad).to_string(),
                format!("Unsupported directory mode {bad:?}. Value must be a 3 or 4 digit octal mode, such as 0755")
            );
        }
    }
}
