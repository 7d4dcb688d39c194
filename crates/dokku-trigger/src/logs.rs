//! How schedulers show an app's logs (`scheduler-logs`,
//! `scheduler-run-logs`): the options the triggers carry and Dokku's line
//! prefix, shared by every scheduler so their output looks the same.

/// The colours the prefixes cycle through, one per container or task.
pub const COLORS: [u8; 5] = [36, 33, 32, 35, 31];

/// How logs are read and shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Keep streaming (`--tail`).
    pub follow: bool,
    /// Raw lines without timestamps and names (`--quiet`).
    pub quiet: bool,
    /// Lines per container; all when `None`.
    pub num: Option<u64>,
}

impl Options {
    /// From the trigger's `tail`, `pretty_print` (the quiet flag) and
    /// `num` arguments; a negative or missing count means all lines.
    pub fn from_trigger(tail: &str, pretty_print: &str, num: &str) -> Options {
        Options {
            follow: tail == "true",
            quiet: pretty_print == "true",
            num: num
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|n| u64::try_from(n).ok()),
        }
    }
}

/// One line as shown: `\x1b[<c>m<timestamp> app[<dyno>]:\x1b[0m <text>`,
/// or the bare line when quiet.
pub fn format_line(color: u8, dyno: &str, raw: &str, quiet: bool) -> String {
    if quiet {
        return raw.to_string();
    }
    let (ts, text) = raw.split_once(' ').unwrap_or((raw, ""));
    format!("\x1b[{color}m{ts} app[{dyno}]:\x1b[0m {text}")
}

/// A line without the timestamp the engine put in front of it.
pub fn strip_timestamp(raw: &str) -> &str {
    raw.split_once(' ').map(|(_, t)| t).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_options() {
        let raw = "2024-01-02T03:04:05.000000000Z hello world";
        assert_eq!(
            format_line(36, "web.1", raw, false),
            "\x1b[36m2024-01-02T03:04:05.000000000Z app[web.1]:\x1b[0m hello world"
        );
        assert_eq!(format_line(36, "web.1", "hello", true), "hello");
        assert_eq!(strip_timestamp(raw), "hello world");
        assert_eq!(
            Options::from_trigger("false", "true", "100"),
            Options {
                follow: false,
                quiet: true,
                num: Some(100)
            }
        );
        assert_eq!(Options::from_trigger("true", "false", "-1").num, None);
    }
}
