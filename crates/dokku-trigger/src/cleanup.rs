//! Removing what deploys leave behind: stopped containers and dangling
//! images carrying Dokku's labels. One implementation for `dokku cleanup`,
//! the start of every build and the shell library's `docker_cleanup`.

use dokku_core::Result;
use dokku_docker::{ContainerEngine, ContainerFilter, ImageFilter};

use crate::deploy::BuilderGetProperty;
use crate::Ctx;

// Dokku 0.25 dropped the `scheduler-docker-cleanup` trigger from the
// scheduler interface (appendices/0.25.0-migration-guide.md): cleanup fires
// nothing, so no external plugin sees that name.

/// The label every container and image Dokku makes carries
/// (`DOKKU_CONTAINER_LABEL`).
pub const CONTAINER_LABEL: &str = "dokku";

/// Whether cleanup is switched off for `app`: the builder's `skip-cleanup`
/// property, or `DOKKU_SKIP_CLEANUP=true` in the environment.
fn skipped(ctx: &Ctx, app: &str) -> Result<bool> {
    if std::env::var("DOKKU_SKIP_CLEANUP").as_deref() == Ok("true") {
        return Ok(true);
    }
    if app.is_empty() {
        return Ok(false);
    }
    let answers = ctx.bus.collect(
        ctx,
        &BuilderGetProperty {
            app: app.into(),
            key: "skip-cleanup".into(),
        },
    )?;
    Ok(answers.iter().any(|a| a.trim() == "true"))
}

/// Remove exited and dead containers and dangling images: those of `app`
/// (its `com.dokku.app-name` label), or every one with Dokku's label when
/// `app` is empty or `--global`. Unless `force`, a configured skip wins
/// and is reported. Removal failures (an image still in use) are ignored,
/// as the engine's own prune would.
pub fn docker_cleanup(ctx: &Ctx, app: &str, force: bool) -> Result<()> {
    clean(ctx, app, force, false)
}

/// The clean-up a build starts with: [`docker_cleanup`] of `app` (a
/// configured skip wins), its removals and the search for dangling images
/// done beside the build (joined before the command ends). What the build
/// leaves dangling may be among them: the engine refuses to remove an image
/// a container still uses, and an unused dangling one is what the next
/// clean-up would remove.
pub fn cleanup_before_build(ctx: &Ctx, app: &str) -> Result<()> {
    clean(ctx, app, false, true)
}

fn clean(ctx: &Ctx, app: &str, force: bool, beside: bool) -> Result<()> {
    let app = if app == "--global" { "" } else { app };
    if !force && skipped(ctx, app)? {
        ctx.out
            .info1("DOKKU_SKIP_CLEANUP set. Skipping dokku cleanup");
        return Ok(());
    }
    ctx.out.info1("Cleaning up...");
    let label = if app.is_empty() {
        CONTAINER_LABEL.to_string()
    } else {
        format!("com.dokku.app-name={app}")
    };
    // The stopped containers are listed now, so that none the command
    // goes on to run (and reads back once it exited) is among them.
    let containers = ContainerFilter {
        all: true,
        labels: vec![label.clone()],
        statuses: vec!["exited".into(), "dead".into()],
        ..ContainerFilter::default()
    };
    let stopped = ctx
        .engine()?
        .list_containers(&containers)
        .unwrap_or_default();
    let remove = move |engine: &dyn ContainerEngine| {
        for c in stopped {
            let _ = engine.remove_container(&c.id, false);
        }
        let images = ImageFilter {
            labels: vec![label],
            dangling: Some(true),
            ..ImageFilter::default()
        };
        for i in engine.list_images(&images).unwrap_or_default() {
            let _ = engine.remove_image(&i.id, false);
        }
    };
    if beside {
        ctx.in_background(remove)
    } else {
        remove(ctx.engine()?);
        Ok(())
    }
}
