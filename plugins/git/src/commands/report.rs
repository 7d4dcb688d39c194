//! `git:report [<app>|--global] [--format stdout|json] [--<flag>]`.

use dokku_core::{report, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    if argv.iter().any(|a| a == "--global") {
        let rest: Vec<String> = argv.iter().filter(|a| *a != "--global").cloned().collect();
        let parsed = dokku_core::args::parse(
            &rest,
            dokku_core::args::Spec {
                switches: &[],
                options: &["--format"],
                allow_unknown: true,
            },
        )?;
        let format = report::Format::parse(parsed.value("--format"))?;
        let rows = crate::report::global_rows(&ctx.paths);
        if parsed.unknown.is_empty() && format == report::Format::Stdout {
            ctx.out.info2_quiet("Global git information");
            let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (k, v) in &rows {
                let label = format!("{}:", label(k));
                ctx.out.verbose(&format!("{label:<w$}{v}", w = width - 1));
            }
            return Ok(());
        }
        return report::render(
            &crate::report::SPEC,
            "--global",
            &rows,
            parsed.unknown.first().map(String::as_str),
            format,
            &ctx.out,
        );
    }
    report::run_command(&ctx.paths, &ctx.out, &crate::report::SPEC, argv, &|app| {
        crate::report::rows(&ctx.paths, app)
    })
}

fn label(flag: &str) -> String {
    let k = flag.trim_start_matches("--").replace('-', " ");
    let mut c = k.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
