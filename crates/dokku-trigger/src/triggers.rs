//! Trigger definitions: one struct per Dokku trigger, with its arguments in
//! Dokku's order and its result type. Names follow Dokku's
//! (development/plugin-triggers.md), in UpperCamel.

use dokku_core::{Error, Result};

use crate::bus::{Dispatch, Trigger};

fn arg(args: &[String], i: usize, name: &str, trigger: &str) -> Result<String> {
    args.get(i).cloned().ok_or_else(|| Error::fail(format!("Invalid plugin trigger call: {trigger} (missing {name})")))
}

/// Declares a trigger struct whose fields are all strings, optionally ending
/// in a variadic `Vec<String>`.
macro_rules! trigger {
    ($(#[$m:meta])* $ty:ident = $name:literal, $kind:ident -> $out:ty { $($field:ident),* $(; ..$rest:ident)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $ty {
            $(#[allow(missing_docs)] pub $field: String,)*
            $(#[allow(missing_docs)] pub $rest: Vec<String>,)?
        }

        impl Trigger for $ty {
            const NAME: &'static str = $name;
            const DISPATCH: Dispatch = Dispatch::$kind;
            type Output = $out;

            fn to_args(&self) -> Vec<String> {
                #[allow(unused_mut)]
                let mut v: Vec<String> = vec![$(self.$field.clone()),*];
                $(v.extend(self.$rest.iter().cloned());)?
                v
            }

            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn from_args(args: &[String]) -> Result<Self> {
                let mut i = 0usize;
                $(let $field = arg(args, i, stringify!($field), $name)?; i += 1;)*
                Ok($ty {
                    $($field,)*
                    $($rest: args.get(i..).map(<[String]>::to_vec).unwrap_or_default(),)?
                })
            }

            fn selector(&self) -> Option<&str> {
                trigger!(@sel self $($field)*)
            }
        }
    };
    (@sel $s:ident scheduler $($more:ident)*) => { Some($s.scheduler.as_str()) };
    (@sel $s:ident $($any:ident)*) => { None };
}

trigger!(
    /// After `apps:create` made the app.
    PostCreate = "post-create", Notify -> () { app }
);
trigger!(
    /// Before `apps:destroy` removes the app.
    PreDelete = "pre-delete", Notify -> () { app, image_tag }
);
trigger!(
    /// After `apps:destroy` removed the app.
    PostDelete = "post-delete", Notify -> () { app, image_tag }
);
trigger!(
    /// After `apps:rename` set up the new app, before any rebuild: copy state.
    PostAppRenameSetup = "post-app-rename-setup", Notify -> () { old_app, new_app }
);
trigger!(
    /// After `apps:rename` finished.
    PostAppRename = "post-app-rename", Notify -> () { old_app, new_app }
);
trigger!(
    /// After `apps:clone` set up the new app, before any rebuild: copy state.
    PostAppCloneSetup = "post-app-clone-setup", Notify -> () { old_app, new_app }
);
trigger!(
    /// After `apps:clone` finished.
    PostAppClone = "post-app-clone", Notify -> () { old_app, new_app }
);
trigger!(
    /// After env vars were set, unset or cleared: action is `set`, `unset`
    /// or `clear`, followed by the pairs or keys.
    PostConfigUpdate = "post-config-update", Notify -> () { app, action; ..items }
);
trigger!(
    /// Restart a deployed app (answered by the deploy machinery).
    AppRestart = "app-restart", Notify -> () { app }
);
trigger!(
    /// Rebuild and deploy an app from its current source (answered by the
    /// deploy machinery).
    AppRebuild = "app-rebuild", Notify -> () { app }
);
trigger!(
    /// Export an app's (or the global) environment in a format.
    ConfigExport = "config-export", Collect -> String { app, global, merged, format }
);
trigger!(
    /// One app env value.
    ConfigGet = "config-get", Collect -> String { app, key }
);
trigger!(
    /// One global env value.
    ConfigGetGlobal = "config-get-global", Collect -> String { key }
);
trigger!(
    /// `plugin:install` asks every plugin to set itself up.
    Install = "install", Notify -> () {}
);
trigger!(
    /// `plugin:update` asks every plugin to update.
    Update = "update", Notify -> () {}
);
trigger!(
    /// `plugin:install-dependencies` asks for system packages.
    Dependencies = "dependencies", Notify -> () {}
);
trigger!(
    /// `dokku report <app>`: each plugin prints its report.
    Report = "report", Notify -> () { app }
);
trigger!(
    /// Run on every command: a non-zero exit denies it.
    UserAuth = "user-auth", Notify -> () { ssh_user, ssh_name; ..command }
);
trigger!(
    /// Filters which apps a user sees: each non-empty stdout line is an
    /// allowed app name.
    UserAuthApp = "user-auth-app", Collect -> Vec<String> { ssh_user, ssh_name; ..apps }
);
trigger!(
    /// Whether the app is locked for deploys (answered by apps).
    AppIsLocked = "apps-is-locked", Collect -> String { app }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_round_trip_in_dokku_order() {
        let t = PostConfigUpdate { app: "a".into(), action: "set".into(), items: vec!["K=V".into(), "X=Y".into()] };
        let args = t.to_args();
        assert_eq!(args, vec!["a", "set", "K=V", "X=Y"]);
        assert_eq!(PostConfigUpdate::from_args(&args).expect("parse"), t);
        assert!(PostCreate::from_args(&[]).is_err());
        assert_eq!(Install::from_args(&[]).expect("no args"), Install {});
    }
}
