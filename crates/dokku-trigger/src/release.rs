//! One release path for every builder: the app's image name
//! (`dokku/<app>:<tag>`), the labels Dokku puts on images, relabelling an
//! image in one build step, the pre/post build notices, the builder
//! `release` step, and the inspection of the app's image, which the rest of
//! the deploy reads from here instead of asking the engine again.
//!
//! A builder plugin declares a [`BuilderDef`]: how it detects a source and
//! how it builds, plus the files its release adds (herokuish writes the
//! app's env into `/app/.profile.d`). Detection, build and release are
//! registered on the bus from that one value.
//!
//! Inspections made through [`inspect`] are remembered for the rest of the
//! command; the memo is emptied whenever an image is changed through the
//! context's engine or an external plugin runs (see [`memo`]), and the
//! release step remembers the image it labelled, so a deploy inspects the
//! app's image once.

pub mod memo;

use std::collections::BTreeMap;
use std::path::{Component, Path};

use dokku_core::report::ReportSpec;
use dokku_core::schema::{Prop, Schema};
use dokku_core::set::Wording;
use dokku_core::{Error, Result};
use dokku_docker::{BuildContext, BuildSpec, BuiltImage, EngineError, ImageInfo};

use crate::deploy::{
    BuilderBuild, BuilderDetect, BuilderRelease, PostBuild, PostReleaseBuilder, PreBuild,
    PreReleaseBuilder,
};
use crate::{Bus, Ctx};

/// The label naming the builder that made an image.
pub const BUILDER_LABEL: &str = "com.dokku.builder-type";
/// The label naming the stage an image is at (`build` or `release`).
pub const STAGE_LABEL: &str = "com.dokku.image-stage";
/// The label naming the app an image or container belongs to.
pub const APP_LABEL: &str = "com.dokku.app-name";

/// The app's image repository, `dokku/<app>`.
pub fn repo(app: &str) -> String {
    format!("dokku/{app}")
}

/// The image a deploy of `tag` uses: `dokku/<app>:<tag>` unless plugins
/// answer `deployed-app-image-tag` / `deployed-app-image-repo`, behind the
/// registry `deployed-app-repository` answers (asked in that order).
pub fn deployed_image(ctx: &Ctx, app: &str, tag: &str) -> Result<(String, String)> {
    let remote = crate::deploy::first_answer(ctx.bus.collect(
        ctx,
        &crate::helpers::DeployedAppRepository {
            app: app.to_string(),
        },
    )?)
    .unwrap_or_default();
    let over = crate::deploy::first_answer(ctx.bus.collect(
        ctx,
        &crate::deploy::DeployedAppImageTag {
            app: app.to_string(),
        },
    )?);
    let tag = over.unwrap_or_else(|| tag_or_latest(tag).to_string());
    let repo = crate::deploy::first_answer(ctx.bus.collect(
        ctx,
        &crate::deploy::DeployedAppImageRepo {
            app: app.to_string(),
        },
    )?)
    .unwrap_or_else(|| repo(app));
    Ok((format!("{remote}{repo}"), tag))
}

/// A tag as given, `latest` when empty.
pub fn tag_or_latest(tag: &str) -> &str {
    if tag.is_empty() {
        "latest"
    } else {
        tag
    }
}

/// The app's image at `tag` (`latest` when empty): `dokku/<app>:<tag>`.
pub fn image(app: &str, tag: &str) -> String {
    format!("{}:{}", repo(app), tag_or_latest(tag))
}

/// Dokku's vendor labels, carried by every image and container it makes.
pub fn vendor_labels() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("dokku".to_string(), String::new()),
        (
            "org.label-schema.schema-version".to_string(),
            "1.0".to_string(),
        ),
        ("org.label-schema.vendor".to_string(), "dokku".to_string()),
    ])
}

/// The labels of an image a builder makes for an app at a stage (`build`
/// or `release`).
pub fn image_labels(app: &str, builder_type: &str, stage: &str) -> BTreeMap<String, String> {
    let mut labels = vendor_labels();
    labels.insert(STAGE_LABEL.to_string(), stage.to_string());
    labels.insert(BUILDER_LABEL.to_string(), builder_type.to_string());
    labels.insert(APP_LABEL.to_string(), app.to_string());
    labels
}

/// One `LABEL` instruction setting every label (one build step).
pub use dokku_docker::label_instruction;

/// A build context assembled in memory: a Dockerfile and the files it
/// copies.
pub struct ContextTar {
    tar: tar::Builder<Vec<u8>>,
}

fn context_err(e: std::io::Error) -> Error {
    Error::other("build context", e)
}

impl ContextTar {
    /// A context whose Dockerfile is `dockerfile`.
    pub fn new(dockerfile: &str) -> Result<Self> {
        let mut tar = tar::Builder::new(Vec::new());
        tar.follow_symlinks(false);
        let mut c = ContextTar { tar };
        c.file("Dockerfile", dockerfile.as_bytes())?;
        Ok(c)
    }

    /// Add a regular file.
    pub fn file(&mut self, name: &str, data: &[u8]) -> Result<()> {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        self.tar
            .append_data(&mut h, name, data)
            .map_err(context_err)
    }

    /// Add the tree below `dir` as `name/` (links are kept as links).
    pub fn dir(&mut self, name: &str, dir: &Path) -> Result<()> {
        self.tar.append_dir_all(name, dir).map_err(context_err)
    }

    /// The context, ready for [`BuildContext::Tar`].
    pub fn finish(self) -> Result<Vec<u8>> {
        self.tar.into_inner().map_err(context_err)
    }
}

/// The Dockerfile that makes `image` again with `labels` (one step) and,
/// first, the files of `layer` copied in (one step).
pub fn labelled_dockerfile(
    image: &str,
    labels: &BTreeMap<String, String>,
    layer: Option<&ReleaseLayer>,
) -> String {
    let mut dockerfile = format!("FROM {image}\n");
    if let Some(layer) = layer {
        let names: Vec<&str> = layer.files.iter().map(|(n, _)| n.as_str()).collect();
        dockerfile.push_str(&format!("COPY {} {}\n", names.join(" "), layer.dest));
    }
    dockerfile.push_str(&label_instruction(labels));
    dockerfile.push('\n');
    dockerfile
}

/// Make `image` again with `labels` and the files of `layer`, keeping its
/// name; the build's output is discarded. The outer error is ours (no
/// engine), the inner one the engine's.
fn build_labelled(
    ctx: &Ctx,
    image: &str,
    labels: &BTreeMap<String, String>,
    layer: Option<&ReleaseLayer>,
) -> Result<std::result::Result<BuiltImage, EngineError>> {
    let mut context = ContextTar::new(&labelled_dockerfile(image, labels, layer))?;
    for (name, data) in layer.map(|l| l.files.as_slice()).unwrap_or_default() {
        context.file(name, data)?;
    }
    let mut spec = BuildSpec::new(BuildContext::Tar(context.finish()?));
    spec.tags = vec![image.to_string()];
    Ok(ctx.engine()?.build_image(&spec, &mut |_| {}))
}

/// Put `labels` on `image` (keeping its name): without a build where the
/// engine can (a new configuration over the same layers), else in one
/// build step.
pub fn relabel(ctx: &Ctx, image: &str, labels: &BTreeMap<String, String>) -> Result<BuiltImage> {
    match ctx.engine()?.relabel_image(image, labels, image) {
        Ok(Some(id)) => return Ok(BuiltImage { id }),
        Ok(None) => {}
        Err(e) => tracing::debug!("relabelling {image} without a build failed: {e}"),
    }
    build_labelled(ctx, image, labels, None)?.map_err(|e| Error::other("label image", e))
}

/// The labels the release step adds to an image.
pub fn release_labels() -> BTreeMap<String, String> {
    BTreeMap::from([(STAGE_LABEL.to_string(), "release".to_string())])
}

/// Make `base` again as `tag` with a build's `labels` (no build, as
/// [`relabel`]), and with it, in the same engine call, the image the
/// release step would make of it: the release then only moves the tag
/// (one image load per deploy instead of two). `Ok(None)` when the engine
/// cannot relabel this image without a build. The outer error is ours, the
/// inner one the engine's.
pub fn relabel_build(
    ctx: &Ctx,
    base: &str,
    labels: &BTreeMap<String, String>,
    tag: &str,
) -> Result<std::result::Result<Option<String>, EngineError>> {
    let steps = [
        dokku_docker::RelabelStep {
            labels: labels.clone(),
            tag: Some(tag.to_string()),
        },
        dokku_docker::RelabelStep {
            labels: release_labels(),
            tag: None,
        },
    ];
    let ids = match ctx.engine()?.relabel_image_steps(base, &steps) {
        Ok(Some(ids)) => ids,
        Ok(None) => return Ok(Ok(None)),
        Err(e) => return Ok(Err(e)),
    };
    let mut ids = ids.into_iter();
    let (Some(built), Some(released)) = (ids.next(), ids.next()) else {
        return Ok(Ok(None));
    };
    ctx.images().prepare(
        tag,
        memo::Prepared {
            from: built.clone(),
            id: released,
        },
    );
    Ok(Ok(Some(built)))
}

/// The release image prepared for `image` with its build
/// ([`relabel_build`]), tagged as `image`, when `image` is still the
/// build's image; `None` otherwise (a plugin changed it meanwhile), the
/// prepared image then removed.
fn release_prepared(ctx: &Ctx, image: &str) -> Result<Option<BuiltImage>> {
    let Some(prepared) = ctx.images().take_prepared(image) else {
        return Ok(None);
    };
    let engine = ctx.engine()?;
    if inspect(ctx, image)?.is_some_and(|i| i.id == prepared.from)
        && engine.tag_image(&prepared.id, image).is_ok()
    {
        return Ok(Some(BuiltImage { id: prepared.id }));
    }
    let _ = engine.remove_image(&prepared.id, false);
    Ok(None)
}

/// Inspect `image`, or answer what this command already learned of it;
/// `None` when there is no such image.
pub fn inspect(ctx: &Ctx, image: &str) -> Result<Option<ImageInfo>> {
    if let Some(info) = ctx.images().get(image) {
        return Ok(Some(info));
    }
    match ctx.engine()?.image_inspect(image) {
        Ok(info) => {
            ctx.images().remember(image, info.clone());
            Ok(Some(info))
        }
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(Error::other("inspect image", e)),
    }
}

/// Like [`inspect`], failing with Dokku's words when there is no such
/// image.
pub fn inspect_app_image(ctx: &Ctx, image: &str) -> Result<ImageInfo> {
    inspect(ctx, image)?.ok_or_else(|| Error::fail(format!("App image ({image}) not found")))
}

/// Like [`inspect_app_image`], as Dokku's `fn-verify-app-image`: an image
/// of a numbered release missing locally (pruned, or never here) is pulled
/// back from its registry, when the app has a deployed tag, with the app's stored credentials (see
/// [`crate::credentials`]) before it is inspected. `latest` is never
/// pulled.
pub fn verify_app_image(ctx: &Ctx, app: &str, image: &str) -> Result<ImageInfo> {
    if let Some(info) = inspect(ctx, image)? {
        return Ok(info);
    }
    let (_, tag) = dokku_docker::split_reference(image);
    let deployed_tag = crate::deploy::first_answer(ctx.bus.collect(
        ctx,
        &crate::deploy::DeployedAppImageTag {
            app: app.to_string(),
        },
    )?);
    if tag.is_empty() || tag == "latest" || deployed_tag.is_none() {
        return Err(Error::fail(format!("App image ({image}) not found")));
    }
    ctx.out.write_err(&format!(
        "-----> Image {image} not found locally, pulling from registry\n"
    ));
    let auth = crate::credentials::for_image(&ctx.paths, Some(app), image);
    let pulled = ctx
        .engine()?
        .pull_image(image, auth.as_ref(), &mut |l| ctx.out.line(l));
    if let Err(e) = pulled {
        ctx.out
            .write_err(&format!("Error response from daemon: {e}\n"));
    }
    inspect_app_image(ctx, image)
}

/// The file at `rel` inside a source directory `dir`, as a clean relative
/// path, when it is a regular file reached without leaving `dir` or
/// following a link (how builders find their Dockerfile or project.toml).
pub fn source_file(dir: &Path, rel: &str) -> Option<String> {
    let parts = relative_parts(rel)?;
    let mut p = dir.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        p.push(part);
        let meta = std::fs::symlink_metadata(&p).ok()?;
        let last = i + 1 == parts.len();
        if (last && !meta.is_file()) || (!last && !meta.is_dir()) {
            return None;
        }
    }
    Some(parts.join("/"))
}

/// The clean relative components of a user-given path (a leading `/` and
/// `.` dropped), `None` when there are none or when it would leave its
/// base.
pub fn relative_parts(rel: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    for c in Path::new(rel.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then_some(parts)
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

/// Tell plugins a build of `dir` is about to start (`pre-build`).
/// Then the builder's own form of it (`pre-build-buildpack`, ...).
pub fn pre_build(ctx: &Ctx, builder_type: &str, app: &str, dir: &Path) -> Result<()> {
    build_notice(ctx, builder_type, app, dir, Phase::PreBuild)
}

/// Tell plugins a build of `dir` finished (`post-build`), then the
/// builder's own form of it.
pub fn post_build(ctx: &Ctx, builder_type: &str, app: &str, dir: &Path) -> Result<()> {
    build_notice(ctx, builder_type, app, dir, Phase::PostBuild)
}

/// `pre-build` or `post-build` (`phase`) for a build of `dir`, then the
/// builder's own form of it.
fn build_notice(ctx: &Ctx, builder_type: &str, app: &str, dir: &Path, phase: Phase) -> Result<()> {
    let source_work_dir = dir.display().to_string();
    let (b, a, s) = (builder_type.into(), app.into(), source_work_dir.clone());
    if matches!(phase, Phase::PostBuild) {
        ctx.bus.notify(
            ctx,
            &PostBuild {
                builder_type: b,
                app: a,
                source_work_dir: s,
            },
        )?;
    } else {
        ctx.bus.notify(
            ctx,
            &PreBuild {
                builder_type: b,
                app: a,
                source_work_dir: s,
            },
        )?;
    }
    per_builder(ctx, builder_type, app, &source_work_dir, phase)
}

/// Which notice a builder's own trigger stands for.
#[derive(Clone, Copy)]
enum Phase {
    PreBuild,
    PostBuild,
    PreRelease,
}

/// Fire the per-builder form of a build or release notice. Dokku's
/// Dockerfile builder fires its (deprecated) forms only when a plugin
/// answers them, with a warning; the others always fire theirs. The last
/// argument is the source directory for the build notices and the image tag
/// for the release one.
fn per_builder(ctx: &Ctx, builder_type: &str, app: &str, last: &str, phase: Phase) -> Result<()> {
    use crate::helpers::*;
    let app = app.to_string();
    let last = last.to_string();
    let bus = &ctx.bus;
    // Each builder's notice: the app, then `last` as its one other field.
    macro_rules! fire {
        ($t:ident { $field:ident }) => {
            bus.notify(ctx, &$t { app, $field: last })
        };
    }
    match (builder_type, phase) {
        ("dockerfile", phase) => {
            let (name, instead) = match phase {
                Phase::PreBuild => ("pre-build-dockerfile", "pre-build"),
                Phase::PostBuild => ("post-build-dockerfile", "post-build"),
                Phase::PreRelease => ("pre-release-dockerfile", "pre-release-builder"),
            };
            if !bus.has_subscribers(ctx, name) {
                return Ok(());
            }
            ctx.out.warn(&format!(
                "Deprecated: please upgrade plugin to use '{instead}' plugin trigger instead of {name}"
            ));
            match phase {
                Phase::PreBuild => bus.notify(ctx, &PreBuildDockerfile { app }),
                Phase::PostBuild => bus.notify(ctx, &PostBuildDockerfile { app }),
                Phase::PreRelease => fire!(PreReleaseDockerfile { image_tag }),
            }
        }
        ("herokuish", Phase::PreBuild) => fire!(PreBuildBuildpack { source_work_dir }),
        ("herokuish", Phase::PostBuild) => fire!(PostBuildBuildpack { source_work_dir }),
        ("herokuish", Phase::PreRelease) => fire!(PreReleaseBuildpack { image_tag }),
        ("pack", Phase::PreBuild) => fire!(PreBuildPack { source_work_dir }),
        ("pack", Phase::PostBuild) => fire!(PostBuildPack { source_work_dir }),
        ("pack", Phase::PreRelease) => fire!(PreReleasePack { image_tag }),
        ("lambda", Phase::PreBuild) => fire!(PreBuildLambda { source_work_dir }),
        ("lambda", Phase::PostBuild) => fire!(PostBuildLambda { source_work_dir }),
        ("lambda", Phase::PreRelease) => fire!(PreReleaseLambda { image_tag }),
        _ => Ok(()),
    }
}

/// Files a builder's release copies into the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseLayer {
    /// The directory they land in, with a trailing `/`.
    pub dest: &'static str,
    /// Their names and contents.
    pub files: Vec<(String, Vec<u8>)>,
}

/// A builder, declared once: what differs between builders.
pub struct BuilderDef {
    /// The plugin's name, as it subscribes to triggers.
    pub plugin: &'static str,
    /// The builder type (`dockerfile`, `herokuish`, `pack`).
    pub builder_type: &'static str,
    /// Whether the builder fits the source in the directory.
    pub detect: fn(&Ctx, &str, &Path) -> Result<bool>,
    /// Build `dokku/<app>:latest` from the source in the directory.
    pub build: fn(&Ctx, &str, &Path) -> Result<()>,
    /// The files the release adds to the image, if any.
    pub release_layer: Option<fn(&Ctx, &str) -> Result<ReleaseLayer>>,
}

impl BuilderDef {
    /// Subscribe to `builder-detect`, `builder-build` and `builder-release`.
    pub fn register(&'static self, bus: &mut Bus) {
        bus.on::<BuilderDetect, _>(self.plugin, move |ctx, t: &BuilderDetect| {
            let found = (self.detect)(ctx, &t.app, Path::new(&t.source_work_dir))?;
            Ok(if found {
                self.builder_type.to_string()
            } else {
                String::new()
            })
        });
        bus.on::<BuilderBuild, _>(self.plugin, move |ctx, t: &BuilderBuild| {
            (self.build)(ctx, &t.app, Path::new(&t.source_work_dir))
        });
        bus.on::<BuilderRelease, _>(self.plugin, move |ctx, t: &BuilderRelease| {
            self.release(ctx, &t.app, &t.image_tag)
        });
        // Whether an image came out of this builder, read from its label.
        let kind = self.builder_type;
        let made_by = move |ctx: &Ctx, app: &str, tag: &str| -> Result<bool> {
            let img = if tag.contains(':') || tag.contains('/') {
                tag.to_string()
            } else {
                image(app, tag)
            };
            Ok(inspect(ctx, &img)?
                .is_some_and(|i| i.labels.get(BUILDER_LABEL).map(String::as_str) == Some(kind)))
        };
        match kind {
            "herokuish" => bus.on::<crate::helpers::BuilderImageIsHerokuish, _>(
                self.plugin,
                move |ctx, t: &crate::helpers::BuilderImageIsHerokuish| {
                    made_by(ctx, &t.app, &t.image_tag)
                },
            ),
            "pack" => bus.on::<crate::helpers::BuilderImageIsCnb, _>(
                self.plugin,
                move |ctx, t: &crate::helpers::BuilderImageIsCnb| {
                    made_by(ctx, &t.app, &t.image_tag)
                },
            ),
            _ => {}
        }
    }

    /// `builder-release`: mark the image released, adding the builder's
    /// release files. The label alone is best effort (a failure is a
    /// warning); files the release adds must land.
    pub fn release(&self, ctx: &Ctx, app: &str, tag: &str) -> Result<()> {
        let image = image(app, tag);
        ctx.bus.notify(
            ctx,
            &PreReleaseBuilder {
                builder_type: self.builder_type.into(),
                app: app.into(),
                image: image.clone(),
            },
        )?;
        per_builder(
            ctx,
            self.builder_type,
            app,
            tag_or_latest(tag),
            Phase::PreRelease,
        )?;
        let known = ctx.images().get(&image);
        let labels = release_labels();
        let built = match self.release_layer {
            None => match release_prepared(ctx, &image)? {
                Some(built) => Some(built),
                None => relabel(ctx, &image, &labels)
                    .inspect_err(|_| ctx.out.warn("Failure injecting docker labels on image"))
                    .ok(),
            },
            Some(layer) => {
                let layer = layer(ctx, app)?;
                let built = build_labelled(ctx, &image, &labels, Some(&layer))?
                    .map_err(|e| Error::fail(format!("Unable to release {image}: {e}")))?;
                Some(built)
            }
        };
        if let (Some(built), Some(mut info)) = (built, known) {
            // The released image is the one inspected before, with the
            // release label (copied files change no configuration).
            info.id = built.id;
            info.labels.extend(labels);
            info.repo_tags = vec![image.clone()];
            info.created = None;
            ctx.images().remember(&image, info);
        }
        ctx.bus.notify(
            ctx,
            &PostReleaseBuilder {
                builder_type: self.builder_type.into(),
                app: app.into(),
                image,
            },
        )
    }
}

/// The property table of a builder plugin: the store, command and report
/// all named after the plugin, with the shell plugins' wording.
pub const fn builder_schema(plugin: &'static str, props: &'static [Prop]) -> Schema {
    Schema {
        store: plugin,
        command: plugin,
        report: ReportSpec {
            title: plugin,
            prefix: plugin,
            legacy_json_keys: false,
        },
        wording: Wording::SHELL,
        props,
    }
}

/// Declare a builder plugin in its crate root, once: `BUILDER_TYPE`, the
/// [`BuilderDef`] `BUILDER`, and the `PLUGIN` descriptor with its
/// `:report` and `:set` commands and help lines, registering the builder's
/// triggers and the report of `report` (a [`crate::ReportDef`]).
#[macro_export]
macro_rules! builder_plugin {
    (
        plugin: $plugin:literal,
        builder_type: $kind:literal,
        detect: $detect:expr,
        build: $build:expr,
        release_layer: $layer:expr,
        report: $report:path
        $(, extra: $extra:expr)? $(,)?
    ) => {
        /// The builder type this plugin answers for.
        pub const BUILDER_TYPE: &str = $kind;

        /// What this builder does differently from the others.
        pub static BUILDER: $crate::release::BuilderDef = $crate::release::BuilderDef {
            plugin: $plugin,
            builder_type: $kind,
            detect: $detect,
            build: $build,
            release_layer: $layer,
        };

        /// The plugin descriptor.
        pub static PLUGIN: $crate::CorePlugin = $crate::CorePlugin {
            name: $plugin,
            description: concat!("dokku core ", $plugin, " plugin"),
            summary: concat!("Manage the ", $kind, " builder integration for an app"),
            namespace: None,
            commands: &[
                $crate::Command {
                    name: concat!($plugin, ":report"),
                    takes_app: true,
                    run: report_cmd,
                },
                $crate::Command {
                    name: concat!($plugin, ":set"),
                    takes_app: true,
                    run: set_cmd,
                },
            ],
            help_style: $crate::HelpStyle::Bash,
            help: &[
                concat!(
                    $plugin,
                    ":report [<app>] [<flag>], Displays a ",
                    $plugin,
                    " report for one or more apps"
                ),
                concat!(
                    $plugin,
                    ":set <app> <property> (<value>), Set or clear a ",
                    $plugin,
                    " property for an app"
                ),
            ],
            bare: $crate::Bare::Help,
            register,
        };

        fn report_cmd(ctx: &$crate::Ctx, argv: &[String]) -> ::dokku_core::Result<()> {
            $report.command(ctx, argv)
        }

        fn set_cmd(ctx: &$crate::Ctx, argv: &[String]) -> ::dokku_core::Result<()> {
            $report.set_command(ctx, argv).map(drop)
        }

        fn register(bus: &mut $crate::Bus) {
            BUILDER.register(bus);
            $report.register(bus, $plugin);
            $( ($extra)(bus); )?
        }
    };
}

/// Release the app's image at `tag` with the builder that made it (read
/// from its labels): the first half of `release-and-deploy`.
pub fn release_app(ctx: &Ctx, app: &str, tag: &str) -> Result<()> {
    let info = inspect_app_image(ctx, &image(app, tag))?;
    let builder_type = info.labels.get(BUILDER_LABEL).cloned().unwrap_or_default();
    ctx.out.info1(&format!("Releasing {app}..."));
    ctx.bus.select(
        ctx,
        &BuilderRelease {
            builder_type,
            app: app.to_string(),
            image_tag: tag_or_latest(tag).to_string(),
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use dokku_core::Paths;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use dokku_docker::fake::{FakeEngine, Op};
    use dokku_docker::ContainerEngine;
    use dokku_output::{Captured, Output};

    use super::*;
    use crate::Flags;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    struct Fixture {
        _dir: tempfile::TempDir,
        fake: Arc<FakeEngine>,
        ctx: Ctx,
        cap: Captured,
    }

    /// A context over a fake engine holding `dokku/app:latest`, built by
    /// `builder` and exposing port 3000, whose bus knows `builders`.
    fn fixture(builders: &[&'static BuilderDef]) -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&dir.path().join("home"), &dir.path().join("lib"));
        let fake = Arc::new(FakeEngine::new());
        fake.add_image(
            "dokku/app:latest",
            ImageInfo {
                labels: image_labels("app", "dockerfile", "build"),
                exposed_ports: vec!["3000/tcp".into()],
                ..ImageInfo::default()
            },
        );
        let mut bus = Bus::new();
        for b in builders {
            b.register(&mut bus);
        }
        let (out, cap) = Output::captured(false);
        let ctx = Ctx::with_engine(paths, out, Flags::default(), Arc::new(bus), fake.clone());
        Fixture {
            _dir: dir,
            fake,
            ctx,
            cap,
        }
    }

    fn no_detect(_: &Ctx, _: &str, _: &Path) -> Result<bool> {
        Ok(false)
    }

    fn no_build(_: &Ctx, _: &str, _: &Path) -> Result<()> {
        Ok(())
    }

    fn profile(_: &Ctx, _: &str) -> Result<ReleaseLayer> {
        Ok(ReleaseLayer {
            dest: "/app/.profile.d/",
            files: vec![("01-app-env.sh".into(), b"export A=1\n".to_vec())],
        })
    }

    static LABEL_ONLY: BuilderDef = BuilderDef {
        plugin: "builder-dockerfile",
        builder_type: "dockerfile",
        detect: no_detect,
        build: no_build,
        release_layer: None,
    };

    static WITH_FILES: BuilderDef = BuilderDef {
        plugin: "builder-herokuish",
        builder_type: "herokuish",
        detect: no_detect,
        build: no_build,
        release_layer: Some(profile),
    };

    static TRACKED_LAYERS: AtomicUsize = AtomicUsize::new(0);

    fn tracked_profile(ctx: &Ctx, app: &str) -> Result<ReleaseLayer> {
        TRACKED_LAYERS.fetch_add(1, Ordering::SeqCst);
        profile(ctx, app)
    }

    static TRACKED: BuilderDef = BuilderDef {
        plugin: "builder-herokuish",
        builder_type: "herokuish",
        detect: no_detect,
        build: no_build,
        release_layer: Some(tracked_profile),
    };

    #[test]
    fn app_image_names() {
        assert_eq!(repo("app"), "dokku/app");
        assert_eq!(image("app", ""), "dokku/app:latest");
        assert_eq!(image("app", "v2"), "dokku/app:v2");
        assert_eq!(tag_or_latest(""), "latest");
    }

    #[test]
    fn labels_of_a_build() {
        insta::assert_snapshot!(
            label_instruction(&image_labels("app", "pack", "build")),
            @r#"LABEL "com.dokku.app-name"="app" "com.dokku.builder-type"="pack" "com.dokku.image-stage"="build" "dokku"="" "org.label-schema.schema-version"="1.0" "org.label-schema.vendor"="dokku""#
        );
        assert_eq!(
            label_instruction(&labels(&[("a", r#"say "hi" \ bye"#)])),
            r#"LABEL "a"="say \"hi\" \\ bye""#
        );
    }

    #[test]
    fn release_dockerfiles_take_one_step_per_change() {
        let stage = labels(&[(STAGE_LABEL, "release")]);
        insta::assert_snapshot!(labelled_dockerfile("dokku/app:v1", &stage, None), @r#"
        FROM dokku/app:v1
        LABEL "com.dokku.image-stage"="release"
        "#);
        let layer = ReleaseLayer {
            dest: "/app/.profile.d/",
            files: vec![
                ("00-a.sh".into(), Vec::new()),
                ("01-b.sh".into(), Vec::new()),
            ],
        };
        insta::assert_snapshot!(labelled_dockerfile("dokku/app:latest", &stage, Some(&layer)), @r#"
        FROM dokku/app:latest
        COPY 00-a.sh 01-b.sh /app/.profile.d/
        LABEL "com.dokku.image-stage"="release"
        "#);
    }

    #[test]
    fn source_files_are_plain_files_inside() {
        let d = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(d.path().join(".dokku")).expect("mkdir");
        std::fs::write(d.path().join("Dockerfile"), "FROM x").expect("write");
        std::fs::write(d.path().join(".dokku/Dockerfile"), "FROM x").expect("write");
        std::os::unix::fs::symlink("/etc/hostname", d.path().join("Linked")).expect("symlink");
        let check = |rel: &str| source_file(d.path(), rel);
        assert_eq!(check("Dockerfile").as_deref(), Some("Dockerfile"));
        assert_eq!(
            check("/.dokku/./Dockerfile").as_deref(),
            Some(".dokku/Dockerfile")
        );
        for bad in ["../Dockerfile", "Linked", "missing", ".dokku", ".", ""] {
            assert_eq!(check(bad), None, "{bad}");
        }
    }

    #[test]
    fn inspections_are_remembered_until_an_image_changes() {
        let f = fixture(&[]);
        let first = inspect(&f.ctx, "dokku/app:latest").expect("inspect");
        let again = inspect(&f.ctx, "dokku/app:latest").expect("inspect");
        assert_eq!(first, again);
        assert_eq!(f.fake.calls(), ["inspect-image dokku/app:latest"]);
        assert_eq!(
            inspect(&f.ctx, "dokku/other:latest").expect("inspect"),
            None
        );
        // A change through the context's engine forgets what was learned.
        f.ctx
            .engine()
            .expect("engine")
            .tag_image("dokku/app:latest", "dokku/app:v1")
            .expect("tag");
        f.fake.clear_calls();
        inspect(&f.ctx, "dokku/app:latest").expect("inspect");
        assert_eq!(f.fake.calls(), ["inspect-image dokku/app:latest"]);
        let missing = inspect_app_image(&f.ctx, "dokku/other:latest").expect_err("missing");
        assert_eq!(
            missing.to_string(),
            "App image (dokku/other:latest) not found"
        );
    }

    #[test]
    fn an_external_plugin_makes_the_command_forget_its_images() {
        use std::os::unix::fs::PermissionsExt;
        let f = fixture(&[]);
        let dir = f.ctx.paths.plugin_enabled.join("retagger");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let hook = dir.join("pre-deploy");
        std::fs::write(&hook, "#!/bin/sh\nexit 0\n").expect("write");
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        inspect(&f.ctx, "dokku/app:latest").expect("inspect");
        let t = crate::deploy::PreDeploy {
            app: "app".into(),
            image_tag: "latest".into(),
        };
        f.ctx.bus.notify(&f.ctx, &t).expect("pre-deploy");
        inspect(&f.ctx, "dokku/app:latest").expect("inspect");
        assert_eq!(
            f.fake.calls(),
            [
                "inspect-image dokku/app:latest",
                "inspect-image dokku/app:latest"
            ]
        );
    }

    #[test]
    fn release_labels_in_one_build_and_hands_on_the_image() {
        let f = fixture(&[&LABEL_ONLY]);
        release_app(&f.ctx, "app", "").expect("release");
        assert_eq!(
            f.fake.calls(),
            ["inspect-image dokku/app:latest", "build dokku/app:latest"]
        );
        assert_eq!(f.cap.stdout(), "-----> Releasing app...\n");
        // The deploy reads the released image without asking the engine.
        f.fake.clear_calls();
        let info = inspect_app_image(&f.ctx, "dokku/app:latest").expect("released");
        assert!(f.fake.calls().is_empty());
        let now = f.fake.image_inspect("dokku/app:latest").expect("engine");
        assert_eq!(info.id, now.id);
        assert_eq!(
            info.labels.get(STAGE_LABEL).map(String::as_str),
            Some("release")
        );
        assert_eq!(
            info.labels.get(BUILDER_LABEL).map(String::as_str),
            Some("dockerfile")
        );
        assert_eq!(info.exposed_ports, ["3000/tcp"]);
        assert_eq!(info.repo_tags, ["dokku/app:latest"]);
    }

    #[test]
    fn a_failed_label_is_a_warning() {
        let f = fixture(&[&LABEL_ONLY]);
        f.fake.fail(Op::Build, "dokku/app");
        LABEL_ONLY
            .release(&f.ctx, "app", "")
            .expect("released anyway");
        assert_eq!(
            f.cap.stderr(),
            " !     Failure injecting docker labels on image\n"
        );
    }

    #[test]
    fn a_failed_release_layer_fails_the_release() {
        let f = fixture(&[&WITH_FILES]);
        f.fake.fail(Op::Build, "dokku/app");
        let e = WITH_FILES.release(&f.ctx, "app", "").expect_err("fails");
        assert!(
            e.to_string()
                .starts_with("Unable to release dokku/app:latest: "),
            "{e}"
        );
    }

    #[test]
    fn builders_answer_only_their_own_release() {
        let f = fixture(&[&LABEL_ONLY, &TRACKED]);
        f.fake.add_image(
            "dokku/app:v2",
            ImageInfo {
                labels: image_labels("app", "herokuish", "build"),
                ..ImageInfo::default()
            },
        );
        release_app(&f.ctx, "app", "v2").expect("release");
        assert_eq!(
            f.fake.calls(),
            ["inspect-image dokku/app:v2", "build dokku/app:v2"]
        );
        assert_eq!(TRACKED_LAYERS.load(Ordering::SeqCst), 1);
        let missing = release_app(&f.ctx, "gone", "").expect_err("no image");
        assert_eq!(
            missing.to_string(),
            "App image (dokku/gone:latest) not found"
        );
    }
}
