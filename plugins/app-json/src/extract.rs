//! Keeping the app.json of a build: copied out of the source work directory
//! (or, for image deploys, out of the image's working directory) into
//! `$DOKKU_LIB_ROOT/data/app-json/<app>/app.json`.

use std::fs;
use std::path::Path;

use dokku_core::{fsutil, Error, Paths, Result};
use dokku_docker::ContainerSpec;
use dokku_trigger::appjson::{self, AppJson};
use dokku_trigger::deploy::{first_answer, GitGetProperty, PsCanScale};
use dokku_trigger::helpers::AppJsonIsValid;
use dokku_trigger::release::{self, relative_parts};
use dokku_trigger::Ctx;

use crate::props;

/// Read `rel` below `dir` when it is a regular file reached without
/// following any link (a pushed repo may hold `app.json -> /etc/shadow`).
pub fn read_inside(dir: &Path, rel: &str) -> Option<String> {
    fs::read_to_string(dir.join(release::source_file(dir, rel)?)).ok()
}

/// The container that prints `path` of `image`, with the labels of
/// [`dokku_trigger::deploy::extraction_spec`].
pub fn extraction_spec(app: &str, image: &str, path: &str) -> ContainerSpec {
    let mut spec = dokku_trigger::deploy::extraction_spec(app, image);
    spec.entrypoint = Some(Vec::new());
    spec.cmd = Some(vec!["cat".to_string(), path.to_string()]);
    spec
}

/// Read `rel` from the working directory of `image`.
fn read_from_image(ctx: &Ctx, app: &str, image: &str, rel: &str) -> Option<String> {
    let parts = relative_parts(rel)?;
    let info = dokku_trigger::release::inspect(ctx, image).ok()??;
    let workdir = info.working_dir.unwrap_or_else(|| "/".to_string());
    let path = format!("{}/{}", workdir.trim_end_matches('/'), parts.join("/"));
    let spec = dokku_trigger::deploy::extraction_spec(app, image);
    let data = ctx.read_image_file(&spec, &path).ok()??;
    Some(String::from_utf8_lossy(&data).into_owned())
}

/// The `core-post-extract` handler.
pub fn core_post_extract(ctx: &Ctx, app: &str, work_dir: &str) -> Result<()> {
    let kept = props::kept_file(&ctx.paths, app);
    fsutil::remove_file(&kept)?;
    let rel = props::appjson_path(&ctx.paths, app);
    let source_image = first_answer(ctx.bus.collect(
        ctx,
        &GitGetProperty {
            app: app.into(),
            key: "source-image".into(),
        },
    )?)
    .unwrap_or_default();
    let dir = Path::new(work_dir);
    let text = if source_image.is_empty() {
        read_inside(dir, &rel)
    } else {
        read_from_image(ctx, app, &source_image, &rel)
    };
    let Some(text) = text else {
        ctx.bus.notify(
            ctx,
            &PsCanScale {
                app: app.into(),
                can_scale: true,
            },
        )?;
        return Ok(());
    };
    // Staged next to the kept copy, checked by every app-json-is-valid
    // subscriber (this plugin parses it), then moved in place.
    let staged = kept.with_file_name(format!("app.json.{}", std::process::id()));
    fsutil::write_atomic(&staged, text.as_bytes(), 0o644)?;
    let checked = ctx
        .bus
        .notify(
            ctx,
            &AppJsonIsValid {
                app: app.into(),
                app_json_path: staged.display().to_string(),
            },
        )
        .and_then(|()| AppJson::parse(&text).map_err(Error::fail));
    let parsed = match checked {
        Ok(p) => p,
        Err(e) => {
            fsutil::remove_file(&staged)?;
            return Err(e);
        }
    };
    if source_image.is_empty()
        && relative_parts(&rel).map(|p| p.join("/")) != Some("app.json".to_string())
    {
        let default = dir.join("app.json");
        if fs::symlink_metadata(&default)
            .map(|m| m.is_file())
            .unwrap_or(true)
        {
            fs::write(&default, &text).map_err(|e| Error::io("write", &default, e))?;
        }
    }
    std::fs::rename(&staged, &kept).map_err(|e| Error::io("rename", &staged, e))?;
    // An app.json with formations owns the scale.
    ctx.bus.notify(
        ctx,
        &PsCanScale {
            app: app.into(),
            can_scale: parsed.formation.is_empty(),
        },
    )
}

/// The `app-json-is-valid` handler: the file must parse as an app.json.
pub fn is_valid(path: &str) -> Result<()> {
    let text = fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
    AppJson::parse(&text).map(drop).map_err(Error::fail)
}

/// The kept app.json as plain JSON (comments and trailing commas removed),
/// empty when the app has none.
pub fn content(paths: &Paths, app: &str) -> Result<String> {
    let text = fsutil::read_optional(&props::kept_file(paths, app))?.unwrap_or_default();
    Ok(appjson::standardize(&text).unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extraction_container_carries_the_app_label() {
        let spec = extraction_spec("node-js-app", "dokku/node-js-app:latest", "/app/app.json");
        assert_eq!(
            spec.labels.get("com.dokku.app-name").map(String::as_str),
            Some("node-js-app")
        );
        assert!(spec.labels.contains_key("dokku"));
        assert!(!spec.labels.contains_key("com.dokku.container-type"));
        assert_eq!(
            spec.cmd,
            Some(vec!["cat".to_string(), "/app/app.json".to_string()])
        );
    }

    #[test]
    fn reads_only_plain_files_inside() {
        let d = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(d.path().join(".dokku")).expect("mkdir");
        fs::write(d.path().join("app.json"), "{}").expect("write");
        fs::write(d.path().join(".dokku/app.json"), "{\"a\":1}").expect("write");
        std::os::unix::fs::symlink("/etc/hostname", d.path().join("evil.json")).expect("symlink");
        assert_eq!(read_inside(d.path(), "app.json").as_deref(), Some("{}"));
        assert_eq!(
            read_inside(d.path(), "/.dokku/app.json").as_deref(),
            Some("{\"a\":1}")
        );
        assert_eq!(read_inside(d.path(), "evil.json"), None);
        assert_eq!(read_inside(d.path(), "../app.json"), None);
        assert_eq!(read_inside(d.path(), "missing.json"), None);
    }
}
