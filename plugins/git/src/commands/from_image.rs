//! `git:from-image [--build-dir DIR] <app> <image> [<user> <email>]`.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::helpers::GitFromImage;
use dokku_trigger::Ctx;

use crate::directory::{DEFAULT_USER_EMAIL, DEFAULT_USER_NAME};
use crate::image::ImageRequest;

/// The request of `git:from-image` and `git:load-image`.
pub fn request(argv: &[String]) -> Result<ImageRequest> {
    let p = args::parse(argv, args::Spec::new(&["--force"], &["--build-dir"]))?;
    let app = p
        .arg(0)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    let text = |i: usize, default: &str| {
        p.arg(i)
            .filter(|s| !s.is_empty())
            .unwrap_or(default)
            .to_string()
    };
    Ok(ImageRequest {
        app: app.to_string(),
        image: text(1, ""),
        build_dir: p.value("--build-dir").map(str::to_string),
        user: text(2, DEFAULT_USER_NAME),
        email: text(3, DEFAULT_USER_EMAIL),
        force: p.has("--force"),
    })
}

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let req = request(argv)?;
    crate::image::from_image(ctx, &req)?;
    // The git plugin's own part of `git-from-image` is done; the other
    // plugins hear of it after, as they would after it under plugn.
    ctx.bus.notify(
        ctx,
        &GitFromImage {
            app: req.app,
            docker_image: req.image,
            build_dir: req.build_dir.unwrap_or_default(),
            user_name: req.user,
            user_email: req.email,
        },
    )
}
