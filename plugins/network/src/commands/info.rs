//! `network:info <network> [--format text|json]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

use crate::networks::{self, Format};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    let format = Format::parse(p.value("--format"))?;
    networks::info(ctx, p.arg(0).unwrap_or(""), format)
}
