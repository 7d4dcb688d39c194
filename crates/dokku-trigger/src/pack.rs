//! The `pack` CLI (cloud native buildpacks) as the pack builder and
//! `buildpacks:detect` run it: the app's env and buildpacks as `pack`
//! takes them, and a run whose output goes to the user line by line.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

use dokku_core::{Error, Result};

use crate::triggers::ConfigExport;
use crate::Ctx;

/// The app's merged env as `KEY=VALUE` lines for `--env-file` (values
/// spanning lines cannot be expressed there and are left out).
pub fn env_file(ctx: &Ctx, app: &str) -> Result<String> {
    Ok(ConfigExport::merged_env(ctx, app)?
        .into_iter()
        .filter(|(_, v)| !v.contains('\n'))
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect())
}

/// `--buildpack <url>` for each line of the source's `.buildpacks` (the
/// app's buildpacks list puts it there), in order; blank lines and
/// comments are skipped.
pub fn buildpack_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(".buildpacks"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(|l| ["--buildpack".to_string(), l.to_string()])
        .collect()
}

/// Run `pack` (`cmd`) without standard input, each line it prints to
/// stdout going to the user; its exit status.
pub fn run(ctx: &Ctx, cmd: &mut Command) -> Result<ExitStatus> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|_| Error::fail("pack binary is not available"))?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            ctx.out.line(&line);
        }
    }
    child.wait().map_err(|e| Error::other("run pack", e))
}
