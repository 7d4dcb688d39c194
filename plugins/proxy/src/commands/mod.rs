//! One module per `proxy:*` command.

pub mod build_config;
pub mod clear_config;
pub mod disable;
pub mod enable;
pub mod report;
pub mod set;

use dokku_core::args::{self, Parsed, Spec};
use dokku_core::{Error, Result};

/// `[--parallel count] [--all|<app>]`: the parsed arguments.
pub fn parse_targets(argv: &[String]) -> Result<Parsed> {
    let parsed = args::parse(argv, Spec::new(&["--all"], &["--parallel"]))?;
    if let Some(n) = parsed.value("--parallel") {
        match n.parse::<i64>() {
            Ok(v) if v == -1 || v >= 1 => {}
            _ => {
                return Err(Error::fail(format!(
                    "Invalid value {n} for --parallel flag"
                )))
            }
        }
    }
    Ok(parsed)
}
