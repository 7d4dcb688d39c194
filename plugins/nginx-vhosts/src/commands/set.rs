//! `nginx:set <app>|--global <property> [<value>]`: an empty value goes
//! back to the global value (for an app) or the default (globally).
//! Changes apply on the next config build (`proxy:build-config`).

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    super::report::REPORT.set_command(ctx, argv).map(drop)
}
