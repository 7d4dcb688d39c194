//! The herokuish builder: runs the source through a herokuish stack image
//! (`/build`, with the app's env and a build cache) and commits the result
//! as `dokku/<app>:latest`; the release step writes the app's env into
//! `/app/.profile.d`. Detected by a `.buildpacks` file or `BUILDPACK_URL`.

pub mod build;
pub mod props;

dokku_trigger::builder_plugin! {
    plugin: "builder-herokuish",
    builder_type: "herokuish",
    detect: build::detect,
    build: build::build,
    release_layer: Some(build::release_layer),
    report: props::REPORT,
    extra: register_allowed,
}

/// `builder-herokuish-allowed <app>`: the computed `allowed` property.
fn register_allowed(bus: &mut dokku_trigger::Bus) {
    bus.on::<dokku_trigger::helpers::BuilderHerokuishAllowed, _>(
        "builder-herokuish",
        |ctx, t: &dokku_trigger::helpers::BuilderHerokuishAllowed| {
            Ok(props::allowed(&ctx.paths, &t.app))
        },
    );
}
