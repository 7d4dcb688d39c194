//! `config:import [--replace] [--no-restart] [--format envfile|json|json-list]
//! (<app>|--global)`: set variables from a document on stdin.

use std::io::Read;

use dokku_core::args::{self, Spec};
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::ops::{self, ImportFormat, ImportRequest};

const SPEC: Spec<'static> = Spec {
    switches: &["--global", "--replace", "--no-restart"],
    options: &["--format"],
    allow_unknown: false,
};

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let p = args::parse(args, SPEC)?;
    let (scope, _) = super::scope_and_rest(ctx, &p)?;
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
