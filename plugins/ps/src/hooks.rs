//! The triggers ps answers.

use std::path::{Component, Path};

use dokku_core::property::Properties;
use dokku_core::{fsutil, Result};
use dokku_trigger::deploy::{
    CorePostExtract, Deploy, ProcfileExists, ProcfileExtractImage, ProcfileGetCommand, PsCanScale,
    PsCurrentScale, PsGetProperty, PsSetScale, ReleaseAndDeploy, Scale,
};
use dokku_trigger::triggers::{
    AppRebuild, AppRestart, ConfigExport, ContainerArgs, DockerArgsProcessDeploy,
    PostAppCloneSetup, PostAppRenameSetup, PostCreate, PostDelete,
};
use dokku_trigger::{Bus, Ctx};

use crate::{pipeline, procfile, report, store};

/// Subscribe every handler.
pub fn register(bus: &mut Bus) {
    bus.on::<dokku_trigger::triggers::Install, _>(
        crate::store::PLUGIN,
        |ctx, _t: &dokku_trigger::triggers::Install| crate::install::install(ctx),
    );
    let p = store::PLUGIN;
    bus.on::<ReleaseAndDeploy, _>(p, |ctx, t: &ReleaseAndDeploy| {
        pipeline::release_and_deploy(ctx, &t.app, &t.image_tag)
    });
    bus.on::<Deploy, _>(p, |ctx, t: &Deploy| {
        let arg = |i: usize| t.rest.get(i).map(String::as_str).unwrap_or("");
        pipeline::deploy(ctx, &t.app, arg(0), arg(1))
    });
    bus.on::<AppRestart, _>(p, |ctx, t: &AppRestart| {
        pipeline::restart(ctx, &t.app, "", false)
    });
    bus.on::<AppRebuild, _>(p, |ctx, t: &AppRebuild| pipeline::rebuild(ctx, &t.app));
    bus.on::<ProcfileGetCommand, _>(p, |ctx, t: &ProcfileGetCommand| {
        procfile_command(ctx, &t.app, &t.process_type, &t.port)
    });
    bus.on::<ProcfileExists, _>(p, |ctx, t: &ProcfileExists| {
        Ok(store::procfile_path(&ctx.paths, &t.app).is_file())
    });
    bus.on::<CorePostExtract, _>(p, |ctx, t: &CorePostExtract| {
        extract_from_source(ctx, &t.app, Path::new(&t.tmp_work_dir))
    });
    bus.on::<ProcfileExtractImage, _>(p, |ctx, t: &ProcfileExtractImage| {
        extract_from_image(ctx, &t.app, &t.image)
    });
    bus.on::<PsCanScale, _>(p, |ctx, t: &PsCanScale| {
        let props = store::props(&ctx.paths);
        if !t.can_scale {
            props.write(&t.app, "can-scale", "false")
        } else {
            props.delete(&t.app, "can-scale")
        }
    });
    bus.on::<PsCurrentScale, _>(p, |ctx, t: &PsCurrentScale| {
        Ok(Scale(store::scale(&ctx.paths, &t.app)?))
    });
    bus.on::<PsSetScale, _>(p, |ctx, t: &PsSetScale| {
        crate::pipeline::set_scale(
            ctx,
            &t.app,
            &t.process_tuples,
            t.skip_deploy,
            t.clear_existing,
            false,
        )
    });
    // Deployed containers restart under the computed restart policy.
    bus.on::<DockerArgsProcessDeploy, _>(p, |ctx, t: &DockerArgsProcessDeploy| {
        let policy = store::property(&ctx.paths, &t.app, "restart-policy");
        Ok(ContainerArgs {
            options: vec![format!("--restart={policy}")],
            ..Default::default()
        })
    });
    bus.on::<PsGetProperty, _>(p, |ctx, t: &PsGetProperty| {
        Ok(store::property(&ctx.paths, &t.app, &t.property))
    });
    // A new app runs one web process until told otherwise.
    bus.on::<PostCreate, _>(p, |ctx, t: &PostCreate| {
        dokku_core::fsutil::ensure_dir(&store::data_dir(&ctx.paths, &t.app))?;
        if store::scale(&ctx.paths, &t.app)?.is_empty() {
            store::write_scale(&ctx.paths, &t.app, &vec![("web".to_string(), 1)])?;
        }
        Ok(())
    });
    bus.on::<PostDelete, _>(p, |ctx, t: &PostDelete| {
        fsutil::remove_dir_all(&store::data_dir(&ctx.paths, &t.app))
    });
    bus.on::<PostAppRenameSetup, _>(p, |ctx, t: &PostAppRenameSetup| {
        copy_data(ctx, &t.old_app, &t.new_app)
    });
    bus.on::<PostAppCloneSetup, _>(p, |ctx, t: &PostAppCloneSetup| {
        copy_data(ctx, &t.old_app, &t.new_app)
    });
    report::REPORT.register(bus, p);
}

/// `procfile-get-command`: the command of a process type, its variables
/// taken from the app's merged env and `$PORT` from `port` (an integer,
/// else 5000); empty when the app has no Procfile or the Procfile does not
/// name the type.
fn procfile_command(ctx: &Ctx, app: &str, proc_type: &str, port: &str) -> Result<String> {
    let Some(list) = store::processes(&ctx.paths, app)? else {
        return Ok(String::new());
    };
    let Some(process) = list.iter().find(|p| p.name == proc_type) else {
        return Ok(String::new());
    };
    if !process.command.contains('$') {
        return Ok(process.command.clone());
    }
    let port = port
        .parse::<i64>()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "5000".to_string());
    let env = ConfigExport::merged_env(ctx, app)?;
    Ok(procfile::expand(&process.command, |name| {
        if name == "PORT" {
            port.clone()
        } else {
            env.get(name).cloned().unwrap_or_default()
        }
    }))
}

/// A `procfile-path` value as a safe relative path: leading slashes
/// dropped, `..` refused.
pub fn relative_procfile_path(value: &str) -> Option<std::path::PathBuf> {
    let rel = Path::new(value.trim_start_matches('/'));
    if rel.as_os_str().is_empty()
        || rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    Some(rel.to_path_buf())
}

/// `core-post-extract`: keep the Procfile of freshly extracted source.
fn extract_from_source(ctx: &Ctx, app: &str, dir: &Path) -> Result<()> {
    let setting = store::property(&ctx.paths, app, "procfile-path");
    let content = relative_procfile_path(&setting).and_then(|rel| {
        let file = dir.join(rel);
        // The file must stay inside the source tree, even through symlinks.
        let root = dir.canonicalize().ok()?;
        let real = file.canonicalize().ok()?;
        if !real.starts_with(&root) || !real.is_file() {
            return None;
        }
        std::fs::read_to_string(real).ok()
    });
    store::write_procfile(&ctx.paths, app, content.as_deref())
}

/// `procfile-extract-image`: keep the Procfile found in an image's working
/// directory.
fn extract_from_image(ctx: &Ctx, app: &str, image: &str) -> Result<()> {
    let setting = store::property(&ctx.paths, app, "procfile-path");
    let Some(rel) = relative_procfile_path(&setting) else {
        return store::write_procfile(&ctx.paths, app, None);
    };
    let info = dokku_trigger::release::inspect_app_image(ctx, image)?;
    let workdir = info.working_dir.clone().unwrap_or_else(|| "/".into());
    let path = Path::new(&workdir).join(rel);
    let spec = dokku_trigger::deploy::extraction_spec(app, image);
    let content = match ctx.read_image_file(&spec, &path.display().to_string()) {
        Ok(Some(data)) => Some(String::from_utf8_lossy(&data).into_owned()),
        _ => None,
    };
    store::write_procfile(&ctx.paths, app, content.as_deref())
}

/// Copy the app's extracted Procfile to a new app; the new app is not
/// deployed until it is.
fn copy_data(ctx: &Ctx, old: &str, new: &str) -> Result<()> {
    let from = store::data_dir(&ctx.paths, old);
    if from.is_dir() {
        fsutil::copy_dir_all(&from, &store::data_dir(&ctx.paths, new))?;
    }
    Properties::new(&ctx.paths, "common").delete(new, "deployed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procfile_paths_stay_relative() {
        assert_eq!(
            relative_procfile_path("Procfile").as_deref(),
            Some(Path::new("Procfile"))
        );
        assert_eq!(
            relative_procfile_path("/.dokku/Procfile").as_deref(),
            Some(Path::new(".dokku/Procfile"))
        );
        assert_eq!(relative_procfile_path("../etc/passwd"), None);
        assert_eq!(relative_procfile_path(""), None);
    }
}
