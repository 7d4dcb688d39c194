//! Deploying a docker image: `git:from-image` and `git:load-image`. The
//! app's repository gets a commit whose Dockerfile is `FROM <image>`.

use std::io::Read;
use std::path::Path;

use dokku_core::{Error, Result};
use dokku_trigger::{credentials, Ctx};

use crate::directory::deploy_directory;
use crate::receive::{self, Source};
use crate::{names, props};

/// What `git:from-image` and `git:load-image` were asked for.
#[derive(Debug, Clone)]
pub struct ImageRequest {
    /// The app.
    pub app: String,
    /// The image reference.
    pub image: String,
    /// A directory whose files join the build context.
    pub build_dir: Option<String>,
    /// Committer name.
    pub user: String,
    /// Committer email.
    pub email: String,
    /// Pull even when the image exists locally (`--force`).
    pub force: bool,
}

/// Dokku's message when no image is given.
pub const MISSING_IMAGE: &str = "Please specify a docker image";

/// `git:from-image`: an image missing locally (or any image, with
/// `--force`) is pulled first, with the registry credentials stored for
/// the app or globally (`registry:login`).
pub fn from_image(ctx: &Ctx, req: &ImageRequest) -> Result<()> {
    dokku_core::apps::verify(&ctx.paths, &req.app)?;
    if req.image.is_empty() {
        return Err(Error::fail(MISSING_IMAGE));
    }
    if !names::is_image_reference(&req.image) {
        return Err(Error::fail(format!(
            "Invalid docker image specified: {}",
            req.image
        )));
    }
    let engine = ctx.engine()?;
    let present = engine
        .image_exists(&req.image)
        .map_err(|e| Error::other("docker", e))?;
    if req.force || !present {
        let auth = credentials::for_image(&ctx.paths, Some(&req.app), &req.image);
        let pulled = engine.pull_image(&req.image, auth.as_ref(), &mut |l| ctx.out.line(l));
        match pulled {
            Ok(()) => ctx.out.line(&req.image),
            Err(e) => {
                ctx.out
                    .write_err(&format!("Error response from daemon: {e}\n"));
                return Err(Error::fail(format!("Failed to pull image: {}", req.image)));
            }
        }
    }
    // The deploy reads app.json and the Procfile out of the image: its
    // reader container is made while the commit is.
    ctx.prepare_image_reader(&dokku_trigger::deploy::extraction_spec(
        &req.app, &req.image,
    ))?;
    let work = receive::temp_dir("git_from_image")?;
    ctx.out.info1("Generating build context");
    if let Some(dir) = req.build_dir.as_deref().filter(|d| !d.is_empty()) {
        let dir = Path::new(dir);
        if !dir.is_dir() {
            return Err(Error::fail(
                "Invalid BUILD_DIR specified for docker build context",
            ));
        }
        ctx.out.verbose("Syncing build directory context");
        dokku_core::fsutil::copy_dir_all(dir, work.path())?;
    }
    ctx.out.verbose("Setting Dockerfile");
    let dockerfile = work.path().join("Dockerfile");
    let mut content = std::fs::read_to_string(&dockerfile).unwrap_or_default();
    content.push_str(&format!(
        "FROM {image}\nLABEL com.dokku.docker-image-labeler/alternate-tags=[\\\"{image}\\\"]\n",
        image = req.image
    ));
    std::fs::write(&dockerfile, content).map_err(|e| Error::io("write", &dockerfile, e))?;
    props::write(&ctx.paths, &req.app, "source-image", &req.image)?;
    let source = Source {
        kind: "docker-image",
        metadata: req.image.clone(),
    };
    deploy_directory(ctx, &req.app, work.path(), &req.user, &req.email, source)
}

/// `git:load-image`: `docker load` the tarball on stdin, then deploy the
/// named image from it.
pub fn load_image(
    ctx: &Ctx,
    req: &ImageRequest,
    stdin: &mut dyn Read,
    stdin_is_tty: bool,
) -> Result<()> {
    dokku_core::apps::verify(&ctx.paths, &req.app)?;
    if req.image.is_empty() {
        return Err(Error::fail(MISSING_IMAGE));
    }
    if stdin_is_tty {
        return Err(Error::fail(
            "Expecting tar archive containing docker image on STDIN",
        ));
    }
    let engine = ctx.engine()?;
    let lines = engine
        .load_image(stdin)
        .map_err(|e| Error::other("docker load", e))?;
    for l in lines {
        ctx.out.line(&l);
    }
    if !engine.image_exists(&req.image).unwrap_or(false) {
        return Err(Error::fail(format!(
            "Loaded image tarball but the specified docker image was not found: {}",
            req.image
        )));
    }
    from_image(ctx, req)
}
