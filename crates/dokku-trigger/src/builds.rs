//! Build records: the triggers the builds plugin answers, and the capture
//! the entry point wraps around every deploy-producing command (Dokku's
//! `dokku_setup_build_capture` and `release_app_deploy_lock`).

use dokku_core::tee::Tee;
use dokku_core::Result;

use crate::bus::{Dispatch, Trigger};
use crate::triggers::{arg, trigger};
use crate::Ctx;

trigger!(
    /// A new build id (14 lower-case base36 characters).
    BuildsGenerateId = "builds-generate-id", Collect -> String { }
);
trigger!(
    /// A build of `app` started in process `pid`, from `source`.
    BuildsRecordStart = "builds-record-start", Notify -> () { app, build_id, pid, source }
);
trigger!(
    /// A build ended with `exit_code`.
    BuildsRecordFinalize = "builds-record-finalize", Notify -> () { app, build_id, exit_code }
);

/// The commands whose runs are recorded as builds, with the source each
/// records (the command the user typed).
pub const SOURCES: &[&str] = &[
    "git-hook",
    "ps:rebuild",
    "ps:restart",
    "ps:start",
    "deploy",
    "git:sync",
    "git:from-archive",
    "git:from-image",
    "git:load-image",
];

/// The log file of a build.
pub fn log_path(ctx: &Ctx, app: &str, id: &str) -> std::path::PathBuf {
    ctx.paths
        .lib_root
        .join("data/builds")
        .join(app)
        .join(format!("{id}.log"))
}

/// A build being recorded.
pub struct Capture {
    app: String,
    id: String,
    tee: Option<Tee>,
}

impl Capture {
    /// Start recording a build of `app` from `source`, unless one is being
    /// recorded already (an outer command started it) or `app` is not an
    /// existing app. Exports the build's variables for plugins and starts
    /// copying output to the build log.
    pub fn start(ctx: &Ctx, app: &str, source: &str) -> Result<Option<Capture>> {
        if std::env::var("DOKKU_REDIRECT_OUTPUT").as_deref() == Ok("true")
            || !dokku_core::apps::exists(&ctx.paths, app)
        {
            return Ok(None);
        }
        let id = ctx
            .bus
            .collect(ctx, &BuildsGenerateId {})?
            .into_iter()
            .map(|s| s.trim().to_string())
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| {
                format!(
                    "pid-{}",
                    std::env::var("DOKKU_PID").unwrap_or_else(|_| std::process::id().to_string())
                )
            });
        let log = log_path(ctx, app, &id);
        std::env::set_var("DOKKU_REDIRECT_OUTPUT", "true");
        std::env::set_var("DOKKU_BUILD_ID", &id);
        std::env::set_var("DOKKU_BUILD_SOURCE", source);
        std::env::set_var("DOKKU_BUILD_LOG_FILE", &log);
        // As with Dokku, the output also reaches syslog tagged
        // `dokku-<build id>` (`journalctl -t dokku-<build id>`).
        let tee = Tee::start(&log, Some(&format!("dokku-{id}")))?;
        let capture = Capture {
            app: app.to_string(),
            id: id.clone(),
            tee: Some(tee),
        };
        ctx.bus.notify(
            ctx,
            &BuildsRecordStart {
                app: app.to_string(),
                build_id: id,
                pid: std::process::id().to_string(),
                source: source.to_string(),
            },
        )?;
        Ok(Some(capture))
    }

    /// Stop copying output and finalize the record with the command's exit
    /// code.
    pub fn finish(mut self, ctx: &Ctx, exit_code: i32) -> Result<()> {
        if let Some(tee) = self.tee.take() {
            tee.stop();
        }
        ctx.bus.notify(
            ctx,
            &BuildsRecordFinalize {
                app: self.app.clone(),
                build_id: self.id.clone(),
                exit_code: exit_code.to_string(),
            },
        )
    }
}
