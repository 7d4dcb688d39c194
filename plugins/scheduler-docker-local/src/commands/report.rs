//! `scheduler-docker-local:report [<app>|--global] [--format stdout|json] [--<flag>]`.

use dokku_core::report::{self, Format};
use dokku_core::{args, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    if argv.iter().any(|a| a == "--global") {
        let rest: Vec<String> = argv.iter().filter(|a| *a != "--global").cloned().collect();
        let p = args::parse(
            &rest,
            args::Spec {
                switches: &[],
                options: &["--format"],
                allow_unknown: true,
            },
        )?;
        let format = Format::parse(p.value("--format"))?;
        let rows = crate::global_rows(&ctx.paths);
        return report::render(
            &crate::SPEC,
            "global",
            &rows,
            p.unknown.first().map(String::as_str),
            format,
            &ctx.out,
        );
    }
    report::run_command(&ctx.paths, &ctx.out, &crate::SPEC, argv, &|app| {
        crate::rows(&ctx.paths, app)
    })
}
