//! `dokku help` and `dokku help --all`.
//!
//! Both are built the way Dokku's entry script builds them: every core
//! plugin contributes lines of the form `    <synopsis>, <description>`, the
//! lines are sorted in byte order and aligned together as `column -t` does.
//! `dokku help` takes each plugin's one-line summary (and the standard
//! plugin's host-wide commands), drops lines that name a subcommand and
//! strips argument lists; `--all` keeps every plugin's whole list. Enabled
//! community plugins answer `commands help` and follow under their own
//! heading.

use dokku_output::column_table;
use dokku_trigger::external::{self, Stdout};
use dokku_trigger::Ctx;

use crate::registry::core_plugins;

/// The header, shown only to a terminal and never under `--quiet`.
const HEADER: &str = "Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]

Primary help options, type \"dokku COMMAND:help\" for more details, or dokku help --all to see all commands.

Commands:

";

/// What enabled community plugins print for `commands help`, sorted. A
/// plugin's script sees `--all` on our command line, as it would see it on
/// the `dokku` script's.
fn community_lines(ctx: &Ctx) -> Vec<String> {
    let mut lines = Vec::new();
    for p in external::enabled_community(&ctx.paths) {
        let exe = p.path.join("commands");
        if !external::is_executable(&exe) {
            continue;
        }
        if let Ok((0, out)) = external::run(
            &exe,
            &["help".to_string()],
            &[],
            Stdout::Capture,
            external::Stdin::Null,
        ) {
            lines.extend(out.lines().map(str::to_string));
        }
    }
    lines.sort();
    lines
}

/// Removes the argument list from a short help line: from the first blank
/// followed by `[`, `<`, `-` or `(` up to the last comma, as Dokku's
/// `sed 's/\s[\[\<\-\(].*,/,/'` does.
fn strip_args(line: &str) -> String {
    let Some(comma) = line.rfind(',') else {
        return line.to_string();
    };
    let b = line.as_bytes();
    let start = (0..comma).find(|&i| {
        b[i].is_ascii_whitespace() && i + 1 < comma && matches!(b[i + 1], b'[' | b'<' | b'-' | b'(')
    });
    match start {
        Some(i) => format!("{}{}", &line[..i], &line[comma..]),
        None => line.to_string(),
    }
}

/// The core list of `dokku help` (`all` false) or `dokku help --all`.
fn core_list(all: bool) -> String {
    let mut lines: Vec<String> = core_plugins()
        .iter()
        .flat_map(|p| if all { p.raw_lines() } else { p.short_lines() })
        .collect();
    lines.sort();
    let lines: Vec<String> = if all {
        lines
    } else {
        lines
            .iter()
            .filter(|l| !l.contains(':'))
            .map(|l| strip_args(l))
            .collect()
    };
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    column_table(&refs, ',')
}

/// Render `dokku help [--all]`, with the header when `header` is set.
pub fn render(ctx: &Ctx, all: bool, header: bool) -> String {
    let mut s = String::new();
    if header {
        s.push_str(HEADER);
    }
    s.push_str(&core_list(all));
    let community = community_lines(ctx);
    if community.iter().any(|l| !l.is_empty()) {
        s.push_str("\nCommunity plugin commands:\n\n");
        let refs: Vec<&str> = community.iter().map(String::as_str).collect();
        s.push_str(&column_table(&refs, ','));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_args_cuts_to_the_last_comma() {
        assert_eq!(
            strip_args("    cleanup [<app>], Cleans up, really"),
            "    cleanup, really"
        );
        assert_eq!(
            strip_args("    url <app>, Show the first URL (compatibility)"),
            "    url, Show the first URL (compatibility)"
        );
        assert_eq!(
            strip_args("    builder-null, No-op builder plugin"),
            "    builder-null, No-op builder plugin"
        );
        assert_eq!(strip_args("    version , Print"), "    version , Print");
    }

    #[test]
    fn short_list_has_one_line_per_topic() {
        let list = core_list(false);
        assert!(list.lines().all(|l| !l.contains(':')), "{list}");
        assert!(list.contains("\n    apps  "), "{list}");
        assert!(
            list.lines().any(|l| l.starts_with("    version ")),
            "{list}"
        );
    }
}
