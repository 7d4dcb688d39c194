//! The triggers the config plugin answers. Other plugins (and external
//! ones through `plugn trigger`) read and change environments only through
//! these. The app's `ENV` lives in its own config directory, beside the
//! plugin property roots, so deleting, renaming and cloning an app are
//! handled here (the apps plugin only moves property directories).

use dokku_core::Result;
use dokku_trigger::triggers::{
    ConfigExport, ConfigGet, ConfigGetGlobal, ConfigMigrateEnv, ConfigSet, ConfigUnset, Install,
    PostAppCloneSetup, PostAppRenameSetup, PostDelete,
};
use dokku_trigger::{Bus, Ctx};

use crate::format::ExportFormat;
use crate::ops::{self, parse_bool, SetRequest};
use crate::store::{self, Scope, PLUGIN};

/// Subscribe every handler.
pub fn register(bus: &mut Bus) {
    bus.on::<ConfigExport, _>(PLUGIN, config_export);
    bus.on::<ConfigGet, _>(PLUGIN, config_get);
    bus.on::<ConfigGetGlobal, _>(PLUGIN, config_get_global);
    bus.on::<ConfigSet, _>(PLUGIN, config_set);
    bus.on::<ConfigMigrateEnv, _>(PLUGIN, |ctx: &Ctx, _: &ConfigMigrateEnv| {
        store::migrate_all(&ctx.paths, &ctx.out)
    });
    bus.on::<ConfigUnset, _>(PLUGIN, config_unset);
    bus.on::<Install, _>(PLUGIN, |ctx: &Ctx, _: &Install| {
        store::install(&ctx.paths, &ctx.out)
    });
    bus.on::<PostDelete, _>(PLUGIN, |ctx: &Ctx, t: &PostDelete| {
        store::remove_app(&ctx.paths, &t.app)
    });
    bus.on::<PostAppRenameSetup, _>(PLUGIN, |ctx: &Ctx, t: &PostAppRenameSetup| {
        store::copy_app(&ctx.paths, &ctx.out, &t.old_app, &t.new_app)
    });
    bus.on::<PostAppCloneSetup, _>(PLUGIN, |ctx: &Ctx, t: &PostAppCloneSetup| {
        store::copy_app(&ctx.paths, &ctx.out, &t.old_app, &t.new_app)
    });
}

/// The scope a trigger names: global, else the app, which must exist.
fn scope_of(ctx: &Ctx, global: bool, app: &str) -> Result<Scope> {
    if global {
        return Ok(Scope::Global);
    }
    dokku_core::apps::verify(&ctx.paths, app)?;
    Ok(Scope::App(app.to_string()))
}

/// `config-unset [--global] APP KEY [restart]`: no restart unless the last
/// argument is given (non-empty).
fn config_unset(ctx: &Ctx, t: &ConfigUnset) -> Result<()> {
    let scope = scope_of(ctx, t.global, &t.app)?;
    ops::unset(
        ctx,
        ops::UnsetRequest {
            scope,
            keys: vec![t.key.clone()],
            no_restart: t.restart.is_empty(),
        },
    )
}

/// `config-export APP GLOBAL MERGED FORMAT`.
fn config_export(ctx: &Ctx, t: &ConfigExport) -> Result<String> {
    let scope = scope_of(ctx, parse_bool(&t.global)?, &t.app)?;
    let format = ExportFormat::parse(&t.format)?;
    ops::export(ctx, &scope, parse_bool(&t.merged)?, format)
}

/// `config-get APP KEY`: the value, empty when unset or the app is unknown.
fn config_get(ctx: &Ctx, t: &ConfigGet) -> Result<String> {
    if !dokku_core::apps::exists(&ctx.paths, &t.app) {
        return Ok(String::new());
    }
    Ok(ops::get(ctx, &Scope::App(t.app.clone()), &t.key)?.unwrap_or_default())
}

/// `config-get-global KEY`.
fn config_get_global(ctx: &Ctx, t: &ConfigGetGlobal) -> Result<String> {
    Ok(ops::get(ctx, &Scope::Global, &t.key)?.unwrap_or_default())
}

/// `config-set [--no-restart] APP KEY=VALUE...`.
fn config_set(ctx: &Ctx, t: &ConfigSet) -> Result<()> {
    let scope = scope_of(ctx, t.app == dokku_core::property::GLOBAL, &t.app)?;
    ops::set(
        ctx,
        SetRequest {
            scope,
            pairs: t.pairs.clone(),
            encoded: false,
            no_restart: t.no_restart,
        },
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use dokku_core::Paths;
    use dokku_output::Output;
    use dokku_trigger::triggers::{AppRestart, PostConfigUpdate};
    use dokku_trigger::{Bus, Flags};

    use super::*;

    fn ctx(dir: &std::path::Path, bus: Bus) -> (Ctx, dokku_output::Captured) {
        let paths = Paths::for_roots(&dir.join("home"), &dir.join("lib"));
        std::fs::create_dir_all(paths.app_dir("app")).expect("app dir");
        let (out, cap) = Output::captured(false);
        (Ctx::new(paths, out, Flags::default(), Arc::new(bus)), cap)
    }

    #[test]
    fn triggers_answer_in_process() {
        let d = tempfile::tempdir().expect("tempdir");
        let mut bus = Bus::new();
        register(&mut bus);
        let (ctx, _) = ctx(d.path(), bus);
        let set = |app: &str, pairs: &[&str]| {
            let t = ConfigSet {
                no_restart: true,
                app: app.into(),
                pairs: pairs.iter().map(|s| s.to_string()).collect(),
            };
            ctx.bus.notify(&ctx, &t)
        };
        set("app", &["A=1", "B=two words"]).expect("set app");
        set("--global", &["G=g", "A=global"]).expect("set global");
        assert!(set("missing", &["A=1"]).is_err());
        let get = ctx
            .bus
            .collect(
                &ctx,
                &ConfigGet {
                    app: "app".into(),
                    key: "B".into(),
                },
            )
            .expect("get");
        assert_eq!(get, vec!["two words".to_string()]);
        let none = ctx
            .bus
            .collect(
                &ctx,
                &ConfigGet {
                    app: "nope".into(),
                    key: "B".into(),
                },
            )
            .expect("get");
        assert_eq!(none, vec![String::new()]);
        let g = ctx
            .bus
            .collect(&ctx, &ConfigGetGlobal { key: "G".into() })
            .expect("global");
        assert_eq!(g, vec!["g".to_string()]);
        let export = |app: &str, global: &str, merged: &str, format: &str| {
            let t = ConfigExport {
                app: app.into(),
                global: global.into(),
                merged: merged.into(),
                format: format.into(),
            };
            ctx.bus.collect(&ctx, &t).map(|v| v.join(""))
        };
        assert_eq!(
            export("app", "false", "true", "envfile").expect("merged"),
            "A=1\nB=\"two words\"\nG=\"g\""
        );
        assert_eq!(
            export("", "true", "false", "shell").expect("global"),
            "A='global' G='g'"
        );
        assert_eq!(
            export("app", "false", "false", "nope")
                .expect_err("bad")
                .to_string(),
            "Unknown export format: nope"
        );
    }

    #[test]
    fn set_notifies_and_restarts_deployed_apps_only() {
        use std::sync::Mutex;
        let d = tempfile::tempdir().expect("tempdir");
        let seen = Arc::new(Mutex::new(Vec::<String>::new()));
        let mut bus = Bus::new();
        register(&mut bus);
        let s1 = seen.clone();
        bus.on::<PostConfigUpdate, _>("zz-test", move |_: &Ctx, t: &PostConfigUpdate| {
            if let Ok(mut v) = s1.lock() {
                v.push(format!(
                    "update {} {} {}",
                    t.app,
                    t.action,
                    t.items.join(" ")
                ));
            }
            Ok(())
        });
        let s2 = seen.clone();
        bus.on::<AppRestart, _>("zz-test", move |_: &Ctx, t: &AppRestart| {
            if let Ok(mut v) = s2.lock() {
                v.push(format!("restart {}", t.app));
            }
            Err(dokku_core::Error::exit(3))
        });
        // The scheduler decides whether the app is deployed: here, once it
        // has a container record.
        bus.on::<dokku_trigger::deploy::SchedulerIsDeployed, _>(
            "scheduler-docker-local",
            |ctx: &Ctx, t: &dokku_trigger::deploy::SchedulerIsDeployed| {
                Ok(ctx.paths.app_dir(&t.app).join("CONTAINER.web.1").is_file())
            },
        );
        let (ctx, cap) = ctx(d.path(), bus);
        let req = |pairs: &[&str], no_restart| crate::ops::SetRequest {
            scope: Scope::App("app".into()),
            pairs: pairs.iter().map(|s| s.to_string()).collect(),
            encoded: false,
            no_restart,
        };
        crate::ops::set(&ctx, req(&["B=2", "A=1"], false)).expect("undeployed");
        std::fs::write(ctx.paths.app_dir("app").join("CONTAINER.web.1"), "id").expect("deploy");
        crate::ops::set(&ctx, req(&["C=3"], true)).expect("no restart");
        crate::ops::set(&ctx, req(&["D=4"], false)).expect("restart");
        crate::ops::unset(
            &ctx,
            crate::ops::UnsetRequest {
                scope: Scope::App("app".into()),
                keys: vec!["A".into()],
                no_restart: false,
            },
        )
        .expect("unset");
        let seen = seen.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(
            seen,
            vec![
                "update app set A=1 B=2",
                "update app set C=3",
                "update app set D=4",
                "restart app",
                "update app unset A",
                "restart app"
            ]
        );
        assert!(cap.stdout().contains("-----> Restarting app app\n"));
        assert_eq!(cap.stderr(), " !     Failure while restarting app: exit status 3\n !     Failure while restarting app: exit status 3\n");
    }
}
