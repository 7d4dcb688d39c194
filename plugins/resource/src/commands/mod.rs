//! One module per `resource` command; limits and reservations share their
//! argument parsing.

pub mod limit;
pub mod limit_clear;
pub mod report;
pub mod reserve;
pub mod reserve_clear;

use dokku_core::{apps, args, Result};
use dokku_trigger::Ctx;

use crate::ops::{self, SetRequest};
use crate::store::{self, Kind, RESOURCES};

const VALUE_FLAGS: &[&str] = &[
    "--process-type",
    "--cpu",
    "--memory",
    "--memory-swap",
    "--network",
    "--network-ingress",
    "--network-egress",
    "--nvidia-gpu",
];

/// Parse `[--process-type <type>] [--<resource> <value>...] <app>`.
pub fn parse_set(ctx: &Ctx, argv: &[String], kind: Kind) -> Result<SetRequest> {
    let p = args::parse(argv, args::Spec::new(&[], VALUE_FLAGS))?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    let proc_type = store::check_process_type(p.value("--process-type").unwrap_or(""))?;
    let values = RESOURCES
        .iter()
        .filter_map(|r| {
            p.value(&format!("--{r}"))
                .filter(|v| !v.is_empty())
                .map(|v| (r.to_string(), v.to_string()))
        })
        .collect();
    Ok(SetRequest {
        app,
        proc_type,
        kind,
        values,
    })
}

/// `resource:limit-clear` / `resource:reserve-clear
/// [--process-type <type>] [<app>]`.
pub fn run_clear(ctx: &Ctx, argv: &[String], kind: Kind) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--process-type"]))?;
    let proc_type = match p.value("--process-type").filter(|t| !t.is_empty()) {
        Some(t) => Some(store::check_process_type(t)?),
        None => None,
    };
    let app = match p.arg(0).filter(|a| !a.is_empty()) {
        Some(a) => {
            apps::verify(&ctx.paths, a)?;
            Some(a)
        }
        None => None,
    };
    ops::clear(ctx, app, proc_type.as_deref(), kind)
}
