//! The builder plugin: which builder builds an app (`selected`, else what
//! the builder plugins detect), the `build-dir` of monorepos, and whether
//! old containers and images are cleaned up before a build.

pub mod builddir;
pub mod props;

use dokku_core::property::GLOBAL;
use dokku_core::report::{self, ReportSpec, Rows};
use dokku_core::set::{self, Scope, Settable};
use dokku_core::{Error, Paths, Result};
use dokku_trigger::deploy::{BuilderGetProperty, CorePostExtract, PreReceiveApp};
use dokku_trigger::plugin::Command;
use dokku_trigger::triggers::Report;
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// How the builder report is named and keyed.
pub const SPEC: ReportSpec<'static> = ReportSpec {
    title: "builder",
    prefix: "builder",
    legacy_json_keys: true,
};

const SETTABLE: &[Settable<'static>] = &[
    Settable {
        key: "build-dir",
        scope: Scope::Both,
    },
    Settable {
        key: "selected",
        scope: Scope::Both,
    },
    Settable {
        key: "skip-cleanup",
        scope: Scope::Both,
    },
];

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core builder plugin",
    summary: "Choose how apps are built",
    namespace: None,
    commands: &[
        Command {
            name: "builder:report",
            args: "[<app>] [<flag>]",
            help: "Displays a builder report for one or more apps",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "builder:set",
            args: "[--global|<app>] <key> (<value>)",
            help: "Set or clear a builder property for an app",
            takes_app: true,
            run: set_cmd,
        },
    ],
    default: None,
    register,
};

/// One app's report rows, sorted by flag.
pub fn rows(paths: &Paths, app: &str) -> Rows {
    let raw = |a: &str, k: &str| props::raw(paths, a, k);
    let mut rows: Rows = vec![
        ("--builder-build-dir".into(), raw(app, "build-dir")),
        (
            "--builder-computed-build-dir".into(),
            props::computed(paths, app, "build-dir"),
        ),
        (
            "--builder-computed-selected".into(),
            props::computed(paths, app, "selected"),
        ),
        (
            "--builder-computed-skip-cleanup".into(),
            props::computed(paths, app, "skip-cleanup"),
        ),
        ("--builder-detected".into(), raw(app, "detected")),
        (
            "--builder-global-build-dir".into(),
            raw(GLOBAL, "build-dir"),
        ),
        ("--builder-global-selected".into(), raw(GLOBAL, "selected")),
        (
            "--builder-global-skip-cleanup".into(),
            raw(GLOBAL, "skip-cleanup"),
        ),
        ("--builder-selected".into(), raw(app, "selected")),
        ("--builder-skip-cleanup".into(), raw(app, "skip-cleanup")),
    ];
    rows.sort();
    rows
}

fn report_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    report::run_command(&ctx.paths, &ctx.out, &SPEC, argv, &|app| {
        Ok(rows(&ctx.paths, app))
    })
}

fn set_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    if argv.iter().any(|a| a == "detected") {
        ctx.out.warn("detected is a read-only property");
        return Err(Error::exit(1));
    }
    set::run_command(
        &ctx.paths,
        &ctx.out,
        props::PLUGIN,
        SETTABLE,
        argv,
        &|key, value| {
            if key == "skip-cleanup" && value != "true" && value != "false" {
                return Err(Error::fail(format!(
                    "Invalid value for {key}, must be true or false"
                )));
            }
            Ok(())
        },
    )
}

fn register(bus: &mut Bus) {
    bus.on::<BuilderGetProperty, _>(props::PLUGIN, |ctx, t: &BuilderGetProperty| {
        Ok(props::computed(&ctx.paths, &t.app, &t.key))
    });
    bus.on::<CorePostExtract, _>(props::PLUGIN, |ctx, t: &CorePostExtract| {
        builddir::apply(
            &props::computed(&ctx.paths, &t.app, "build-dir"),
            std::path::Path::new(&t.tmp_work_dir),
        )
    });
    bus.on::<PreReceiveApp, _>(props::PLUGIN, |ctx, t: &PreReceiveApp| {
        if props::computed(&ctx.paths, &t.app, "selected").is_empty() {
            props::write(&ctx.paths, &t.app, "detected", &t.image_source_type)?;
        }
        Ok(())
    });
    bus.on::<Report, _>(props::PLUGIN, |ctx, t: &Report| {
        report::render_text(&SPEC, &t.app, &rows(&ctx.paths, &t.app), &ctx.out);
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_output::Output;

    #[test]
    fn report_layout() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&d.path().join("home"), &d.path().join("lib"));
        props::write(&paths, "app", "selected", "dockerfile").expect("write");
        props::write(&paths, GLOBAL, "build-dir", "sub").expect("write");
        let (out, cap) = Output::captured(false);
        report::render_text(&SPEC, "app", &rows(&paths, "app"), &out);
        insta::assert_snapshot!(cap.stdout(), @r"
        =====> app builder information
               Builder build dir:             
               Builder computed build dir:    sub
               Builder computed selected:     dockerfile
               Builder computed skip cleanup: false
               Builder detected:              
               Builder global build dir:      sub
               Builder global selected:       
               Builder global skip cleanup:   
               Builder selected:              dockerfile
               Builder skip cleanup:
        ");
    }
}
