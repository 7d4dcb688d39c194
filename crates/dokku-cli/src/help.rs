//! `dokku help` and `dokku help --all`.

use dokku_output::{columnize, columnize_delimited};
use dokku_trigger::external::{self, Stdout};
use dokku_trigger::Ctx;

use crate::registry::core_plugins;

const USAGE: &str =
    "Usage: dokku [--quiet|--trace|--force] COMMAND <app> [command-specific-options]";

/// Help lines an external plugin prints for `commands help`, one command a
/// line with a comma before the description.
fn community_lines(ctx: &Ctx) -> Vec<String> {
    let mut lines = Vec::new();
    for p in external::enabled_community(&ctx.paths) {
        let exe = p.path.join("commands");
        if !external::is_executable(&exe) {
            continue;
        }
        if let Ok((0, out)) = external::run(&exe, &["help".to_string()], Stdout::Capture, true) {
            lines.extend(
                out.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string),
            );
        }
    }
    lines
}

/// Render `dokku help [--all]`.
pub fn render(ctx: &Ctx, all: bool) -> String {
    let mut plugins = core_plugins();
    plugins.sort_by_key(|p| p.ns());
    let mut s = format!("{USAGE}\n\n");
    if all {
        s.push_str("Commands:\n\n");
        let mut rows: Vec<Vec<String>> = Vec::new();
        for p in &plugins {
            for c in p.commands.iter().filter(|c| !c.help.is_empty()) {
                let head = if c.args.is_empty() {
                    c.name.to_string()
                } else {
                    format!("{} {}", c.name, c.args)
                };
                rows.push(vec![head, c.help.to_string()]);
            }
        }
        for l in community_lines(ctx) {
            rows.push(l.split(',').map(|c| c.trim().to_string()).collect());
        }
        rows.sort();
        s.push_str(&columnize(&rows, "    ", "  "));
        return s;
    }
    s.push_str("Primary help options, type \"dokku COMMAND:help\" for more details, or dokku help --all to see all commands.\n\n");
    s.push_str("Commands:\n\n");
    let rows: Vec<Vec<String>> = plugins
        .iter()
        .filter(|p| !p.summary.is_empty())
        .map(|p| vec![p.ns().to_string(), p.summary.to_string()])
        .collect();
    s.push_str(&columnize(&rows, "    ", "  "));
    let community = community_lines(ctx);
    if !community.is_empty() {
        s.push_str("\nCommunity plugin commands:\n\n");
        let refs: Vec<&str> = community.iter().map(String::as_str).collect();
        s.push_str(&columnize_delimited(&refs, ',', "    "));
    }
    s
}
