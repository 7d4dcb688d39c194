//! The app-json plugin: keeps the `app.json` of each build, hands it to the
//! other plugins (`app-json-get-content`, as plain JSON), applies its `env`
//! section, and runs its deployment tasks (`scripts.dokku.predeploy`, the
//! Procfile `release` command, `scripts.dokku.postdeploy` and the
//! first-deploy `scripts.postdeploy`) in one-off containers.

pub mod extract;
pub mod props;
pub mod tasks;

use dokku_core::Result;
use dokku_trigger::appjson::AppJson;
use dokku_trigger::deploy::{
    AppJsonGetContent, AppJsonProcessDeployParallelism, CorePostExtract, PostDeploy, PreDeploy,
};
use dokku_trigger::plugin::Command;
use dokku_trigger::triggers::{PostAppCloneSetup, PostAppRenameSetup, PostDelete};
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core app-json plugin",
    summary: "Manage app-json settings for an app",
    commands: &[
        Command {
            name: "app-json:report",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "app-json:set",
            takes_app: true,
            run: set_cmd,
        },
    ],
    help: &[
        "app-json:report [<app>] [<flag>], Displays a app-json report for one or more apps",
        "app-json:set <app> <property> (<value>), Set or clear a app-json property for an app",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn report_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    props::REPORT.command(ctx, argv)
}

fn set_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    props::REPORT.set_command(ctx, argv).map(drop)
}

fn register(bus: &mut Bus) {
    let p = props::PLUGIN;
    bus.on::<CorePostExtract, _>(p, |ctx, t: &CorePostExtract| {
        extract::core_post_extract(ctx, &t.app, &t.tmp_work_dir)
    });
    bus.on::<dokku_trigger::helpers::AppJsonIsValid, _>(
        p,
        |_ctx, t: &dokku_trigger::helpers::AppJsonIsValid| extract::is_valid(&t.app_json_path),
    );
    bus.on::<AppJsonGetContent, _>(p, |ctx, t: &AppJsonGetContent| {
        extract::content(&ctx.paths, &t.app)
    });
    bus.on::<AppJsonProcessDeployParallelism, _>(p, |ctx, t: &AppJsonProcessDeployParallelism| {
        let text = extract::content(&ctx.paths, &t.app)?;
        let parsed = AppJson::parse(&text).unwrap_or_default();
        Ok(parsed
            .formation
            .get(&t.process_type)
            .and_then(|f| f.max_parallel)
            .map(|n| n.to_string())
            .unwrap_or_default())
    });
    bus.on::<PreDeploy, _>(p, |ctx, t: &PreDeploy| {
        tasks::pre_deploy(ctx, &t.app, &t.image_tag)
    });
    bus.on::<PostDeploy, _>(p, |ctx, t: &PostDeploy| {
        tasks::post_deploy(ctx, &t.app, &t.image_tag)
    });
    bus.on::<PostDelete, _>(p, |ctx, t: &PostDelete| {
        dokku_core::fsutil::remove_dir_all(&props::data_dir(&ctx.paths, &t.app))
    });
    bus.on::<PostAppCloneSetup, _>(p, |ctx, t: &PostAppCloneSetup| {
        props::copy_data(&ctx.paths, &t.old_app, &t.new_app, false)
    });
    bus.on::<PostAppRenameSetup, _>(p, |ctx, t: &PostAppRenameSetup| {
        props::copy_data(&ctx.paths, &t.old_app, &t.new_app, true)
    });
    props::REPORT.register(bus, p);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_layout() {
        let (_d, paths) = dokku_core::Paths::temp();
        let report =
            props::REPORT.text_with(&paths, "app", &[("app", "appjson-path", "app2.json")]);
        insta::assert_snapshot!(report.expect("report"), @r"
        =====> app app-json information
               App json appjson path:          app2.json
               App json computed appjson path: app2.json
               App json global appjson path:   
        ");
    }
}
