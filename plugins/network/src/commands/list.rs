//! `network:list [--format text|json] [--dokku-managed]`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

use crate::networks::{self, Format};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--dokku-managed"], &["--format"]))?;
    let format = Format::parse(p.value("--format"))?;
    networks::list(ctx, format, p.has("--dokku-managed"))
}
