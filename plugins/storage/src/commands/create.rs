//! `storage:create <name> [<path>] [--chown c] [--mode m] [--scheduler s]
//! [--reclaim-policy p] [--annotation k=v]... [--label k=v]...`.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::entries::{self, CreateRequest};

/// Value flags `storage:create` and `storage:set` share.
pub const OPTIONS: &[&str] = &[
    "--chown",
    "--mode",
    "--scheduler",
    "--reclaim-policy",
    "--namespace",
    "--size",
    "--access-mode",
    "--storage-class-name",
    "--annotation",
    "--label",
];

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], OPTIONS))?;
    if p.positional.len() > 2 {
        return Err(Error::fail(format!(
            "Unexpected argument(s): {}",
            p.positional[2..].join(" ")
        )));
    }
    let get = |f: &str| p.value(f).map(str::to_string);
    let req = CreateRequest {
        name: p.arg(0).unwrap_or_default().to_string(),
        path: p.arg(1).map(str::to_string),
        chown: get("--chown"),
        mode: get("--mode"),
        scheduler: get("--scheduler"),
        reclaim_policy: get("--reclaim-policy"),
        namespace: get("--namespace"),
        size: get("--size"),
        access_mode: get("--access-mode"),
        storage_class_name: get("--storage-class-name"),
        annotations: p.values("--annotation").to_vec(),
        labels: p.values("--label").to_vec(),
    };
    entries::create(ctx, &req)?;
    entries::announce(ctx, &req.name)
}
