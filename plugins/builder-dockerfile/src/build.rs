//! Building an app image from its Dockerfile.

use std::collections::BTreeMap;
use std::path::Path;

use dokku_core::{Error, Result};
use dokku_docker::options::parse_bytes;
use dokku_docker::{BuildContext, BuildSpec};
use dokku_trigger::release;
use dokku_trigger::triggers::{ConfigExport, ConfigGet, DockerArgsProcessBuild};
use dokku_trigger::Ctx;

use crate::BUILDER_TYPE;

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
    /// `--memory SIZE`, in bytes.
    pub memory: Option<i64>,
    /// `--memory-swap SIZE`, in bytes (`-1` unlimited).
    pub memory_swap: Option<i64>,
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
            "-m" | "--memory" => {
                o.memory = value().and_then(|v| parse_bytes(&v).ok());
            }
            "--memory-swap" => {
                o.memory_swap = value().and_then(|v| parse_bytes(&v).ok());
            }
            _ => {}
        }
        i += 1;
    }
    o
}

/// `builder-build dockerfile`.
pub fn build(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    ctx.out.info1(&format!("Building {app} from Dockerfile"));
    let rel = crate::props::dockerfile_path(&ctx.paths, app);
    let dockerfile = release::source_file(dir, &rel)
        .ok_or_else(|| Error::fail("No Dockerfile found in source code directory"))?;
    let args = DockerArgsProcessBuild {
        app: app.into(),
        image_source_type: BUILDER_TYPE.into(),
    }
    .collect_all(ctx)?;
    let opts = parse_options(&args.options);
    let env = ConfigExport::merged_env(ctx, app)?;

    let mut spec = BuildSpec::new(BuildContext::Directory(dir.to_path_buf()));
    spec.dockerfile = Some(dockerfile);
    spec.tags = vec![release::image(app, "")];
    spec.labels = release::image_labels(app, BUILDER_TYPE, "build");
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
    spec.memory = opts.memory;
    spec.memory_swap = opts.memory_swap;

    release::pre_build(ctx, BUILDER_TYPE, app, dir)?;
    if !labelled_without_build(ctx, dir, &spec)? {
        let out = ctx.out.clone();
        ctx.engine()?
            .build_image(&spec, &mut |line| out.line(line))
            .map_err(|e| release::build_failed(ctx, e))?;
    }
    release::post_build(ctx, BUILDER_TYPE, app, dir)
}

/// Make the image of a Dockerfile that only labels its base (what
/// `git:from-image` writes) without a build, when the base is here and the
/// engine can: the same labels (the base's, the file's, then the build's
/// own) and tags a build would give. `false` when the build must run.
fn labelled_without_build(ctx: &Ctx, dir: &Path, spec: &BuildSpec) -> Result<bool> {
    let Some(file) = spec.dockerfile.as_ref() else {
        return Ok(false);
    };
    let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
        return Ok(false);
    };
    let Some((base, mut labels)) = crate::relabel_only::only_labels(&text) else {
        return Ok(false);
    };
    labels.extend(spec.labels.clone());
    let Some(tag) = spec.tags.first() else {
        return Ok(false);
    };
    match release::relabel_build(ctx, &base, &labels, tag)? {
        Ok(Some(id)) => {
            let engine = ctx.engine()?;
            for extra in spec.tags.iter().skip(1) {
                engine
                    .tag_image(&id, extra)
                    .map_err(|e| release::build_failed(ctx, e))?;
            }
            Ok(true)
        }
        Ok(None) => Ok(false),
        Err(e) => {
            tracing::debug!("labelling {base} without a build failed: {e}");
            Ok(false)
        }
    }
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
                ..BuildOptions::default()
            },
        );
        check(
            &["--memory=1g", "--memory-swap 2g"],
            BuildOptions {
                memory: Some(1 << 30),
                memory_swap: Some(2 << 30),
                ..BuildOptions::default()
            },
        );
    }
}
