//! The app-json plugin: keeps the `app.json` of each build, hands it to the
//! other plugins (`app-json-get-content`, as plain JSON), applies its `env`
//! section, and runs its deployment tasks (`scripts.dokku.predeploy`, the
//! Procfile `release` command, `scripts.dokku.postdeploy` and the
//! first-deploy `scripts.postdeploy`) in one-off containers.

pub mod extract;
pub mod props;
pub mod tasks;

use dokku_core::property::GLOBAL;
use dokku_core::report::{self, ReportSpec, Rows};
use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Paths, Result};
use dokku_output::Output;
use dokku_trigger::appjson::AppJson;
use dokku_trigger::deploy::{
    AppJsonGetContent, AppJsonProcessDeployParallelism, CorePostExtract, PostDeploy, PreDeploy,
};
use dokku_trigger::plugin::Command;
use dokku_trigger::triggers::{PostAppCloneSetup, PostAppRenameSetup, PostDelete, Report};
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// How the report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "app-json",
    prefix: "app-json",
    legacy_json_keys: true,
};

const SETTABLE: &[Settable<'static>] = &[Settable {
    key: "appjson-path",
    scope: Scope::Both,
}];

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core app-json plugin",
    summary: "Configure where an app's app.json is read from",
    namespace: None,
    commands: &[
        Command {
            name: "app-json:report",
            args: "[<app>] [<flag>]",
            help: "Displays an app-json report for one or more apps",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "app-json:set",
            args: "[--global|<app>] <key> (<value>)",
            help: "Set or clear an app-json property for an app",
            takes_app: true,
            run: set_cmd,
        },
    ],
    default: None,
    register,
};

/// One app's report rows, in Dokku's order.
pub fn rows(paths: &Paths, app: &str) -> Rows {
    vec![
        (
            "--app-json-computed-appjson-path".into(),
            props::appjson_path(paths, app),
        ),
        (
            "--app-json-global-appjson-path".into(),
            props::raw(paths, GLOBAL, "appjson-path"),
        ),
        (
            "--app-json-appjson-path".into(),
            props::raw(paths, app, "appjson-path"),
        ),
    ]
}

/// The text report: like the shared layout, with Dokku's `App-json` label.
pub fn render_text(app: &str, rows: &Rows, out: &Output) {
    let labels: Vec<String> = rows
        .iter()
        .map(|(k, _)| {
            format!(
                "App-json {}:",
                k.trim_start_matches("--app-json-").replace('-', " ")
            )
        })
        .collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    out.info2_quiet(&format!("{app} app-json information"));
    for (label, (_, v)) in labels.iter().zip(rows) {
        out.verbose(&format!("{label:<w$} {v}", w = width));
    }
}

fn report_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let wants_text = !argv.iter().any(|a| a.starts_with("--"));
    if wants_text {
        let run = |app: &str| -> Result<()> {
            render_text(app, &rows(&ctx.paths, app), &ctx.out);
            Ok(())
        };
        return match argv.first() {
            Some(app) => {
                dokku_core::apps::verify(&ctx.paths, app)?;
                run(app)
            }
            None => {
                let apps = dokku_core::apps::list(&ctx.paths);
                if apps.is_empty() {
                    return Err(dokku_core::Error::fail(dokku_core::apps::NO_APPS));
                }
                apps.iter().try_for_each(|a| run(a))
            }
        };
    }
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| {
        Ok(rows(&ctx.paths, app))
    })
}

fn set_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    set::run_command(
        &ctx.paths,
        &ctx.out,
        props::PLUGIN,
        SETTABLE,
        argv,
        &|_, _| Ok(()),
    )
}

fn register(bus: &mut Bus) {
    let p = props::PLUGIN;
    bus.on::<CorePostExtract, _>(p, |ctx, t: &CorePostExtract| {
        extract::core_post_extract(ctx, &t.app, &t.tmp_work_dir)
    });
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
    bus.on::<Report, _>(p, |ctx, t: &Report| {
        render_text(&t.app, &rows(&ctx.paths, &t.app), &ctx.out);
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_layout() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&d.path().join("home"), &d.path().join("lib"));
        dokku_core::property::Properties::new(&paths, props::PLUGIN)
            .write("app", "appjson-path", "app2.json")
            .expect("write");
        let (out, cap) = Output::captured(false);
        render_text("app", &rows(&paths, "app"), &out);
        insta::assert_snapshot!(cap.stdout(), @r"
        =====> app app-json information
               App-json computed appjson path: app2.json
               App-json global appjson path:   
               App-json appjson path:          app2.json
        ");
    }
}
