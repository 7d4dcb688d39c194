//! `apps:list [--format stdout|json]`: the apps the user may see
//! (through `user-auth-app`).

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    let format = p.value("--format").unwrap_or("stdout");
    if format != "stdout" && format != "json" {
        return Err(Error::fail(
            "Invalid format specified, supported formats: json, stdout",
        ));
    }
    let list = dokku_trigger::helpers::filter_apps(ctx, apps::list(&ctx.paths))?;
    if format == "json" {
        ctx.out
            .line(&serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()));
        return Ok(());
    }
    if list.is_empty() {
        ctx.out.warn(apps::NO_APPS);
        return Ok(());
    }
    ctx.out.info2_quiet("My Apps");
    let mut s = String::with_capacity(list.len() * 16);
    for a in &list {
        s.push_str(a);
        s.push('\n');
    }
    ctx.out.write_out(&s);
    Ok(())
}
