//! Detection, build and release with a herokuish stack image.

use std::path::Path;

use dokku_core::{Error, Result};
use dokku_docker::{
    BuildContext, BuildSpec, CommitSpec, ContainerSpec, EngineError, LogOptions, Mount, MountSource,
};
use dokku_trigger::deploy::{config_value, first_answer, BuildpackStackName};
use dokku_trigger::helpers::{BuilderCreateDokkuImage, BuilderDokkuImage, PostContainerCreate};
use dokku_trigger::release::{self, ContextTar, ReleaseLayer};
use dokku_trigger::triggers::{ConfigExport, DockerArgsProcessBuild};
use dokku_trigger::Ctx;

use crate::{props, BUILDER_TYPE};

/// The stack image when nothing else is configured.
pub const DEFAULT_IMAGE: &str = "gliderlabs/herokuish:latest-24";

fn docker(e: EngineError) -> Error {
    Error::other("docker", e)
}

fn config_get(ctx: &Ctx, app: &str, key: &str) -> Result<String> {
    Ok(config_value(ctx, app, key)?.unwrap_or_default())
}

/// `builder-detect`: a `.buildpacks` file or a `BUILDPACK_URL`.
pub fn detect(ctx: &Ctx, app: &str, dir: &Path) -> Result<bool> {
    if !props::allowed(&ctx.paths, app) {
        return Ok(false);
    }
    let in_env_file = std::fs::read_to_string(dir.join(".env"))
        .map(|s| s.contains("BUILDPACK_URL"))
        .unwrap_or(false);
    Ok(dir.join(".buildpacks").is_file()
        || in_env_file
        || !config_get(ctx, app, "BUILDPACK_URL")?.is_empty())
}

/// The stack image: the buildpacks stack, else `DOKKU_IMAGE`, else the
/// default.
pub fn stack_image(ctx: &Ctx, app: &str) -> Result<String> {
    if let Some(s) = first_answer(
        ctx.bus
            .collect(ctx, &BuildpackStackName { app: app.into() })?,
    ) {
        return Ok(s);
    }
    let configured = config_get(ctx, app, "DOKKU_IMAGE")?;
    if !configured.is_empty() {
        return Ok(configured);
    }
    Ok(std::env::var("DOKKU_IMAGE")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_string()))
}

/// Tell plugins which stack image the build will use
/// (`builder-create-dokku-image`, so one may make it), then let them name
/// another (`builder-dokku-image`; the first non-empty answer wins).
fn dokku_image(ctx: &Ctx, app: &str, dir: &Path, stack: String) -> Result<String> {
    let source_work_dir = dir.display().to_string();
    ctx.bus.notify(
        ctx,
        &BuilderCreateDokkuImage {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            source_work_dir: source_work_dir.clone(),
            dokku_image: stack.clone(),
        },
    )?;
    let other = first_answer(ctx.bus.collect(
        ctx,
        &BuilderDokkuImage {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            source_work_dir,
            dokku_image: stack.clone(),
        },
    )?);
    Ok(other.unwrap_or(stack))
}

/// A context whose Dockerfile copies the source (under `app/`) to `/app`
/// and labels the image, in one step each.
fn source_context(app: &str, stack: &str, dir: &Path) -> Result<Vec<u8>> {
    let labels = release::image_labels(app, BUILDER_TYPE, "build");
    let mut context = ContextTar::new(&format!(
        "FROM {stack}\nCOPY app/ /app/\n{}\n",
        release::label_instruction(&labels)
    ))?;
    context.dir("app", dir)?;
    context.finish()
}

fn env_pairs(ctx: &Ctx, app: &str) -> Result<Vec<String>> {
    ConfigExport::merged_env_pairs(ctx, app)
}

/// `builder-build herokuish`.
pub fn build(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    ctx.out.info1(&format!("Building {app} from herokuish"));
    let stack = stack_image(ctx, app)?;
    let stack = dokku_image(ctx, app, dir, stack)?;
    let engine = ctx.try_engine().map_err(docker)?;
    if !engine.image_exists(&stack).map_err(docker)? {
        return Err(Error::fail(format!(
            "Herokuish image {stack} is not available"
        )));
    }
    let image = release::image(app, "");
    let mut spec = BuildSpec::new(BuildContext::Tar(source_context(app, &stack, dir)?));
    spec.tags = vec![image.clone()];
    engine.build_image(&spec, &mut |_| {}).map_err(docker)?;

    release::pre_build(ctx, BUILDER_TYPE, app, dir)?;
    ctx.out.info1("Adding BUILD_ENV to build environment...");
    let args = DockerArgsProcessBuild {
        app: app.into(),
        image_source_type: BUILDER_TYPE.into(),
    }
    .collect_all(ctx)?;
    let cache = ctx.paths.app_dir(app).join("cache");
    dokku_core::fsutil::ensure_dir(&cache)?;
    let mut run = ContainerSpec::new(image.clone());
    run.cmd = Some(vec!["/build".into()]);
    run.env = env_pairs(ctx, app)?;
    run.env.push("CACHE_PATH=/cache".into());
    run.mounts.push(Mount::bind(cache, "/cache"));
    for m in args.mounts {
        let source = if m.is_bind() {
            MountSource::Bind(m.source.clone().into())
        } else {
            MountSource::Volume(m.source.clone())
        };
        run.mounts.push(Mount {
            source,
            target: m.target.clone(),
            read_only: m.readonly,
            options: Vec::new(),
        });
    }
    // The other build options (resource limits, docker-options' build
    // phase) apply to the build container as `docker run` options would.
    // Each option stands alone, so one meant for `docker build` only
    // (`--no-cache`) is left out without taking its neighbour with it.
    for group in &args.options {
        let mut trial = run.clone();
        if dokku_docker::options::apply_docker_options(&mut trial, std::slice::from_ref(group))
            .is_ok()
        {
            run = trial;
        }
    }
    run.labels.insert("dokku".into(), String::new());
    run.labels.insert(release::APP_LABEL.into(), app.into());
    let id = engine.create_container(&run).map_err(docker)?;
    let result = (|| -> Result<()> {
        ctx.bus.notify(
            ctx,
            &PostContainerCreate {
                kind: "app".into(),
                container_id: id.clone(),
                app: app.into(),
                phase: "build".into(),
            },
        )?;
        engine.start_container(&id).map_err(docker)?;
        let out = ctx.out.clone();
        let follow = LogOptions {
            follow: true,
            ..LogOptions::default()
        };
        engine
            .container_logs(&id, &follow, &mut |_, line| out.line(line))
            .map_err(docker)?;
        if engine.wait_container(&id).map_err(docker)? != 0 {
            return Err(Error::fail("App build failed"));
        }
        let labels = release::image_labels(app, BUILDER_TYPE, "build");
        let changes = vec![release::label_instruction(&labels)];
        engine
            .commit_container(
                &id,
                &CommitSpec {
                    reference: image.clone(),
                    changes,
                    ..CommitSpec::default()
                },
            )
            .map_err(docker)?;
        Ok(())
    })();
    let _ = engine.remove_container(&id, true);
    result?;
    release::post_build(ctx, BUILDER_TYPE, app, dir)
}

fn exports(ctx: &Ctx, app: &str, global: bool) -> Result<String> {
    let t = ConfigExport {
        app: app.into(),
        global: global.to_string(),
        merged: "false".into(),
        format: "exports".into(),
    };
    Ok(first_answer(ctx.bus.collect(ctx, &t)?)
        .map(|s| s + "\n")
        .unwrap_or_default())
}

/// What the release adds: the app's env, global and own, as scripts in
/// `/app/.profile.d`.
pub fn release_layer(ctx: &Ctx, app: &str) -> Result<ReleaseLayer> {
    Ok(ReleaseLayer {
        dest: "/app/.profile.d/",
        files: vec![
            (
                "00-global-env.sh".into(),
                exports(ctx, app, true)?.into_bytes(),
            ),
            (
                "01-app-env.sh".into(),
                exports(ctx, app, false)?.into_bytes(),
            ),
        ],
    })
}
