//! The registry plugin: logins to docker registries (`registry:login`,
//! `registry:logout`), the properties saying where and as what an app's
//! image is pushed (`registry:set`, `registry:report`), the push of each
//! released image when `push-on-release` is on (`post-release-builder`),
//! and the name of the image deploys run (`deployed-app-repository`,
//! `deployed-app-image-repo`, `deployed-app-image-tag`).

pub mod commands;
pub mod login;
pub mod push;
pub mod store;

use dokku_trigger::deploy::{DeployedAppImageRepo, DeployedAppImageTag, PostReleaseBuilder};
use dokku_trigger::helpers::DeployedAppRepository;
use dokku_trigger::plugin::cmd;
use dokku_trigger::triggers::{PostAppCloneSetup, PostAppRenameSetup, PostDelete};
use dokku_trigger::{Bus, CorePlugin};

use commands as c;
use store::PLUGIN as NAME;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: NAME,
    description: "dokku core registry plugin",
    summary: "Manage registry settings for an app",
    commands: &[
        cmd("registry:login", c::login::run),
        cmd("registry:logout", c::logout::run),
        cmd("registry:report", c::report::run),
        cmd("registry:set", c::set::run),
    ],
    help: &[
        "registry:login [--global|--password-stdin] [<app>] <server> <username> [<password>], Login to a docker registry",
        "registry:logout [--global] [<app>] <server>, Logout from a docker registry",
        "registry:report [<app>] [<flag>], Displays a registry report for one or more apps",
        "registry:set <app>|--global <property> (<value>), Set or clear a registry property for an app",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    bus.on::<PostReleaseBuilder, _>(NAME, |ctx, t: &PostReleaseBuilder| {
        push::on_release(ctx, &t.app, &t.image)
    });
    bus.on::<PostDelete, _>(NAME, |ctx, t: &PostDelete| {
        if !valid(&t.app) {
            return Ok(());
        }
        push::on_delete(ctx, &t.app)
    });
    bus.on::<PostAppRenameSetup, _>(NAME, |ctx, t: &PostAppRenameSetup| {
        push::on_copy(ctx, &t.old_app, &t.new_app)
    });
    bus.on::<PostAppCloneSetup, _>(NAME, |ctx, t: &PostAppCloneSetup| {
        push::on_copy(ctx, &t.old_app, &t.new_app)
    });
    bus.on::<DeployedAppRepository, _>(NAME, |ctx, t: &DeployedAppRepository| {
        if !valid(&t.app) || !store::push_enabled(&ctx.paths, &t.app) {
            return Ok(String::new());
        }
        Ok(store::server(&ctx.paths, &t.app))
    });
    bus.on::<DeployedAppImageRepo, _>(NAME, |ctx, t: &DeployedAppImageRepo| {
        if !valid(&t.app) {
            return Ok(String::new());
        }
        store::image_repo(&ctx.paths, &t.app)
    });
    bus.on::<DeployedAppImageTag, _>(NAME, |ctx, t: &DeployedAppImageTag| {
        if !valid(&t.app) || !store::push_enabled(&ctx.paths, &t.app) {
            return Ok(String::new());
        }
        Ok(store::tag_version(&ctx.paths, &t.app))
    });
    c::report::REPORT.register(bus, NAME);
}

fn valid(app: &str) -> bool {
    dokku_core::apps::validate_name(app).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployed_image_answers_follow_push_on_release() {
        use dokku_trigger::deploy::first_answer;
        use std::sync::Arc;

        let (_d, paths) = dokku_core::Paths::temp();
        let mut bus = Bus::new();
        bus.add_core(&PLUGIN);
        let (out, _cap) = dokku_output::Output::captured(false);
        let ctx = dokku_trigger::Ctx::new(paths.clone(), out, Default::default(), Arc::new(bus));
        let ask = |app: &str| {
            let app = app.to_string();
            let one = |v: Vec<String>| first_answer(v).unwrap_or_default();
            (
                one(ctx
                    .bus
                    .collect(&ctx, &DeployedAppRepository { app: app.clone() })
                    .expect("repository")),
                one(ctx
                    .bus
                    .collect(&ctx, &DeployedAppImageRepo { app: app.clone() })
                    .expect("repo")),
                one(ctx
                    .bus
                    .collect(&ctx, &DeployedAppImageTag { app })
                    .expect("tag")),
            )
        };
        let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(ask("web"), s("", "dokku/web", ""));
        let store = store::SCHEMA.store(&paths);
        store
            .write("web", "server", "127.0.0.1:5000")
            .expect("write");
        store.write("web", "image-repo", "team/web").expect("write");
        store.write("web", store::TAG_VERSION, "4").expect("write");
        // Not pushed: the local image, under its repository.
        assert_eq!(ask("web"), s("", "team/web", ""));
        store
            .write("web", "push-on-release", "true")
            .expect("write");
        assert_eq!(ask("web"), s("127.0.0.1:5000/", "team/web", "4"));
    }

    #[test]
    fn report_layout() {
        let (_d, paths) = dokku_core::Paths::temp();
        let settings = [
            ("--global", "server", "docker.io"),
            ("app", "server", "127.0.0.1:5000"),
            ("app", "push-on-release", "true"),
        ];
        let report = c::report::REPORT.text_with(&paths, "app", &settings);
        insta::assert_snapshot!(report.expect("report"), @r"
        =====> app registry information
               Registry computed image repo:          dokku/app
               Registry computed image repo template: 
               Registry computed push extra tags:     
               Registry computed push on release:     true
               Registry computed server:              127.0.0.1:5000/
               Registry global image repo template:   
               Registry global push extra tags:       
               Registry global push on release:       
               Registry global server:                docker.io
               Registry image repo:                   
               Registry image repo template:          
               Registry push extra tags:              
               Registry push on release:              true
               Registry server:                       127.0.0.1:5000
               Registry tag version:
        ");
    }
}
