//! `ssh-keys:add <name> [<key-file>]`: the key comes from the file, or from
//! stdin when no file is named.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::authorized_keys::DEFAULT_OPTIONS;
use crate::ops;

/// Dokku's message when neither a file nor a pipe gives a key.
pub const NO_KEY: &str = "No key specified via file or pipe";

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::default())?;
    let name = p.arg(0).unwrap_or("");
    if name.is_empty() {
        return Err(Error::fail("Please specify a name for the key"));
    }
    let text = match p.arg(1).filter(|f| !f.is_empty()) {
        Some(file) => {
            let path = expand_home(ctx, file);
            std::fs::read_to_string(&path)
                .map_err(|e| Error::fail(format!("Unable to read {}: {e}", path.display())))?
        }
        None => read_stdin()?,
    };
    let options = std::env::var("SSHCOMMAND_ALLOWED_KEYS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_OPTIONS.to_string());
    let fingerprint = ops::add(&ctx.paths, &ctx.out, name, &text, &options)?;
    ctx.out.line(&fingerprint);
    // As Dokku does after every add: the whole file must still pass
    // ssh-keygen, lines added by hand included.
    ops::verified_entries(&ctx.paths).map(|_| ())
}

/// A leading `~` means the dokku user's home, as the docs promise.
fn expand_home(ctx: &Ctx, file: &str) -> PathBuf {
    match file.strip_prefix('~') {
        Some("") => ctx.paths.dokku_root.clone(),
        Some(rest) if rest.starts_with('/') => {
            ctx.paths.dokku_root.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(file),
    }
}

fn read_stdin() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(Error::fail(NO_KEY));
    }
    let mut text = String::new();
    stdin
        .lock()
        .read_to_string(&mut text)
        .map_err(|e| Error::other("read key from stdin", e))?;
    Ok(text)
}
