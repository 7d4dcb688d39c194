//! The pack builder: builds Cloud Native Buildpacks apps with the `pack`
//! CLI (`pack build dokku/<app>:latest --builder <stack> --path <source>`),
//! then labels the image as Dokku does. Detected by a `project.toml`.

pub mod build;
pub mod props;

use dokku_core::property::GLOBAL;
use dokku_core::report::{self, ReportSpec, Rows};
use dokku_core::{Paths, Result};
use dokku_trigger::deploy::{BuilderBuild, BuilderDetect, BuilderRelease};
use dokku_trigger::plugin::Command;
use dokku_trigger::triggers::Report;
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The builder type this plugin answers for.
pub const BUILDER_TYPE: &str = "pack";

/// How the report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "builder-pack",
    prefix: "builder-pack",
    legacy_json_keys: true,
};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core builder-pack plugin",
    summary: "Build apps with Cloud Native Buildpacks through pack",
    namespace: None,
    commands: &[
        Command {
            name: "builder-pack:report",
            args: "[<app>] [<flag>]",
            help: "Displays a builder-pack report for one or more apps",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "builder-pack:set",
            args: "[--global|<app>] <key> (<value>)",
            help: "Set or clear a builder-pack property for an app",
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
            "--builder-pack-computed-projecttoml-path".into(),
            props::projecttoml_path(paths, app),
        ),
        (
            "--builder-pack-global-projecttoml-path".into(),
            props::raw(paths, GLOBAL, "projecttoml-path"),
        ),
        (
            "--builder-pack-projecttoml-path".into(),
            props::raw(paths, app, "projecttoml-path"),
        ),
    ]
}

fn report_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| {
        Ok(rows(&ctx.paths, app))
    })
}

fn set_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    props::set(ctx, argv)
}

fn register(bus: &mut Bus) {
    bus.on::<BuilderDetect, _>(props::PLUGIN, |ctx, t: &BuilderDetect| {
        let found = build::file_inside(
            std::path::Path::new(&t.source_work_dir),
            &props::projecttoml_path(&ctx.paths, &t.app),
        );
        Ok(if found {
            BUILDER_TYPE.to_string()
        } else {
            String::new()
        })
    });
    bus.on::<BuilderBuild, _>(props::PLUGIN, |ctx, t: &BuilderBuild| {
        build::build(ctx, &t.app, std::path::Path::new(&t.source_work_dir))
    });
    bus.on::<BuilderRelease, _>(props::PLUGIN, |ctx, t: &BuilderRelease| {
        build::release(ctx, &t.app, &t.image_tag)
    });
    bus.on::<Report, _>(props::PLUGIN, |ctx, t: &Report| {
        report::render_text(&SPEC, &t.app, &rows(&ctx.paths, &t.app), &ctx.out);
        Ok(())
    });
}
