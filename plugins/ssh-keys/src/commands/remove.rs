//! `ssh-keys:remove <name>` and `ssh-keys:remove --fingerprint <fingerprint>`.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::ops::{self, Selector};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--fingerprint"]))?;
    let sel = match (
        p.value("--fingerprint").filter(|f| !f.is_empty()),
        p.arg(0).filter(|n| !n.is_empty()),
    ) {
        (Some(fp), _) => Selector::Fingerprint(fp),
        (None, Some(name)) => Selector::Name(name),
        (None, None) => {
            return Err(Error::fail(
                "Please specify a key name or --fingerprint <fingerprint>",
            ))
        }
    };
    ops::remove(&ctx.paths, sel)?;
    Ok(())
}
