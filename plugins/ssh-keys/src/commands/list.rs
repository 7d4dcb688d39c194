//! `ssh-keys:list [--format text|json] [<name>]`.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::ops;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    let format = p.value("--format").unwrap_or("text");
    if format != "text" && format != "json" {
        return Err(Error::fail(
            "Invalid output format specified, supported formats: json, text",
        ));
    }
    let name = p.arg(0).filter(|n| !n.is_empty());
    let entries: Vec<_> = ops::verified_entries(&ctx.paths)?
        .into_iter()
        .filter(|e| name.map(|n| e.name == n).unwrap_or(true))
        .collect();
    if format == "json" {
        ctx.out.line(&ops::json(&entries));
        return Ok(());
    }
    if entries.is_empty() {
        // A name that matches no key lists nothing; no keys at all is an
        // error.
        return match name {
            Some(_) => Ok(()),
            None => Err(Error::fail(ops::NO_KEYS)),
        };
    }
    let mut s = String::new();
    for e in &entries {
        s.push_str(&ops::text_line(e));
        s.push('\n');
    }
    ctx.out.write_out(&s);
    Ok(())
}
