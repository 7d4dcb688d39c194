//! `buildpacks:detect <app> [--branch <branch-name>]`: which buildpack the
//! app's source on a branch (the deploy branch by default) would be built
//! with. The source is checked out of the app's repository into a scratch
//! directory, the app's buildpacks list is written into it as for a build,
//! and the builder the app would use runs its own detection against it:
//! herokuish's `buildpack detect` in the stack image, or `pack detect`
//! with the CNB builder. Nothing is built and nothing is kept.

use std::path::Path;
use std::process::{Command, Stdio};

use dokku_core::{apps, args, Error, Result};
use dokku_docker::{ContainerSpec, LogStream, Mount};
use dokku_trigger::deploy::{config_value, first_answer, BuilderDetect, GitDeployBranch};
use dokku_trigger::helpers::BuilderDokkuImage;
use dokku_trigger::triggers::ConfigExport;
use dokku_trigger::Ctx;
use dokku_trigger::{pack, release};

/// The herokuish stack image when nothing else is configured.
const DEFAULT_STACK: &str = "gliderlabs/herokuish:latest-24";
/// The CNB builder image when nothing else is configured.
const DEFAULT_CNB_BUILDER: &str = "heroku/builder:24";
/// Where herokuish reads the app's source.
const APP_PATH: &str = "/app";

fn config_get(ctx: &Ctx, app: &str, key: &str) -> Result<String> {
    Ok(config_value(ctx, app, key)?.unwrap_or_default())
}

/// The stack (or CNB builder) image: the app's buildpacks stack, else the
/// app's `env_key` variable, else the environment's, else the default.
fn image(ctx: &Ctx, app: &str, env_key: &str, default: &str) -> Result<String> {
    let stack = crate::SCHEMA.computed(&ctx.paths, app, "stack");
    if !stack.is_empty() {
        return Ok(stack);
    }
    let configured = config_get(ctx, app, env_key)?;
    if !configured.is_empty() {
        return Ok(configured);
    }
    Ok(std::env::var(env_key)
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| default.to_string()))
}

/// A branch name git accepts (`git check-ref-format --branch`).
fn valid_branch(branch: &str) -> bool {
    !branch.is_empty()
        && !branch.starts_with('-')
        && Command::new("git")
            .args(["check-ref-format", "--branch", branch])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// Check the branch out of the app's repository into `dir`.
fn checkout(ctx: &Ctx, app: &str, branch: &str, dir: &Path) -> Result<()> {
    let repo = ctx.paths.app_dir(app);
    let has = Command::new("git")
        .arg("--git-dir")
        .arg(&repo)
        .args(["rev-parse", "--quiet", "--verify"])
        .arg(format!("refs/heads/{branch}^{{commit}}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        return Err(Error::fail(format!(
            "No code found for app {app} on branch {branch}"
        )));
    }
    let out = Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks"])
        .arg(format!("--branch={branch}"))
        .arg("--")
        .arg(&repo)
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::other("run git clone", e))?;
    Error::from_output("check out the app's source", &out)?;
    let _ = std::fs::remove_dir_all(dir.join(".git"));
    Ok(())
}

/// `buildpacks:detect <app> [--branch <branch-name>]`.
pub fn command(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--branch"]))?;
    let app = apps::require(&ctx.paths, p.arg(0))?;
    let branch = match p.value("--branch").filter(|b| !b.is_empty()) {
        Some(b) => b.to_string(),
        None => first_answer(
            ctx.bus
                .collect(ctx, &GitDeployBranch { app: app.clone() })?,
        )
        .unwrap_or_else(|| "master".to_string()),
    };
    if !valid_branch(&branch) {
        return Err(Error::fail(format!("Invalid branch name: {branch}")));
    }
    let work = tempfile::Builder::new()
        .prefix(&format!("dokku-{}-buildpacks-detect.", std::process::id()))
        .tempdir()
        .map_err(|e| Error::other("create a temporary directory", e))?;
    let dir = work.path().join("source");
    checkout(ctx, &app, &branch, &dir)?;
    crate::write_dot_buildpacks(ctx, &app, &dir.display().to_string())?;
    let builder = BuilderDetect::builder_type(ctx, &app, &dir.display().to_string())?;
    ctx.out.info1(&format!(
        "Detecting buildpacks for {app} on branch {branch} with {builder}"
    ));
    match builder.as_str() {
        "herokuish" => herokuish(ctx, &app, &dir),
        "pack" => pack(ctx, &app, &dir, work.path()),
        other => Err(Error::fail(format!(
            "Buildpack detection is not supported by the {other} builder"
        ))),
    }
}

/// `herokuish buildpack detect` in a one-off container of the stack image,
/// the source mounted where herokuish reads it, with the app's env.
fn herokuish(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    let stack = image(ctx, app, "DOKKU_IMAGE", DEFAULT_STACK)?;
    let stack = first_answer(ctx.bus.collect(
        ctx,
        &BuilderDokkuImage {
            builder_type: "herokuish".into(),
            app: app.into(),
            source_work_dir: dir.display().to_string(),
            dokku_image: stack.clone(),
        },
    )?)
    .unwrap_or(stack);
    let engine = ctx.try_engine().map_err(|e| Error::other("docker", e))?;
    if !engine
        .image_exists(&stack)
        .map_err(|e| Error::other("docker", e))?
    {
        return Err(Error::fail(format!(
            "Herokuish image {stack} is not available"
        )));
    }
    let mut spec = ContainerSpec::new(stack);
    spec.cmd = Some(vec![
        "/bin/herokuish".into(),
        "buildpack".into(),
        "detect".into(),
    ]);
    spec.env = ConfigExport::merged_env_pairs(ctx, app)?;
    spec.env.push(format!("APP_PATH={APP_PATH}"));
    spec.mounts.push(Mount::bind(dir.to_path_buf(), APP_PATH));
    spec.labels = release::vendor_labels();
    spec.labels.insert(release::APP_LABEL.into(), app.into());
    let out = ctx.out.clone();
    let code = engine
        .run_streaming(&spec, None, &mut |stream, line| match stream {
            LogStream::Stdout => out.line(line),
            LogStream::Stderr => out.write_err(&format!("{line}\n")),
        })
        .map_err(|e| Error::other("docker", e))?;
    if code != 0 {
        return Err(Error::exit(i32::try_from(code).unwrap_or(1)));
    }
    Ok(())
}

/// `pack detect` against the source with the CNB builder, the app's
/// buildpacks and env.
fn pack(ctx: &Ctx, app: &str, dir: &Path, work: &Path) -> Result<()> {
    let builder = image(ctx, app, "DOKKU_CNB_BUILDER", DEFAULT_CNB_BUILDER)?;
    let env_file = work.join("env");
    std::fs::write(&env_file, pack::env_file(ctx, app)?)
        .map_err(|e| Error::io("write", &env_file, e))?;
    let status = pack::run(
        ctx,
        Command::new("pack")
            .args(["detect", "--path"])
            .arg(dir)
            .args([
                "--builder",
                &builder,
                "--pull-policy",
                "if-not-present",
                "--env-file",
            ])
            .arg(&env_file)
            .args(pack::buildpack_args(dir)),
    )?;
    if !status.success() {
        return Err(Error::exit(status.code().unwrap_or(1)));
    }
    Ok(())
}
