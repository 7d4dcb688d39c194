//! Detection, build and release with a herokuish stack image.

use std::collections::BTreeMap;
use std::path::Path;

use dokku_core::{Error, Result};
use dokku_docker::{
    BuildContext, BuildSpec, CommitSpec, ContainerSpec, EngineError, LogOptions, Mount, MountSource,
};
use dokku_trigger::deploy::{
    first_answer, BuildpackStackName, PostBuild, PostReleaseBuilder, PreBuild, PreReleaseBuilder,
};
use dokku_trigger::triggers::{ConfigExport, ConfigGet, DockerArgsProcessBuild};
use dokku_trigger::Ctx;

use crate::{props, BUILDER_TYPE};

/// The stack image when nothing else is configured.
pub const DEFAULT_IMAGE: &str = "gliderlabs/herokuish:latest-24";

fn docker(e: EngineError) -> Error {
    Error::other("docker", e)
}

fn config_get(ctx: &Ctx, app: &str, key: &str) -> Result<String> {
    Ok(first_answer(ctx.bus.collect(
        ctx,
        &ConfigGet {
            app: app.into(),
            key: key.into(),
        },
    )?)
    .unwrap_or_default())
}

/// `builder-detect`: a `.buildpacks` file or a `BUILDPACK_URL`.
pub fn detect(ctx: &Ctx, app: &str, dir: &Path) -> Result<String> {
    if !props::allowed(&ctx.paths, app) {
        return Ok(String::new());
    }
    let in_env_file = std::fs::read_to_string(dir.join(".env"))
        .map(|s| s.contains("BUILDPACK_URL"))
        .unwrap_or(false);
    let found = dir.join(".buildpacks").is_file()
        || in_env_file
        || !config_get(ctx, app, "BUILDPACK_URL")?.is_empty();
    Ok(if found {
        BUILDER_TYPE.to_string()
    } else {
        String::new()
    })
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

/// The labels of a herokuish build.
pub fn build_labels(app: &str) -> BTreeMap<String, String> {
    dokku_trigger::deploy::image_labels(app, BUILDER_TYPE, "build")
}

fn add_file(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) -> Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, name, data)
        .map_err(|e| Error::other("build context", e))
}

/// A context whose Dockerfile copies the source (under `app/`) to `/app`.
fn source_context(stack: &str, dir: &Path) -> Result<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    b.follow_symlinks(false);
    add_file(
        &mut b,
        "Dockerfile",
        format!("FROM {stack}\nCOPY app/ /app/\n").as_bytes(),
    )?;
    b.append_dir_all("app", dir)
        .map_err(|e| Error::other("build context", e))?;
    b.into_inner().map_err(|e| Error::other("build context", e))
}

fn env_pairs(ctx: &Ctx, app: &str) -> Result<Vec<String>> {
    ConfigExport::merged_env_pairs(ctx, app)
}

/// `builder-build herokuish`.
pub fn build(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    ctx.out.info1(&format!("Building {app} from herokuish"));
    let stack = stack_image(ctx, app)?;
    let engine = ctx.try_engine().map_err(docker)?;
    if !engine.image_exists(&stack).map_err(docker)? {
        return Err(Error::fail(format!(
            "Herokuish image {stack} is not available"
        )));
    }
    let image = format!("dokku/{app}:latest");
    let mut spec = BuildSpec::new(BuildContext::Tar(source_context(&stack, dir)?));
    spec.tags = vec![image.clone()];
    spec.labels = build_labels(app);
    engine.build_image(&spec, &mut |_| {}).map_err(docker)?;

    let dir_s = dir.display().to_string();
    ctx.bus.notify(
        ctx,
        &PreBuild {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            source_work_dir: dir_s.clone(),
        },
    )?;
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
    run.labels.insert("dokku".into(), String::new());
    run.labels.insert("com.dokku.app-name".into(), app.into());
    let id = engine.create_container(&run).map_err(docker)?;
    let result = (|| -> Result<()> {
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
        let changes = build_labels(app)
            .into_iter()
            .map(|(k, v)| format!("LABEL {k}={v}"))
            .collect();
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
    ctx.bus.notify(
        ctx,
        &PostBuild {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            source_work_dir: dir_s,
        },
    )
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

/// `builder-release herokuish`: the app's env goes into `/app/.profile.d`.
pub fn release(ctx: &Ctx, app: &str, tag: &str) -> Result<()> {
    let tag = if tag.is_empty() { "latest" } else { tag };
    let image = format!("dokku/{app}:{tag}");
    ctx.bus.notify(
        ctx,
        &PreReleaseBuilder {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            image: image.clone(),
        },
    )?;
    let mut b = tar::Builder::new(Vec::new());
    add_file(
        &mut b,
        "Dockerfile",
        format!("FROM {image}\nCOPY 00-global-env.sh 01-app-env.sh /app/.profile.d/\n").as_bytes(),
    )?;
    add_file(
        &mut b,
        "00-global-env.sh",
        exports(ctx, app, true)?.as_bytes(),
    )?;
    add_file(
        &mut b,
        "01-app-env.sh",
        exports(ctx, app, false)?.as_bytes(),
    )?;
    let context = b
        .into_inner()
        .map_err(|e| Error::other("build context", e))?;
    let mut spec = BuildSpec::new(BuildContext::Tar(context));
    spec.tags = vec![image.clone()];
    spec.labels = BTreeMap::from([("com.dokku.image-stage".to_string(), "release".to_string())]);
    ctx.try_engine()
        .map_err(docker)?
        .build_image(&spec, &mut |_| {})
        .map_err(|e| Error::fail(format!("Unable to release {image}: {e}")))?;
    ctx.bus.notify(
        ctx,
        &PostReleaseBuilder {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            image,
        },
    )
}
