//! Build with the `pack` CLI, then label the image; the release step marks
//! it released.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Component, Path};
use std::process::{Command, Stdio};

use dokku_core::{Error, Result};
use dokku_docker::{BuildContext, BuildSpec};
use dokku_trigger::deploy::{
    first_answer, BuildpackStackName, PostBuild, PostReleaseBuilder, PreBuild, PreReleaseBuilder,
};
use dokku_trigger::triggers::{ConfigExport, ConfigGet};
use dokku_trigger::Ctx;

use crate::BUILDER_TYPE;

/// The CNB builder image when nothing else is configured.
pub const DEFAULT_BUILDER: &str = "heroku/builder:24";

/// Whether `rel` below `dir` is a regular file reached without links.
pub fn file_inside(dir: &Path, rel: &str) -> bool {
    let mut p = dir.to_path_buf();
    let parts: Vec<_> = Path::new(rel.trim_start_matches('/'))
        .components()
        .collect();
    if parts.is_empty() {
        return false;
    }
    for (i, c) in parts.iter().enumerate() {
        match c {
            Component::Normal(x) => p.push(x),
            Component::CurDir => continue,
            _ => return false,
        }
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            return false;
        };
        let last = i + 1 == parts.len();
        if (last && !meta.is_file()) || (!last && !meta.is_dir()) {
            return false;
        }
    }
    true
}

fn labels(app: &str, stage: &str) -> BTreeMap<String, String> {
    dokku_trigger::deploy::image_labels(app, BUILDER_TYPE, stage)
}

fn label_image(ctx: &Ctx, image: &str, labels: BTreeMap<String, String>) -> Result<()> {
    let dockerfile = format!("FROM {image}\n");
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(dockerfile.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, "Dockerfile", dockerfile.as_bytes())
        .map_err(|e| Error::other("build context", e))?;
    let mut spec = BuildSpec::new(BuildContext::Tar(
        b.into_inner()
            .map_err(|e| Error::other("build context", e))?,
    ));
    spec.tags = vec![image.to_string()];
    spec.labels = labels;
    ctx.engine()?
        .build_image(&spec, &mut |_| {})
        .map(|_| ())
        .map_err(|e| Error::other("label image", e))
}

fn stack(ctx: &Ctx, app: &str) -> Result<String> {
    if let Some(s) = first_answer(
        ctx.bus
            .collect(ctx, &BuildpackStackName { app: app.into() })?,
    ) {
        return Ok(s);
    }
    if let Some(s) = first_answer(ctx.bus.collect(
        ctx,
        &ConfigGet {
            app: app.into(),
            key: "DOKKU_CNB_BUILDER".into(),
        },
    )?) {
        return Ok(s);
    }
    Ok(std::env::var("DOKKU_CNB_BUILDER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_BUILDER.to_string()))
}

/// The app's merged env as `KEY=VALUE` lines for `--env-file` (values
/// spanning lines cannot be expressed there and are left out).
fn env_file(ctx: &Ctx, app: &str) -> Result<String> {
    Ok(ConfigExport::merged_env(ctx, app)?
        .into_iter()
        .filter(|(_, v)| !v.contains('\n'))
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect())
}

/// `builder-build pack`.
pub fn build(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    let builder = stack(ctx, app)?;
    ctx.out.info1(&format!("Building {app} from {builder}"));
    let image = format!("dokku/{app}:latest");
    let dir_s = dir.display().to_string();
    ctx.bus.notify(
        ctx,
        &PreBuild {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            source_work_dir: dir_s.clone(),
        },
    )?;
    let env = tempfile::NamedTempFile::new().map_err(|e| Error::other("create env file", e))?;
    std::fs::write(env.path(), env_file(ctx, app)?)
        .map_err(|e| Error::io("write", env.path(), e))?;
    let mut child = Command::new("pack")
        .args([
            "build",
            &image,
            "--builder",
            &builder,
            "--path",
            &dir_s,
            "--default-process",
            "web",
            "--pull-policy",
            "if-not-present",
            "--env-file",
        ])
        .arg(env.path())
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
    let status = child.wait().map_err(|e| Error::other("run pack", e))?;
    if !status.success() {
        return Err(Error::fail("App build failed"));
    }
    label_image(ctx, &image, labels(app, "build"))?;
    ctx.bus.notify(
        ctx,
        &PostBuild {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            source_work_dir: dir_s,
        },
    )
}

/// `builder-release pack`.
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
    if label_image(
        ctx,
        &image,
        BTreeMap::from([("com.dokku.image-stage".to_string(), "release".to_string())]),
    )
    .is_err()
    {
        ctx.out.warn("Failure injecting docker labels on image");
    }
    ctx.bus.notify(
        ctx,
        &PostReleaseBuilder {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            image,
        },
    )
}
