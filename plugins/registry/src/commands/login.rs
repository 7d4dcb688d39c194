//! `registry:login [--global|--password-stdin] [<app>] <server> <username>
//! [<password>]`.

use std::io::Read;

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::login::{self, LoginRequest};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec::new(&["--global", "--password-stdin"], &[]),
    )?;
    let from_stdin = p.has("--password-stdin");
    let (scope, words, deprecated_global) =
        login::split_login(&p.positional, p.has("--global"), !from_stdin)?;
    let word = |i: usize| words.get(i).cloned().unwrap_or_default();
    let password = if from_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::other("read password from stdin", e))?;
        s.trim().to_string()
    } else {
        word(2)
    };
    login::login(
        ctx,
        &LoginRequest {
            scope,
            server: word(0),
            username: word(1),
            password,
            deprecated_global,
        },
    )
}
