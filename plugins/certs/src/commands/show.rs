//! `certs:show <app> crt|key`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::store;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    let path = match argv.get(1).map(String::as_str) {
        Some("crt") => store::crt(&ctx.paths, &app),
        Some("key") => store::key(&ctx.paths, &app),
        _ => return Err(Error::fail("specify either 'key' or 'crt'")),
    };
    if !store::exists(&ctx.paths, &app) {
        return Err(Error::fail(format!(
            "{app} doesn't have an SSL endpoint defined"
        )));
    }
    let data = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
    ctx.out.write_out_bytes(&data);
    Ok(())
}
