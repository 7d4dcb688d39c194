//! One module per `nginx:*` command (start, stop and reload share one).

pub mod logs;
pub mod report;
pub mod service;
pub mod set;
pub mod show_config;
pub mod validate;

use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

/// Refuse app commands for apps another proxy serves.
pub fn require_nginx(ctx: &Ctx, app: &str) -> Result<()> {
    if crate::build::nginx_enabled(ctx, app).0 {
        Ok(())
    } else {
        Err(Error::fail(
            "This command is only available for apps with the nginx proxy type",
        ))
    }
}
