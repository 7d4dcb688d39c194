//! `registry:logout [--global] [<app>] <server>`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

use crate::login::{self, Scope};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--global"], &[]))?;
    let words = &p.positional;
    let (scope, server, deprecated) = if p.has("--global") {
        (Scope::Global, words.first().cloned(), false)
    } else if words.len() >= 2 {
        (Scope::App(words[0].clone()), words.get(1).cloned(), false)
    } else {
        (Scope::Global, words.first().cloned(), words.len() == 1)
    };
    login::logout(ctx, &scope, &server.unwrap_or_default(), deprecated)
}
