//! Building an app image from its Dockerfile, and the release step that
//! marks the image as released.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path};

use dokku_core::{Error, Result};
use dokku_docker::{BuildContext, BuildSpec, EngineError};
use dokku_trigger::deploy::{PostBuild, PostReleaseBuilder, PreBuild, PreReleaseBuilder};
use dokku_trigger::triggers::{ConfigExport, ConfigGet, DockerArgsProcessBuild};
use dokku_trigger::Ctx;

use crate::BUILDER_TYPE;

/// The labels every Dockerfile build carries.
pub fn build_labels(app: &str) -> BTreeMap<String, String> {
    dokku_trigger::deploy::image_labels(app, BUILDER_TYPE, "build")
}

/// The Dockerfile at `rel` inside `dir`, as a clean relative path, when it
/// is a regular file reached without leaving `dir` or following a link.
pub fn dockerfile_in(dir: &Path, rel: &str) -> Option<String> {
    let mut parts = Vec::new();
    for c in Path::new(rel.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let mut p = dir.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        p.push(part);
        let meta = fs::symlink_metadata(&p).ok()?;
        let last = i + 1 == parts.len();
        if (last && !meta.is_file()) || (!last && !meta.is_dir()) {
            return None;
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// What the build-phase docker options ask of a build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// `--build-arg NAME[=VALUE]`, in order.
    pub build_args: Vec<(String, Option<String>)>,
    /// `--label KEY=VALUE`.
    pub labels: BTreeMap<String, String>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// `--network NAME`.
    pub network: Option<String>,
}

/// Read the options Dokku passes to `docker build` from the build-phase
/// docker options; volume and link options do not apply to builds, and
/// options the build API has no field for are left out.
pub fn parse_options(groups: &[String]) -> BuildOptions {
    let mut o = BuildOptions::default();
    let words: Vec<String> = groups
        .iter()
        .flat_map(|g| shlex::split(g).unwrap_or_default())
        .collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (w, None),
        };
        let mut value = || {
            inline.clone().or_else(|| {
                i += 1;
                words.get(i).cloned()
            })
        };
        match flag {
            "--build-arg" => {
                if let Some(v) = value() {
                    match v.split_once('=') {
                        Some((k, val)) => o.build_args.push((k.to_string(), Some(val.to_string()))),
                        None => o.build_args.push((v, None)),
                    }
                }
            }
            "--label" => {
                if let Some(v) = value() {
                    let (k, val) = v.split_once('=').unwrap_or((v.as_str(), ""));
                    o.labels.insert(k.to_string(), val.to_string());
                }
            }
            "--network" => o.network = value(),
            "--no-cache" => o.no_cache = true,
            _ => {}
        }
        i += 1;
    }
    o
}

/// The app's merged environment (global and app), as the build sees it.
pub fn app_env(ctx: &Ctx, app: &str) -> Result<BTreeMap<String, String>> {
    ConfigExport::merged_env(ctx, app)
}

/// An in-memory build context holding only a Dockerfile.
pub fn dockerfile_context(dockerfile: &str) -> Result<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(dockerfile.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, "Dockerfile", dockerfile.as_bytes())
        .map_err(|e| Error::other("build context", e))?;
    b.into_inner().map_err(|e| Error::other("build context", e))
}

/// Report a failed build step as the docker client does, then fail.
pub fn build_failed(ctx: &Ctx, e: EngineError) -> Error {
    match e {
        EngineError::BuildFailed { message, .. } => {
            ctx.out.write_err(&format!("{message}\n"));
            Error::fail("App build failed")
        }
        other => Error::other("docker build", other),
    }
}

/// `builder-build dockerfile`.
pub fn build(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    ctx.out.info1(&format!("Building {app} from Dockerfile"));
    let rel = crate::props::dockerfile_path(&ctx.paths, app);
    let dockerfile = dockerfile_in(dir, &rel)
        .ok_or_else(|| Error::fail("No Dockerfile found in source code directory"))?;
    let args = DockerArgsProcessBuild {
        app: app.into(),
        image_source_type: BUILDER_TYPE.into(),
    }
    .collect_all(ctx)?;
    let opts = parse_options(&args.options);
    let env = app_env(ctx, app)?;

    let mut spec = BuildSpec::new(BuildContext::Directory(dir.to_path_buf()));
    spec.dockerfile = Some(dockerfile);
    spec.tags = vec![format!("dokku/{app}:latest")];
    spec.labels = build_labels(app);
    spec.labels.extend(opts.labels);
    for (k, v) in opts.build_args {
        match v.or_else(|| env.get(&k).cloned()) {
            Some(v) => {
                spec.build_args.insert(k, v);
            }
            None => continue,
        }
    }
    let cache = ctx.bus.collect(
        ctx,
        &ConfigGet {
            app: app.into(),
            key: "DOKKU_DOCKERFILE_CACHE_BUILD".into(),
        },
    )?;
    spec.no_cache = opts.no_cache || cache.iter().any(|v| v.trim() == "false");
    spec.network = opts.network;

    let dir_s = dir.display().to_string();
    ctx.bus.notify(
        ctx,
        &PreBuild {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            source_work_dir: dir_s.clone(),
        },
    )?;
    let engine = ctx.engine()?;
    let out = ctx.out.clone();
    engine
        .build_image(&spec, &mut |line| out.line(line))
        .map_err(|e| build_failed(ctx, e))?;
    ctx.bus.notify(
        ctx,
        &PostBuild {
            builder_type: BUILDER_TYPE.into(),
            app: app.into(),
            source_work_dir: dir_s,
        },
    )
}

/// `builder-release dockerfile`: label the image as released.
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
    let mut spec = BuildSpec::new(BuildContext::Tar(dockerfile_context(&format!(
        "FROM {image}\n"
    ))?));
    spec.tags = vec![image.clone()];
    spec.labels = BTreeMap::from([("com.dokku.image-stage".to_string(), "release".to_string())]);
    if ctx.engine()?.build_image(&spec, &mut |_| {}).is_err() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(groups: &[&str], expected: BuildOptions) {
        let groups: Vec<String> = groups.iter().map(|s| s.to_string()).collect();
        assert_eq!(parse_options(&groups), expected, "{groups:?}");
    }

    #[test]
    fn build_options_from_docker_options() {
        check(&[], BuildOptions::default());
        check(
            &[
                "--build-arg NODE_ENV",
                "--build-arg X=1 --label=a=b",
                "-v /a:/b --no-cache",
                "--network=host",
                "--ulimit nofile=2",
            ],
            BuildOptions {
                build_args: vec![("NODE_ENV".into(), None), ("X".into(), Some("1".into()))],
                labels: BTreeMap::from([("a".into(), "b".into())]),
                no_cache: true,
                network: Some("host".into()),
            },
        );
    }

    #[test]
    fn dockerfile_must_be_a_plain_file_inside() {
        let d = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(d.path().join(".dokku")).expect("mkdir");
        fs::write(d.path().join("Dockerfile"), "FROM x").expect("write");
        fs::write(d.path().join(".dokku/Dockerfile"), "FROM x").expect("write");
        std::os::unix::fs::symlink("/etc/hostname", d.path().join("Linked")).expect("symlink");
        assert_eq!(
            dockerfile_in(d.path(), "Dockerfile").as_deref(),
            Some("Dockerfile")
        );
        assert_eq!(
            dockerfile_in(d.path(), "/.dokku/./Dockerfile").as_deref(),
            Some(".dokku/Dockerfile")
        );
        assert_eq!(dockerfile_in(d.path(), "../Dockerfile"), None);
        assert_eq!(dockerfile_in(d.path(), "Linked"), None);
        assert_eq!(dockerfile_in(d.path(), "missing"), None);
        assert_eq!(dockerfile_in(d.path(), ".dokku"), None);
    }
}
