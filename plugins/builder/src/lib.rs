//! The builder plugin: which builder builds an app (`selected`, else what
//! the builder plugins detect), the `build-dir` of monorepos, and whether
//! old containers and images are cleaned up before a build.

pub mod builddir;
pub mod install;
pub mod props;

use dokku_core::{Error, Result};
use dokku_trigger::deploy::{BuilderDetect, BuilderGetProperty, CorePostExtract, PreReceiveApp};
use dokku_trigger::plugin::Command;
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: props::PLUGIN,
    description: "dokku core builder plugin",
    summary: "Manage builder settings for an app",
    commands: &[
        Command {
            name: "builder:report",
            takes_app: true,
            run: report_cmd,
        },
        Command {
            name: "builder:set",
            takes_app: true,
            run: set_cmd,
        },
    ],
    help: &[
        "builder:report [<app>] [<flag>], Displays a builder report for one or more apps",
        "builder:set <app> <property> (<value>), Set or clear a builder property for an app",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn report_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    props::REPORT.command(ctx, argv)
}

fn set_cmd(ctx: &Ctx, argv: &[String]) -> Result<()> {
    if argv.iter().any(|a| a == "detected") {
        ctx.out.warn("detected is a read-only property");
        return Err(Error::exit(1));
    }
    props::REPORT.set_command(ctx, argv).map(drop)
}

fn register(bus: &mut Bus) {
    bus.on_install(props::PLUGIN, install::install);
    bus.on::<BuilderGetProperty, _>(props::PLUGIN, |ctx, t: &BuilderGetProperty| {
        Ok(props::computed(&ctx.paths, &t.app, &t.key))
    });
    // A selected builder, the app's or else the global one, is the answer
    // before anything the builders detect in the source (this plugin sorts
    // ahead of every `builder-*` one).
    bus.on::<BuilderDetect, _>(props::PLUGIN, |ctx, t: &BuilderDetect| {
        Ok(props::computed(&ctx.paths, &t.app, "selected"))
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
    props::REPORT.register(bus, props::PLUGIN);
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::property::GLOBAL;

    #[test]
    fn report_layout() {
        let (_d, paths) = dokku_core::Paths::temp();
        props::write(&paths, "app", "selected", "dockerfile").expect("write");
        props::write(&paths, GLOBAL, "build-dir", "sub").expect("write");
        insta::assert_snapshot!(props::REPORT.text(&paths, "app").expect("report"), @r"
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
