//! `common/common [--quiet] [--global] CMD ARGS`: the checks bash plugins
//! reach through `common/functions` (`verify_app_name`, `is_deployed`,
//! image inspection, ...), answered by the framework and the trigger bus.

use dokku_core::{apps, Error, Result};
use dokku_trigger::deploy::{scheduler_of, SchedulerIsDeployed};
use dokku_trigger::external;
use dokku_trigger::Ctx;

/// The exit status Dokku's `verify_app_name` fails with.
const MISSING_APP_EXIT: i32 = 20;

fn arg(args: &[String], i: usize) -> &str {
    args.get(i).map(String::as_str).unwrap_or("")
}

fn status(ok: bool) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::exit(1))
    }
}

fn bool_line(ctx: &Ctx, b: bool) -> Result<()> {
    ctx.out.line(if b { "true" } else { "false" });
    Ok(())
}

/// The old naming rule, which also allowed underscores.
fn valid_old(app: &str) -> bool {
    let mut c = app.chars();
    c.next()
        .map(|f| f.is_ascii_lowercase() || f.is_ascii_digit())
        .unwrap_or(false)
        && c.all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || matches!(x, '.' | '-' | '_'))
}

fn image_labels(ctx: &Ctx, image: &str) -> Option<std::collections::BTreeMap<String, String>> {
    if image.is_empty() {
        return None;
    }
    let engine = ctx.try_engine().ok()?;
    engine.image_inspect(image).ok().map(|i| i.labels)
}

fn is_cnb(ctx: &Ctx, image: &str) -> bool {
    image_labels(ctx, image)
        .map(|l| {
            l.contains_key("io.buildpacks.stack.id")
                || l.contains_key("io.buildpacks.build.metadata")
        })
        .unwrap_or(false)
}

fn is_herokuish(ctx: &Ctx, image: &str) -> bool {
    let Some(labels) = image_labels(ctx, image) else {
        return false;
    };
    if let Some(t) = labels.get("com.dokku.builder-type") {
        return t == "herokuish";
    }
    labels
        .keys()
        .any(|k| k.starts_with("com.gliderlabs.herokuish"))
}

/// Whether some enabled plugin (core handler or community script) answers
/// the trigger `name`.
fn trigger_exists(ctx: &Ctx, name: &str) -> bool {
    if name.is_empty() || !dokku_core::fsutil::is_single_segment(name) {
        return false;
    }
    ctx.bus.trigger_names().contains(&name)
        || external::enabled_community(&ctx.paths)
            .iter()
            .filter(|p| p.name != "20_events")
            .any(|p| external::is_executable(&p.path.join(name)))
}

/// `copy-from-image APP IMAGE SRC DST` / `copy-dir-from-image ...`: a
/// relative `SRC` starts at `/workspace` in a CNB image, `/app` in a
/// herokuish one, else at the image's working directory.
fn copy_from_image(
    ctx: &Ctx,
    dir: bool,
    app: &str,
    image: &str,
    src: &str,
    dst: &str,
) -> Result<()> {
    if image.is_empty() || src.is_empty() || dst.is_empty() {
        return Err(Error::fail(format!(
            "usage: common copy-{}from-image APP IMAGE SRC DST",
            if dir { "dir-" } else { "" }
        )));
    }
    let workdir = if src.starts_with('/') {
        None
    } else if is_cnb(ctx, image) {
        Some("/workspace")
    } else if is_herokuish(ctx, image) {
        Some("/app")
    } else {
        None
    };
    let req = dokku_docker::copy::CopyRequest {
        app,
        image,
        source: src,
        workdir,
        destination: std::path::Path::new(dst),
    };
    let engine = ctx.engine()?;
    let done = if dir {
        dokku_docker::copy::copy_dir_from_image(engine, &req)
    } else {
        dokku_docker::copy::copy_file_from_image(engine, &req)
    };
    done.map_err(|e| Error::fail(e.to_string()))
}

/// Run one `common` command.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let args: Vec<String> = args
        .iter()
        .filter(|a| !matches!(a.as_str(), "--quiet" | "--global"))
        .cloned()
        .collect();
    let cmd = arg(&args, 0);
    let a1 = arg(&args, 1);
    match cmd {
        // A name breaking both the current and the old naming rule is
        // refused first; a valid name of a missing app fails with 20.
        "verify-app-name" => {
            if a1.is_empty() {
                return Err(Error::fail(apps::MISSING_APP));
            }
            if apps::validate_name(a1).is_err() && !valid_old(a1) {
                return Err(Error::fail(apps::INVALID_NAME));
            }
            if !ctx.paths.app_dir(a1).is_dir() {
                return Err(Error::Exit {
                    code: MISSING_APP_EXIT,
                    message: format!("App {a1} does not exist"),
                });
            }
            Ok(())
        }
        "is-valid-app-name" => status(apps::validate_name(a1).is_ok()),
        "is-valid-app-name-old" => status(valid_old(a1)),
        "is-deployed" => status(
            apps::exists(&ctx.paths, a1) && SchedulerIsDeployed::ask(ctx, a1).unwrap_or(false),
        ),
        "scheduler-detect" => {
            ctx.out.line(&scheduler_of(ctx, a1)?);
            Ok(())
        }
        "image-is-cnb-based" => bool_line(ctx, is_cnb(ctx, a1)),
        "image-is-herokuish-based" => bool_line(ctx, is_herokuish(ctx, a1)),
        "docker-cleanup" => {
            if !a1.is_empty() {
                apps::validate_name(a1)?;
            }
            dokku_trigger::cleanup::docker_cleanup(ctx, a1, arg(&args, 2) == "force")
        }
        "plugn-trigger-exists" => status(trigger_exists(ctx, a1)),
        "compose-up" | "compose-down" => {
            let file = arg(&args, 2);
            if a1.is_empty() || file.is_empty() {
                return Err(Error::fail(format!("usage: common {cmd} PROJECT FILE")));
            }
            let engine = ctx.engine()?;
            let path = std::path::Path::new(file);
            if cmd == "compose-up" {
                dokku_docker::compose::up(engine, a1, path)
            } else {
                dokku_docker::compose::down(engine, a1, path)
            }
            .map_err(|e| Error::fail(e.to_string()))
        }
        "copy-from-image" | "copy-dir-from-image" => copy_from_image(
            ctx,
            cmd == "copy-dir-from-image",
            a1,
            arg(&args, 2),
            arg(&args, 3),
            arg(&args, 4),
        ),
        other => Err(Error::fail(format!("Invalid common command call: {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_rule_allows_underscores() {
        assert!(valid_old("a_b"));
        assert!(!valid_old("_a"));
        assert!(!valid_old("A"));
        assert!(!valid_old(""));
    }
}
