//! `config:export [--merged] [--format <format>] (<app>|--global)`.

use dokku_core::args::{self, Spec};
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::format::ExportFormat;
use crate::ops;

const SPEC: Spec<'static> = Spec {
    switches: &["--global", "--merged"],
    options: &["--format"],
    allow_unknown: false,
};

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let p = args::parse(args, SPEC)?;
    let (scope, _) = super::scope_and_rest(ctx, &p)?;
    let format = ExportFormat::parse(p.value("--format").unwrap_or("exports"))?;
    let text = ops::export(ctx, &scope, p.has("--merged"), format)?;
    ctx.out.write_out(&format!("{text}{}", format.suffix()));
    Ok(())
}
