//! `<plugin>:set` with the rules and messages of Dokku's shell plugins
//! (git, builder-dockerfile, ...): `No key specified`, `Invalid key
//! specified, valid keys include: ...`, one value argument.

use dokku_core::property::GLOBAL;
use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::props;

/// Run `git:set [--global|<app>] <key> [<value>]`. An empty
/// `rev-env-var` is kept (it disables the variable); other empty values
/// remove the property.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = argv.first().map(String::as_str).unwrap_or("");
    if app != GLOBAL {
        if app.is_empty() {
            return Err(Error::fail(apps::MISSING_APP));
        }
        apps::verify(&ctx.paths, app)?;
    }
    let key = argv.get(1).map(String::as_str).unwrap_or("");
    let value = argv.get(2).map(String::as_str).unwrap_or("");
    if key.is_empty() {
        return Err(Error::fail("No key specified"));
    }
    if !props::KEYS.contains(&key) {
        return Err(Error::fail(format!(
            "Invalid key specified, valid keys include: {}",
            props::KEYS.join(", ")
        )));
    }
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, app)?;
    if !value.is_empty() {
        ctx.out.info2_quiet(&format!("Setting {key} to {value}"));
        props::write(&ctx.paths, app, key, value)
    } else {
        ctx.out.info2_quiet(&format!("Unsetting {key}"));
        if key == "rev-env-var" {
            props::write(&ctx.paths, app, key, "")
        } else {
            props::delete(&ctx.paths, app, key)
        }
    }
}
