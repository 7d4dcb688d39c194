//! `scheduler-swarm:cluster:add [--role manager|worker]
//! [--insecure-allow-unknown-hosts] <ssh://user@host[:port]>`.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::cluster::{self, Role};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec::new(&["--insecure-allow-unknown-hosts"], &["--role"]),
    )?;
    let role = Role::parse(p.value("--role"))?;
    let url = p
        .arg(0)
        .ok_or_else(|| Error::fail("Please specify a server url: ssh://user@host[:port]"))?;
    cluster::add(ctx, url, role, p.has("--insecure-allow-unknown-hosts"))
}
