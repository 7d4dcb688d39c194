//! How schedulers show an app's logs (`scheduler-logs`,
//! `scheduler-run-logs`): the options the triggers carry and Dokku's line
//! prefix and the printer, shared by every scheduler so their output
//! looks the same.

use std::sync::Mutex;

use dokku_core::{Error, Result};
use dokku_docker::LogOptions;

use crate::Ctx;

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

/// One place whose output is shown: a container, a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name its lines carry: `web.1`, `run.1234`.
    pub dyno: String,
    /// What the scheduler reads it by (a container id or name, a task id).
    pub id: String,
}

/// How a scheduler reads the output of one source: every line, with the
/// engine's timestamp in front, handed to the callback (as it comes when
/// following). A source that is gone may be skipped by answering `Ok`.
pub type Reader<'a> = dyn Fn(&Source, &LogOptions, &mut dyn FnMut(&str)) -> Result<()> + Sync + 'a;

/// A line as shown: prefixed, or without its timestamp when quiet.
fn shown(color: u8, dyno: &str, raw: &str, quiet: bool) -> String {
    if quiet {
        strip_timestamp(raw).to_string()
    } else {
        format_line(color, dyno, raw, false)
    }
}

/// Print the output of `sources` read by `read`. Without `follow`, the
/// lines of every source merged in time order; with it, each source
/// streaming as its lines come (one thread each), the first error ours.
pub fn print(ctx: &Ctx, sources: &[Source], opts: &Options, read: &Reader<'_>) -> Result<()> {
    let log_opts = LogOptions {
        tail: opts.num,
        follow: opts.follow,
        timestamps: true,
        ..LogOptions::default()
    };
    if !opts.follow {
        let mut lines: Vec<(String, usize, String)> = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            read(s, &log_opts, &mut |raw| {
                let ts = raw.split_once(' ').map(|(t, _)| t).unwrap_or(raw);
                lines.push((ts.to_string(), i, shown(color, &s.dyno, raw, opts.quiet)));
            })?;
        }
        // The engine's timestamps have a fixed width: text order is time
        // order.
        lines.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let text: String = lines.into_iter().map(|(_, _, l)| l + "\n").collect();
        ctx.out.write_out(&text);
        return Ok(());
    }
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for (i, s) in sources.iter().enumerate() {
            let (failure, out, log_opts) = (&failure, ctx.out.clone(), &log_opts);
            scope.spawn(move || {
                let color = COLORS[i % COLORS.len()];
                let result = read(s, log_opts, &mut |raw| {
                    out.line(&shown(color, &s.dyno, raw, opts.quiet));
                });
                if let (Err(e), Ok(mut f)) = (result, failure.lock()) {
                    f.get_or_insert(e);
                }
            });
        }
    });
    match failure.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_lines_lose_their_timestamp() {
        let raw = "2024-01-02T03:04:05.000000000Z hello world";
        assert_eq!(shown(36, "web.1", raw, true), "hello world");
        assert!(shown(36, "web.1", raw, false).contains("app[web.1]:"));
    }

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
