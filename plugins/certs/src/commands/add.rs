//! `certs:add|update <app> [CRT KEY]`: install a certificate and key from
//! two files, or from a tar archive on stdin.

use std::io::{IsTerminal, Read};

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::{archive, ops};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    let (crt, key) = match (argv.get(1), argv.get(2)) {
        (Some(c), Some(k)) => ops::read_pair_files(c, k)?,
        (Some(_), None) => return Err(Error::fail("Both CRT and KEY file paths are required")),
        _ => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                return Err(Error::fail(
                    "Tar archive containing server.crt and server.key expected on stdin",
                ));
            }
            let mut data = Vec::new();
            stdin
                .lock()
                .take(archive::MAX_SIZE + 1)
                .read_to_end(&mut data)
                .map_err(|e| Error::other("read stdin", e))?;
            let pair = archive::read_pair(&data)?;
            (pair.crt, pair.key)
        }
    };
    ops::install(ctx, &app, &crt, &key)
}
