//! `config:import [--replace] [--no-restart] [--format envfile|json|json-list]
//! (<app>|--global)`: set variables from a document on stdin.

use std::io::Read;

use dokku_core::args::Spec;
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::ops::{self, ImportFormat, ImportRequest};

const SPEC: Spec<'static> = Spec::new(&["--global", "--replace", "--no-restart"], &["--format"]);

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, _) = super::parse_scoped(ctx, args, SPEC)?;
    let format = ImportFormat::parse(p.value("--format").unwrap_or("envfile"))?;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| Error::other("read stdin", e))?;
    ops::import(
        ctx,
        ImportRequest {
            scope,
            input,
            format,
            replace: p.has("--replace"),
            no_restart: p.has("--no-restart"),
        },
    )
}
