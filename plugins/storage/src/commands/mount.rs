//! `storage:mount <app> <name> --container-dir <path> [flags]` and the
//! legacy `storage:mount <app> <host-dir:container-dir>`.

use dokku_core::{args, Result};
use dokku_trigger::Ctx;

use crate::attach::{self, MountRequest};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec {
            switches: &["--volume-readonly"],
            options: &[
                "--container-dir",
                "--phase",
                "--volume-options",
                "--volume-subpath",
                "--volume-chown",
                "--process-type",
            ],
            allow_unknown: false,
        },
    )?;
    let (app, target) = attach::app_and_target(ctx, &p)?;
    if attach::is_legacy(target) {
        return attach::mount_legacy(ctx, &app, target);
    }
    let req = MountRequest {
        app,
        name: target.to_string(),
        container_dir: p.value("--container-dir").map(str::to_string),
        phases: p.values("--phase").to_vec(),
        volume_options: p.value("--volume-options").map(str::to_string),
        readonly: p.has("--volume-readonly"),
        subpath: p.value("--volume-subpath").map(str::to_string),
        volume_chown: p.value("--volume-chown").map(str::to_string),
        process_type: p.value("--process-type").map(str::to_string),
    };
    attach::mount_named(ctx, &req)
}
