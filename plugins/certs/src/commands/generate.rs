//! `certs:generate <app> <domain>`: a new key, signing request and
//! self-signed certificate for a domain, installed for the app, and the
//! domain added to the app.

use dokku_core::{apps, Error, Result};
use dokku_trigger::proxy::{DomainsAdd, DomainsList, PostCertsUpdate};
use dokku_trigger::Ctx;

use crate::{openssl, store};

fn valid_domain(d: &str) -> bool {
    !d.is_empty()
        && d.len() <= 253
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '*')
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = apps::require(&ctx.paths, argv.first().map(String::as_str))?;
    let domain = argv
        .get(1)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| Error::fail("Please specify a domain name"))?;
    if !valid_domain(domain) {
        return Err(Error::fail(format!("{domain} is invalid. exiting...")));
    }
    let work = tempfile::tempdir().map_err(|e| Error::other("create temporary directory", e))?;
    ctx.out.info1(&format!(
        "Generating a self-signed certificate for {domain}"
    ));
    openssl::generate(work.path(), domain)?;
    let read = |n: &str| {
        std::fs::read(work.path().join(n)).map_err(|e| Error::io("read", work.path().join(n), e))
    };
    store::install(
        &ctx.paths,
        &app,
        &read("server.crt")?,
        &read("server.key")?,
        Some(&read("server.csr")?),
    )?;
    let known: Vec<String> = ctx
        .bus
        .collect(ctx, &DomainsList { app: app.clone() })?
        .concat();
    if !known.iter().any(|d| d == domain) {
        ctx.bus.notify(
            ctx,
            &DomainsAdd {
                app: app.clone(),
                domain: domain.clone(),
            },
        )?;
    }
    ctx.bus.notify(ctx, &PostCertsUpdate { app })
}
