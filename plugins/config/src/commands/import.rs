//! `config:import [--replace] [--no-restart] [--format envfile|json|json-list]
//! (<app>|--global) [FILE|-]`: set variables from a document read from
//! FILE, or from stdin when it is `-` or not given.

use std::io::Read;

use dokku_core::args::Spec;
use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::ops::{self, ImportFormat, ImportRequest};

const SPEC: Spec<'static> = Spec::new(&["--global", "--replace", "--no-restart"], &["--format"]);

/// An I/O error in the words Go's `os` package uses (`open FILE: no such
/// file or directory`).
fn os_error(op: &str, path: &str, e: &std::io::Error) -> Error {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    let text = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect::<String>(),
        None => String::new(),
    };
    Error::fail(format!("{op} {path}: {text}"))
}

fn read_input(file: Option<&str>) -> Result<String> {
    let mut input = String::new();
    match file {
        None | Some("-") => {
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| Error::other("read stdin", e))?;
        }
        Some(path) => {
            let mut f = std::fs::File::open(path).map_err(|e| os_error("open", path, &e))?;
            f.read_to_string(&mut input)
                .map_err(|e| os_error("read", path, &e))?;
        }
    }
    Ok(input)
}

/// Run the command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (p, scope, rest) = super::parse_scoped(ctx, args, SPEC)?;
    let format = ImportFormat::parse(p.value("--format").unwrap_or("envfile"))?;
    let file = match rest.as_slice() {
        [] => None,
        [file] => Some(file.as_str()),
        [_, extra @ ..] => {
            return Err(Error::fail(format!(
                "Unexpected argument(s): [{}]",
                extra.join(" ")
            )))
        }
    };
    let input = read_input(file)?;
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
