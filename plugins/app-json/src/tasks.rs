//! Deployment tasks: app.json's `env`, `scripts.dokku.predeploy` (committed
//! to the image), the Procfile `release` command, and after the deploy
//! `scripts.dokku.postdeploy` and, once, `scripts.postdeploy`. Each runs in
//! a one-off container of the release image; a failing task fails the
//! deploy.

use std::io::Read;

use dokku_core::{fsutil, Error, Result};
use dokku_docker::{CommitSpec, ContainerEngine, ContainerSpec, LogOptions, Mount, MountSource};
use dokku_trigger::appjson::AppJson;
use dokku_trigger::deploy::{config_value, first_answer, ProcfileGetCommand, SchedulerIsDeployed};
use dokku_trigger::triggers::{ConfigExport, ConfigSet, ContainerArgs, DockerArgsProcessDeploy};
use dokku_trigger::Ctx;

use crate::{extract, props};

const BUILDER_LABEL: &str = "com.dokku.builder-type";
const TINI: &[&str] = &["/tini", "/bin/tini", "/usr/bin/tini", "/usr/local/bin/tini"];

fn app_json(ctx: &Ctx, app: &str) -> Result<AppJson> {
    AppJson::parse(&extract::content(&ctx.paths, app)?).map_err(Error::fail)
}

fn first_deploy_marker(ctx: &Ctx, app: &str) -> std::path::PathBuf {
    props::data_dir(&ctx.paths, app).join("first-deploy")
}

fn image_of(app: &str, tag: &str) -> String {
    format!(
        "dokku/{app}:{}",
        if tag.is_empty() { "latest" } else { tag }
    )
}

/// `pre-deploy`: env, then the predeploy and release tasks.
pub fn pre_deploy(ctx: &Ctx, app: &str, tag: &str) -> Result<()> {
    let manifest = app_json(ctx, app)?;
    let deployed = SchedulerIsDeployed::ask(ctx, app)?;
    let marker = first_deploy_marker(ctx, app);
    if deployed {
        fsutil::remove_file(&marker)?;
    } else {
        fsutil::write_atomic(&marker, b"", 0o644)?;
    }
    apply_env(ctx, app, &manifest, !deployed)?;
    let image = image_of(app, tag);
    run_phase(
        ctx,
        app,
        &image,
        "predeploy",
        manifest.scripts.dokku.predeploy.as_deref(),
        "app.json",
        true,
    )?;
    let release = first_answer(ctx.bus.collect(
        ctx,
        &ProcfileGetCommand {
            app: app.into(),
            process_type: "release".into(),
            port: "5000".into(),
        },
    )?);
    run_phase(
        ctx,
        app,
        &image,
        "release",
        release.as_deref(),
        "Procfile",
        false,
    )
}

/// `post-deploy`: the postdeploy task, and on an app's first deploy the
/// `scripts.postdeploy` task.
pub fn post_deploy(ctx: &Ctx, app: &str, tag: &str) -> Result<()> {
    let manifest = app_json(ctx, app)?;
    let image = image_of(app, tag);
    run_phase(
        ctx,
        app,
        &image,
        "postdeploy",
        manifest.scripts.dokku.postdeploy.as_deref(),
        "app.json",
        false,
    )?;
    let marker = first_deploy_marker(ctx, app);
    let first = marker.exists();
    fsutil::remove_file(&marker)?;
    let once = if first {
        manifest.scripts.postdeploy.as_deref()
    } else {
        None
    };
    run_phase(
        ctx,
        app,
        &image,
        "first deploy postdeploy",
        once,
        "app.json",
        false,
    )
}

fn random_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::fail(format!("failed to generate secret: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Set the `env` defaults of app.json: on the first deploy, every unset
/// variable with a value or generator; on every deploy, `sync` variables.
pub fn apply_env(ctx: &Ctx, app: &str, manifest: &AppJson, first: bool) -> Result<()> {
    let mut pairs = Vec::new();
    for (key, entry) in &manifest.env {
        let current = config_value(ctx, app, key)?.unwrap_or_default();
        if entry.sync() {
            if let Some(v) = entry.default_value() {
                if v != current {
                    pairs.push(format!("{key}={v}"));
                }
                continue;
            }
        }
        if !first || !current.is_empty() {
            continue;
        }
        if let Some(v) = entry.default_value() {
            pairs.push(format!("{key}={v}"));
        } else if entry.generator() == Some("secret") {
            pairs.push(format!("{key}={}", random_secret()?));
        } else if entry.required() {
            return Err(Error::fail(format!(
                "required env var {key} has no value, no default, and no TTY for prompt"
            )));
        }
    }
    if pairs.is_empty() {
        return Ok(());
    }
    let mut quiet = ctx.clone();
    quiet.out = dokku_output::Output::captured(true).0;
    ctx.bus
        .notify(
            &quiet,
            &ConfigSet {
                no_restart: true,
                app: app.into(),
                pairs,
            },
        )
        .map_err(|e| Error::fail(format!("failed to set env vars: {e}")))
}

/// The command a task container runs.
pub fn task_command(
    command: &str,
    shell: &str,
    herokuish: bool,
    entrypoint: &[String],
) -> Vec<String> {
    if herokuish {
        return vec!["/exec".into(), shell.into(), "-c".into(), command.into()];
    }
    let tini = entrypoint
        .first()
        .map(|e| TINI.contains(&e.as_str()))
        .unwrap_or(false);
    if !entrypoint.is_empty() && !tini {
        if let Some(words) = shlex::split(command) {
            return words;
        }
    }
    vec![shell.into(), "-c".into(), command.into()]
}

fn env_of(ctx: &Ctx, app: &str) -> Result<Vec<String>> {
    ConfigExport::merged_env_pairs(ctx, app)
}

fn mounts_of(ctx: &Ctx, app: &str, builder: &str, tag: &str) -> Result<Vec<Mount>> {
    let t = DockerArgsProcessDeploy {
        app: app.into(),
        image_source_type: builder.into(),
        image_tag: tag.into(),
        ..Default::default()
    };
    let args = ContainerArgs::merge(ctx.bus.collect(ctx, &t)?);
    Ok(args
        .mounts
        .into_iter()
        .map(|m| Mount {
            source: if m.is_bind() {
                MountSource::Bind(m.source.clone().into())
            } else {
                MountSource::Volume(m.source.clone())
            },
            target: m.target.clone(),
            read_only: m.readonly,
            options: m
                .options
                .split(',')
                .filter(|o| !o.is_empty())
                .map(str::to_string)
                .collect(),
        })
        .collect())
}

fn json_list(words: &[String]) -> String {
    serde_json::to_string(words).unwrap_or_else(|_| "[]".into())
}

/// Announce a phase and run its task, if any.
fn run_phase(
    ctx: &Ctx,
    app: &str,
    image: &str,
    phase: &str,
    command: Option<&str>,
    source: &str,
    commit: bool,
) -> Result<()> {
    ctx.out.info1(&format!("Checking for {phase} task"));
    let Some(command) = command.map(str::trim).filter(|c| !c.is_empty()) else {
        ctx.out.verbose(&format!("No {phase} task found, skipping"));
        return Ok(());
    };
    if commit {
        ctx.out.verbose(&format!(
            "Executing {phase} task from {source} in ephemeral container: {command}"
        ));
    } else {
        ctx.out
            .verbose(&format!("Executing {phase} task from {source}: {command}"));
    }
    let engine = ctx.engine()?;
    let info = engine
        .image_inspect(image)
        .map_err(|_| Error::fail(format!("App image ({image}) not found")))?;
    let builder = info.labels.get(BUILDER_LABEL).cloned().unwrap_or_default();
    let shell =
        config_value(ctx, app, "DOKKU_APP_SHELL")?.unwrap_or_else(|| "/bin/bash".to_string());
    let entrypoint = info.entrypoint.clone().unwrap_or_default();
    let mut spec = ContainerSpec::new(image);
    spec.cmd = Some(task_command(
        command,
        &shell,
        builder == "herokuish",
        &entrypoint,
    ));
    spec.env = env_of(ctx, app)?;
    spec.mounts = mounts_of(
        ctx,
        app,
        &builder,
        image.rsplit(':').next().unwrap_or("latest"),
    )?;
    spec.labels.insert("dokku".into(), String::new());
    spec.labels.insert("com.dokku.app-name".into(), app.into());
    let id = engine
        .create_container(&spec)
        .map_err(|e| Error::fail(format!("Failed to create {phase} execution container: {e}")))?;
    let result = execute(
        ctx,
        engine,
        app,
        &id,
        phase,
        command,
        commit.then_some((image, &info)),
    );
    let removed = engine.remove_container(&id, true);
    result?;
    removed.map_err(|_| Error::fail(format!("Failed to remove {phase} execution container")))
}

fn execute(
    ctx: &Ctx,
    engine: &dyn ContainerEngine,
    app: &str,
    id: &str,
    phase: &str,
    command: &str,
    commit: Option<(&str, &dokku_docker::ImageInfo)>,
) -> Result<()> {
    let docker = |e: dokku_docker::EngineError| Error::other("docker", e);
    // Dokku attaches to the task container; a command that cannot start
    // (a missing shell, say) fails the task like a non-zero exit does.
    if engine.start_container(id).is_err() {
        return Err(Error::fail(format!(
            "Execution of {phase} task failed: {command}"
        )));
    }
    let code = engine.wait_container(id).map_err(docker)?;
    let short: String = id.chars().take(9).collect();
    ctx.out
        .info2_quiet(&format!("Start of {app} {phase} task ({short}) output"));
    let out = ctx.out.clone();
    let _ = engine.container_logs(id, &LogOptions::default(), &mut |_, line| {
        out.verbose_quiet(line)
    });
    ctx.out
        .info2_quiet(&format!("End of {app} {phase} task ({short}) output"));
    if code != 0 {
        return Err(Error::fail(format!(
            "Execution of {phase} task failed: {command}"
        )));
    }
    let Some((image, info)) = commit else {
        return Ok(());
    };
    let mut changes = Vec::new();
    if let Some(ep) = info.entrypoint.as_ref().filter(|e| !e.is_empty()) {
        changes.push(format!("ENTRYPOINT {}", json_list(ep)));
    }
    if let Some(cmd) = info.cmd.as_ref().filter(|c| !c.is_empty()) {
        changes.push(format!("CMD {}", json_list(cmd)));
    }
    changes.push("LABEL org.label-schema.schema-version=1.0".into());
    changes.push("LABEL org.label-schema.vendor=dokku".into());
    changes.push(format!("LABEL com.dokku.app-name={app}"));
    changes.push(format!("LABEL com.dokku.{phase}-phase=true"));
    let spec = CommitSpec {
        reference: image.to_string(),
        changes,
        ..CommitSpec::default()
    };
    engine
        .commit_container(id, &spec)
        .map(|_| ())
        .map_err(|e| Error::fail(format!("Committing of '{phase}' to image failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    use dokku_core::args::owned as v;

    #[test]
    fn task_commands() {
        assert_eq!(
            task_command("touch /x", "/bin/bash", false, &[]),
            v(&["/bin/bash", "-c", "touch /x"])
        );
        assert_eq!(
            task_command("touch /x", "/bin/sh", true, &[]),
            v(&["/exec", "/bin/sh", "-c", "touch /x"])
        );
        assert_eq!(
            task_command(
                "rake db:migrate",
                "/bin/bash",
                false,
                &v(&["bundle", "exec"])
            ),
            v(&["rake", "db:migrate"])
        );
        assert_eq!(
            task_command("a b", "/bin/bash", false, &v(&["/tini", "--"])),
            v(&["/bin/bash", "-c", "a b"])
        );
    }
}
