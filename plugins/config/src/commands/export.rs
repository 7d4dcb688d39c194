//! `config:export [--merged] [--format <format>] (<app>|--global)`.

use dokku_core::args::Spec;
use dokku_core::Result;
use dokku_trigger::Ctx;

use crate::format::ExportFormat;
use crate::ops;

const SPEC: Spec<'static> = Spec::new(&["--global", "--merged"], &["--format"]);

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, _) = super::parse_scoped(ctx, args, SPEC)?;
    let format = ExportFormat::parse(p.value("--format").unwrap_or("exports"))?;
    let text = ops::export(ctx, &scope, p.has("--merged"), format)?;
    ctx.out.write_out(&format!("{text}{}", format.suffix()));
    Ok(())
}
