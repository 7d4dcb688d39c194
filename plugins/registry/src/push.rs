//! Pushing a released image: when `push-on-release` is on, the image a
//! builder released as `dokku/<app>:latest` is tagged
//! `<server><image-repo>:<n>` (n counts pushed releases) and pushed with the
//! stored credentials for the server, then under each extra tag. The
//! deploy that follows runs `<server><image-repo>:<n>`, which the
//! `deployed-app-*` answers name.

use dokku_core::{Error, Result};
use dokku_docker::{split_reference, ImageFilter};
use dokku_trigger::{credentials, Ctx};

use crate::store;

/// The local repository builders release into.
fn local_repo(app: &str) -> String {
    format!("dokku/{app}")
}

/// Handle `post-release-builder` for `image`.
pub fn on_release(ctx: &Ctx, app: &str, image: &str) -> Result<()> {
    let (repo, tag) = split_reference(image);
    if tag != "latest" {
        return Ok(());
    }
    let paths = &ctx.paths;
    let computed_repo = store::image_repo(paths, app)?;
    let engine = ctx.engine()?;
    if computed_repo != local_repo(app) && repo == local_repo(app) {
        let target = format!("{computed_repo}:latest");
        engine
            .tag_image(image, &target)
            .map_err(|_| Error::fail("Unable to tag image as computed image repo"))?;
    }
    if !store::push_enabled(paths, app) {
        return Ok(());
    }
    ctx.out.verbose_quiet("Retrieving image info for app");
    let id = engine
        .image_inspect(image)
        .map_err(|e| Error::other("docker", e))?
        .id;
    let version = store::tag_version(paths, app).parse::<u64>().unwrap_or(0) + 1;
    let server = store::server(paths, app);
    let auth = credentials::for_server(paths, Some(app), server.trim_end_matches('/'));
    let mut tags = vec![version.to_string()];
    tags.extend(store::extra_tags(paths, app));
    for (i, tag) in tags.iter().enumerate() {
        let target = format!("{server}{computed_repo}:{tag}");
        ctx.out
            .verbose_quiet(&format!("Tagging {computed_repo}:{tag} in registry format"));
        engine
            .tag_image(&id, &target)
            .map_err(|_| Error::fail("Unable to tag image"))?;
        ctx.out
            .verbose_quiet(&format!("Pushing {computed_repo}:{tag}"));
        let pushed = engine.push_image(&target, auth.as_ref(), &mut |l| ctx.out.line(l));
        if let Err(e) = pushed {
            ctx.out.write_err(&format!("{e}\n"));
            return Err(Error::fail("Unable to push image"));
        }
        if i == 0 {
            // The release is in the registry: deploys run it from now on.
            store::set_tag_version(paths, app, version)?;
        }
    }
    ctx.out.verbose_quiet("Image pushed");
    Ok(())
}

/// Handle `post-delete`: remove the local tags this plugin made for the
/// app (`<server><image-repo>:*`, and `<image-repo>:latest` when it is not
/// `dokku/<app>`). Failures are ignored: an image may be gone already.
pub fn on_delete(ctx: &Ctx, app: &str) -> Result<()> {
    let paths = &ctx.paths;
    let repo = store::image_repo(paths, app)?;
    let server = store::server(paths, app);
    let mut names = vec![format!("{server}{repo}")];
    if repo != local_repo(app) && !server.is_empty() {
        names.push(repo);
    }
    let Ok(engine) = ctx.try_engine() else {
        return Ok(());
    };
    for name in names {
        let filter = ImageFilter {
            reference: Some(name.clone()),
            ..ImageFilter::default()
        };
        for image in engine.list_images(&filter).unwrap_or_default() {
            for tag in image.repo_tags {
                if split_reference(&tag).0 == name {
                    let _ = engine.remove_image(&tag, false);
                }
            }
        }
    }
    Ok(())
}

/// Handle `post-app-rename-setup` / `post-app-clone-setup` (the new app
/// already has the old one's properties): the last pushed release is
/// tagged locally under the new app's name, so the new app's deploys find
/// it.
pub fn on_copy(ctx: &Ctx, old: &str, new: &str) -> Result<()> {
    let paths = &ctx.paths;
    let version = store::tag_version(paths, new);
    if version.is_empty() {
        return Ok(());
    }
    let from = format!(
        "{}{}:{version}",
        store::server(paths, new),
        store::image_repo(paths, old)?
    );
    let to = format!(
        "{}{}:{version}",
        store::server(paths, new),
        store::image_repo(paths, new)?
    );
    if from == to {
        return Ok(());
    }
    let engine = ctx.engine()?;
    if engine.image_exists(&from).unwrap_or(false) {
        engine
            .tag_image(&from, &to)
            .map_err(|e| Error::other("docker", e))?;
    }
    Ok(())
}
