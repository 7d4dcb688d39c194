//! The certificate operations the commands and the trigger handlers share:
//! installing a pair read from two files or an archive, and removing it.

use dokku_core::{apps, Error, Result};
use dokku_trigger::proxy::{PostCertsRemove, PostCertsUpdate, PostDomainsUpdate};
use dokku_trigger::Ctx;

use crate::store;

fn read_file(path: &str, missing: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|_| Error::fail(missing))
}

/// The certificate and key at two paths, with `certs:add`'s messages when
/// one cannot be read.
pub fn read_pair_files(crt: &str, key: &str) -> Result<(Vec<u8>, Vec<u8>)> {
    Ok((
        read_file(crt, "CRT file specified not found, please check file paths")?,
        read_file(key, "KEY file specified not found, please check file paths")?,
    ))
}

/// Install a certificate and key for an app and tell `post-certs-update`.
pub fn install(ctx: &Ctx, app: &str, crt: &[u8], key: &[u8]) -> Result<()> {
    store::install(&ctx.paths, app, crt, key, None)?;
    ctx.bus.notify(ctx, &PostCertsUpdate { app: app.into() })
}

/// Remove an app's certificate and tell `post-certs-remove`; an app without
/// one is an error.
pub fn remove(ctx: &Ctx, app: &str) -> Result<()> {
    if !store::crt(&ctx.paths, app).is_file() {
        return Err(Error::fail("An app-specific SSL endpoint is not defined"));
    }
    store::remove(&ctx.paths, app)?;
    ctx.bus.notify(ctx, &PostCertsRemove { app: app.into() })
}

/// The domains of an app are served differently once its certificate
/// changed: `post-domains-update` with no action and no domains.
fn domains_changed(ctx: &Ctx, app: &str) -> Result<()> {
    ctx.bus.notify(
        ctx,
        &PostDomainsUpdate {
            app: app.into(),
            ..Default::default()
        },
    )
}

/// `certs-set APP CRT_FILE KEY_FILE`: install the pair from two files.
pub fn set_from_files(ctx: &Ctx, app: &str, crt_file: &str, key_file: &str) -> Result<()> {
    let app = apps::require(&ctx.paths, Some(app))?;
    if crt_file.is_empty() || key_file.is_empty() {
        return Err(Error::fail("Both CRT and KEY file paths are required"));
    }
    let (crt, key) = read_pair_files(crt_file, key_file)?;
    install(ctx, &app, &crt, &key)?;
    domains_changed(ctx, &app)
}

/// `certs-remove APP`: remove the app's certificate.
pub fn remove_endpoint(ctx: &Ctx, app: &str) -> Result<()> {
    let app = apps::require(&ctx.paths, Some(app))?;
    remove(ctx, &app)?;
    domains_changed(ctx, &app)
}
