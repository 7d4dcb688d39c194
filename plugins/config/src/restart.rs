//! What follows a change of an environment: the `post-config-update`
//! notification and, for a deployed app, a restart through `app-restart`.
//! Failures of either are warnings; the change itself has been made.

use dokku_core::{Error, Paths};
use dokku_trigger::triggers::{AppRestart, PostConfigUpdate};
use dokku_trigger::Ctx;

use crate::store::Scope;

/// Whether `app` has been deployed, so that a restart means something.
///
/// Until the deploy machinery records more, an app counts as deployed when
/// the `common` plugin's `deployed` property is `true`, or when its
/// directory holds a non-empty `CONTAINER` or `CONTAINER.<proc>.<n>` entry
/// (what a deploy leaves behind for each running container).
pub fn is_deployed(paths: &Paths, app: &str) -> bool {
    let props = dokku_core::property::Properties::new(paths, "common");
    if props.get(app, "deployed").ok().flatten().as_deref() == Some("true") {
        return true;
    }
    let Ok(rd) = std::fs::read_dir(paths.app_dir(app)) else {
        return false;
    };
    rd.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        if name != "CONTAINER" && !name.starts_with("CONTAINER.") {
            return false;
        }
        let p = e.path();
        if p.is_dir() {
            std::fs::read_dir(&p)
                .map(|mut d| d.next().is_some())
                .unwrap_or(false)
        } else {
            std::fs::metadata(&p).map(|m| m.len() > 0).unwrap_or(false)
        }
    })
}

/// An error as a warning's tail: external plugins fail with just an exit
/// code, shown the way Go shows a failed command.
fn describe(e: &Error) -> String {
    match e {
        Error::Exit { code, message } if message.is_empty() => format!("exit status {code}"),
        other => other.to_string(),
    }
}

/// Tell plugins that `scope` changed: `action` is `set` (items are
/// `KEY=VALUE`) or `unset` (items are keys).
pub fn notify_update(ctx: &Ctx, scope: &Scope, action: &str, items: Vec<String>) {
    let t = PostConfigUpdate {
        app: scope.name().to_string(),
        action: action.to_string(),
        items,
    };
    if let Err(e) = ctx.bus.notify(ctx, &t) {
        ctx.out.warn(&format!(
            "Failure while triggering post-config-update: {}",
            describe(&e)
        ));
    }
}

/// Restart the app after a change, unless told not to, the scope is
/// global, or the app has not been deployed.
pub fn maybe_restart(ctx: &Ctx, scope: &Scope, no_restart: bool) {
    let Some(app) = scope.app() else { return };
    if no_restart || !is_deployed(&ctx.paths, app) {
        return;
    }
    ctx.out.info1(&format!("Restarting app {app}"));
    if let Err(e) = ctx.bus.notify(
        ctx,
        &AppRestart {
            app: app.to_string(),
        },
    ) {
        ctx.out
            .warn(&format!("Failure while restarting app: {}", describe(&e)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn deployed_means_a_container_record_or_the_property() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&d.path().join("home"), &d.path().join("lib"));
        let dir = paths.app_dir("app");
        fs::create_dir_all(&dir).expect("mkdir");
        assert!(!is_deployed(&paths, "app"));
        fs::write(dir.join("CONTAINER.web.1"), "").expect("write");
        assert!(!is_deployed(&paths, "app"), "empty record");
        fs::write(dir.join("CONTAINER.web.1"), "abc123").expect("write");
        assert!(is_deployed(&paths, "app"));
        fs::remove_file(dir.join("CONTAINER.web.1")).expect("rm");
        dokku_core::property::Properties::new(&paths, "common")
            .write("app", "deployed", "true")
            .expect("prop");
        assert!(is_deployed(&paths, "app"));
        assert!(!is_deployed(&paths, "missing"));
    }
}
