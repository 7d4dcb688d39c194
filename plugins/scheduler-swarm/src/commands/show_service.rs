//! `scheduler-swarm:show-service <app> [<process>] [--format stdout|json]`.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    let app = dokku_core::apps::require(&ctx.paths, p.arg(0))?;
    let process = p.arg(1);
    crate::routes::refresh_quietly(ctx, &app);
    match p.value("--format") {
        None | Some("stdout") => crate::deploy::show_service(ctx, &app, process),
        Some("json") => {
            let list = crate::inspect::services(ctx, &app, process)?;
            ctx.out.line(&serde_json::Value::Array(list).to_string());
            Ok(())
        }
        Some(other) => Err(Error::fail(format!("Invalid format specified: {other}"))),
    }
}
