//! What every command and trigger handler receives.

use std::sync::Arc;

use dokku_core::Paths;
use dokku_output::Output;

use crate::bus::Bus;

/// Global flags given before the command (or through the environment).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--quiet` / `DOKKU_QUIET_OUTPUT`.
    pub quiet: bool,
    /// `--force` / `DOKKU_APPS_FORCE_DELETE`.
    pub force: bool,
    /// `--trace` / `DOKKU_TRACE`.
    pub trace: bool,
    /// `--app` / `DOKKU_APP_NAME`.
    pub app: Option<String>,
}

/// The context of one command run.
#[derive(Clone)]
pub struct Ctx {
    /// Where state lives.
    pub paths: Paths,
    /// Where output goes.
    pub out: Output,
    /// Global flags.
    pub flags: Flags,
    /// The trigger bus.
    pub bus: Arc<Bus>,
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("paths", &self.paths)
            .field("flags", &self.flags)
            .finish()
    }
}

impl Ctx {
    /// A context with no trigger handlers and default flags: for unit tests
    /// of code that needs a context but fires no triggers.
    pub fn bare(paths: Paths, out: Output) -> Self {
        Ctx::new(paths, out, Flags::default(), Arc::new(Bus::default()))
    }

    /// A context over the given pieces.
    pub fn new(paths: Paths, out: Output, flags: Flags, bus: Arc<Bus>) -> Self {
        Ctx {
            paths,
            out,
            flags,
            bus,
        }
    }
}
